//! POST /api/v1/media

use super::picture_json::PictureJson;
use crate::http::auth::RequireActor;
use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::{Params, PictureBody};
use crate::http::visitor::ClientIp;
use crate::services::pictures::{self, Upload};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use newsdesk_core::media::PictureText;
use serde::Deserialize;

/// The picture's words, sent beside its bytes.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default, deny_unknown_fields)]
pub struct UploadParams {
    /// Describes the picture for readers who cannot see it.
    pub alt: String,
    pub caption: String,
    pub credit: String,
    /// The file's name, used only to tell what the sender thinks it is.
    pub filename: Option<String>,
}

/// Stores a picture (JPEG, PNG, WebP or GIF, sent as the raw body) and answers its address.
/// Its metadata (camera, place) is taken out and the camera's rotation applied; the same
/// file stored twice is kept once. Resized variants follow within seconds.
#[utoipa::path(
    post, path = "/api/v1/media", tag = "media",
    params(UploadParams),
    request_body(content = Vec<u8>, content_type = "image/*", description = "The picture's bytes"),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Stored", body = PictureJson),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "The role may not do this", body = ErrorBody),
        (status = 413, description = "Body over the picture limit", body = ErrorBody),
        (status = 422, description = "Not a JPEG, PNG, WebP or GIF picture, or not the type it says", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "upload_media", skip_all)]
pub async fn upload_media(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ClientIp(ip): ClientIp,
    Params(params): Params<UploadParams>,
    headers: HeaderMap,
    PictureBody(bytes): PictureBody,
) -> Result<(StatusCode, Json<PictureJson>), AppError> {
    if !actor.role.writes_stories() {
        return Err(AppError::Forbidden(format!(
            "the {} role cannot store media",
            actor.role
        )));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let upload = Upload {
        bytes: &bytes,
        content_type,
        file_name: params.filename.as_deref(),
        text: PictureText {
            alt: params.alt,
            caption: params.caption,
            credit: params.credit,
        },
        who: crate::services::audit::Who::new(&actor.principal, ip),
    };
    let picture = pictures::take(&state, upload, "body").await?;
    Ok((StatusCode::CREATED, Json(PictureJson::of(&picture))))
}
