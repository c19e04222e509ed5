//! Pictures for stories: taking an upload (checked, cleaned, kept once by its content), making
//! its variants off the request threads, and the addresses and sizes pages offer browsers.

pub mod process;
pub mod view;

use crate::http::error::AppError;
use crate::services::audit::{self, Who};
use crate::state::AppState;
use chrono::Utc;
use newsdesk_core::audit::AuditAction;
use newsdesk_core::media::{NewPicture, Picture, PictureFormat, PictureText};
use newsdesk_core::Store;
use process::PictureError;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// One picture being made at a time per node: two cores are shared with every reader.
static MAKING: Semaphore = Semaphore::const_new(1);

/// An upload as it arrived.
pub struct Upload<'a> {
    pub bytes: &'a [u8],
    pub content_type: Option<&'a str>,
    pub file_name: Option<&'a str>,
    pub text: PictureText,
    pub who: Who,
}

/// Checks, cleans and keeps an upload, then starts making its variants; answers the kept
/// picture. The field named in errors is `field` (`body` in the API, `file` in forms).
pub async fn take(state: &AppState, upload: Upload<'_>, field: &str) -> Result<Picture, AppError> {
    if process::declared_as_non_picture(upload.content_type) {
        return Err(AppError::invalid(
            field,
            format!(
                "is sent as {}; send a JPEG, PNG, WebP or GIF picture",
                upload.content_type.unwrap_or_default()
            ),
        ));
    }
    let declared = process::declared_format(upload.content_type, upload.file_name);
    let name = hex::encode(&Sha256::digest(upload.bytes)[..16]);
    if let Some(kept) = state.store.picture(&name).await? {
        return Ok(kept);
    }
    let bytes = upload.bytes.to_vec();
    let max_pixels = state.config.pictures.max_pixels;
    let _turn = MAKING.acquire().await.map_err(anyhow::Error::from)?;
    let cleaned = tokio::task::spawn_blocking(move || process::clean(&bytes, declared, max_pixels))
        .await
        .map_err(anyhow::Error::from)?
        .map_err(|e: PictureError| AppError::invalid(field, e.to_string()))?;
    drop(_turn);
    let new = NewPicture {
        name: name.clone(),
        format: cleaned.format,
        width: cleaned.width,
        height: cleaned.height,
        data: cleaned.data,
        alt: upload.text.alt,
        caption: upload.text.caption,
        credit: upload.text.credit,
        uploaded_by: upload.who.actor.clone(),
    };
    if state.store.put_picture(&new, Utc::now()).await? {
        let detail = format!("{}×{} {}", new.width, new.height, new.format.extension());
        audit::record(
            state,
            &upload.who,
            AuditAction::PictureUploaded,
            &name,
            &detail,
        )
        .await;
    }
    tracing::info!(picture = %name, width = new.width, height = new.height, "picture kept");
    let store = state.store.clone();
    let (image, format) = (cleaned.image, cleaned.format);
    tokio::spawn(async move {
        if let Err(e) = make_variants(store.as_ref(), &name, image, format).await {
            tracing::error!(picture = %name, error = %e, "variants could not be made");
        }
    });
    state
        .store
        .picture(&new.name)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("a kept picture was not found")))
}

async fn make_variants(
    store: &dyn Store,
    name: &str,
    image: image::DynamicImage,
    format: PictureFormat,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let _turn = MAKING.acquire().await?;
    let made = tokio::task::spawn_blocking(move || process::variants(&image, format))
        .await?
        .map_err(|e| anyhow::anyhow!(e))?;
    drop(_turn);
    for v in &made {
        store
            .put_variant(name, v.width, v.height, v.format, &v.data)
            .await?;
    }
    tracing::info!(picture = %name, variants = made.len(), ms = started.elapsed().as_millis() as u64, "variants made");
    Ok(())
}

/// Makes the variants of pictures that lack some (a node stopped while making them, say),
/// now and then; every node may do it, and a copy made twice is kept once.
pub async fn finish_variants(store: Arc<dyn Store>, every: Duration) {
    loop {
        match store
            .pictures_without_variants(Utc::now() - chrono::Duration::seconds(30), 4)
            .await
        {
            Ok(missing) => {
                for p in missing {
                    if let Err(e) = remake(store.as_ref(), &p).await {
                        tracing::error!(picture = %p.name, error = %e, "variants could not be made");
                    }
                }
            }
            Err(e) => tracing::error!(error = %e, "cannot list pictures without variants"),
        }
        tokio::time::sleep(every).await;
    }
}

async fn remake(store: &dyn Store, p: &Picture) -> anyhow::Result<()> {
    let bytes = store
        .picture_bytes(&p.name, None, p.format)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the picture's bytes are gone"))?;
    let image = tokio::task::spawn_blocking(move || image::load_from_memory(&bytes)).await??;
    make_variants(store, &p.name, image, p.format).await
}
