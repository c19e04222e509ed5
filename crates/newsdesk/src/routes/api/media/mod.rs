//! `/api/v1/media`: storing pictures for stories, served back under `/media/`.

mod picture_json;
mod show;
mod upload;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload::upload_media))
        .routes(routes!(show::show_media))
}
