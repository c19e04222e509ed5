//! POST /api/v1/media

use crate::http::auth::RequireActor;
use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::ApiBytes;
use crate::state::AppState;
use anyhow::Context;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::Write;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StoredMedia {
    /// The path to use as a story's `hero.url`.
    pub url: String,
    pub bytes: usize,
    pub content_type: &'static str,
}

/// What the file really is, by its first bytes; the name or header a client sends is not trusted.
fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("png", "image/png"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("jpg", "image/jpeg"))
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(("gif", "image/gif"))
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(("webp", "image/webp"))
    } else {
        None
    }
}

/// Stores a picture (PNG, JPEG, GIF or WebP, sent as the raw body) and answers its URL. The
/// name comes from the content, so the same picture stored twice is kept once.
#[utoipa::path(
    post, path = "/api/v1/media", tag = "media",
    request_body(content = Vec<u8>, content_type = "image/*", description = "The picture's bytes"),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Stored", body = StoredMedia),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "The role may not do this", body = ErrorBody),
        (status = 413, description = "Body over the limit", body = ErrorBody),
        (status = 422, description = "Not a PNG, JPEG, GIF or WebP picture", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "upload_media", skip_all)]
pub async fn upload_media(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiBytes(bytes): ApiBytes,
) -> Result<(StatusCode, Json<StoredMedia>), AppError> {
    if !actor.role.writes_stories() {
        return Err(AppError::Forbidden(format!(
            "the {} role cannot store media",
            actor.role
        )));
    }
    let (ext, content_type) = sniff(&bytes)
        .ok_or_else(|| AppError::invalid("body", "must be a PNG, JPEG, GIF or WebP picture"))?;
    let name = format!("{}.{ext}", &hex::encode(Sha256::digest(&bytes))[..32]);
    let dir = state.config.data_dir.join("media");
    let path = dir.join(&name);
    let url = crate::services::links::media_path(&name);
    let len = bytes.len();
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        if path.exists() {
            return Ok(());
        }
        // Written under a temporary name, synced, then renamed: a crash never leaves half a file.
        let tmp = dir.join(format!(".{name}.tmp"));
        let mut f = std::fs::File::create(&tmp)
            .with_context(|| format!("cannot create {}", tmp.display()))?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)?;
        std::fs::File::open(&dir)?.sync_all()?;
        Ok(())
    })
    .await
    .context("the media writer stopped")??;
    tracing::info!(%url, by = %actor.principal, "media stored");
    Ok((
        StatusCode::CREATED,
        Json(StoredMedia {
            url,
            bytes: len,
            content_type,
        }),
    ))
}
