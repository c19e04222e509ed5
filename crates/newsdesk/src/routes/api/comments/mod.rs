//! `/api/v1/articles/{slug}/comments`: the reader debate over JSON. A reader is known by the
//! same signed cookie as on the site; a first write gets one.

mod create;
mod delete;
mod flag;
mod list;
mod update;
pub mod view;
mod vote;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create::create_comment, list::list_comments))
        .routes(routes!(update::update_comment, delete::delete_comment))
        .routes(routes!(vote::vote_comment))
        .routes(routes!(flag::flag_comment))
}
