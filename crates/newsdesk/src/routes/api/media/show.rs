//! GET /api/v1/media/{name}

use super::picture_json::PictureJson;
use crate::http::auth::RequireActor;
use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::ApiPath;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;

/// A kept picture: its size, words and the variants made so far.
#[utoipa::path(
    get, path = "/api/v1/media/{name}", tag = "media",
    params(("name" = String, Path, description = "The picture's content name")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The picture", body = PictureJson),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 404, description = "No such picture", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "show_media", skip_all)]
pub async fn show_media(
    State(state): State<AppState>,
    RequireActor(_actor): RequireActor,
    ApiPath(name): ApiPath<String>,
) -> Result<Json<PictureJson>, AppError> {
    let picture = state
        .store
        .picture(&name)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no picture is named {name}")))?;
    Ok(Json(PictureJson::of(&picture)))
}
