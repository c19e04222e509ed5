//! `/api/v1/articles`: create, list, read, change and delete stories.

mod create;
mod delete;
mod list;
mod related;
mod revisions;
mod show;
mod update;
pub mod view;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create::create_article, list::list_articles))
        .routes(routes!(related::related_articles))
        .routes(routes!(revisions::list_revisions))
        .routes(routes!(revisions::restore_revision))
        .routes(routes!(
            show::show_article,
            update::update_article,
            delete::delete_article
        ))
}
