//! Pictures for stories: taking an upload (checked, cleaned, kept once by its content), making
//! its variants off the request threads, and the addresses and sizes pages offer browsers.

pub mod process;
pub mod view;
pub mod work;

pub use work::PictureWork;

use crate::http::error::AppError;
use crate::services::audit::{self, Who};
use crate::state::AppState;
use chrono::Utc;
use newsdesk_core::audit::AuditAction;
use newsdesk_core::media::{NewPicture, Picture, PictureFormat, PictureText};
use newsdesk_core::Store;
use process::PictureError;
use sha2::Sha256;
use std::sync::Arc;
use std::time::Duration;

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
    let text = checked_text(&upload.text).map_err(AppError::Invalid)?;
    let declared = process::declared_format(upload.content_type, upload.file_name);
    // Named by a keyed hash of what was sent: the same file is kept once, but a picture's
    // public address cannot confirm that a given original (with its metadata) was the one sent.
    let name = content_name(state, upload.bytes);
    if let Some(kept) = state.store.picture(&name).await? {
        return Ok(kept);
    }
    let bytes = upload.bytes.to_vec();
    let max_pixels = state.config.pictures.max_pixels;
    let turn = state.pictures.turn().await.map_err(anyhow::Error::from)?;
    let cleaned = tokio::task::spawn_blocking(move || {
        let _turn = turn;
        process::clean(&bytes, declared, max_pixels)
    })
    .await
    .map_err(anyhow::Error::from)?
    .map_err(|e: PictureError| AppError::invalid(field, e.to_string()))?;
    let new = NewPicture {
        name: name.clone(),
        format: cleaned.format,
        width: cleaned.width,
        height: cleaned.height,
        data: cleaned.data,
        alt: text.alt,
        caption: text.caption,
        credit: text.credit,
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
    // The decoded pixels are dropped now: queued work holds only a name, and the variants are
    // made from the kept picture one at a time, so many uploads at once cannot fill memory.
    drop(cleaned.image);
    let store = state.store.clone();
    let format = cleaned.format;
    let queued = name.clone();
    let work = state.pictures.clone();
    work.take_in_hand(&queued);
    tokio::spawn(async move {
        if let Err(e) = remake(store.as_ref(), &work, &queued, format).await {
            work.failed(&queued);
            tracing::error!(picture = %queued, error = %e, "variants could not be made");
        }
        work.let_go(&queued);
    });
    state
        .store
        .picture(&new.name)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("a kept picture was not found")))
}

/// Makes the variants of a kept picture, decoding it inside the one-at-a-time turn.
async fn remake(
    store: &dyn Store,
    work: &PictureWork,
    name: &str,
    format: PictureFormat,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let turn = work.turn().await?;
    let bytes = store
        .picture_bytes(name, None, format)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the picture's bytes are gone"))?;
    let made = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        let _turn = turn;
        let image = image::load_from_memory(&bytes)?;
        process::variants(&image, format).map_err(|e| anyhow::anyhow!(e))
    })
    .await??;
    for v in &made {
        store
            .put_variant(name, v.width, v.height, v.format, &v.data)
            .await?;
    }
    tracing::info!(picture = %name, variants = made.len(), ms = started.elapsed().as_millis() as u64, "variants made");
    Ok(())
}

fn content_name(state: &AppState, bytes: &[u8]) -> String {
    content_name_under(state.readers.mail_key(), bytes)
}

/// A picture's name: 32 hex digits of an HMAC of its bytes under the site's shared key.
pub fn content_name_under(key: &[u8], bytes: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(b"picture|");
    mac.update(bytes);
    hex::encode(&mac.finalize().into_bytes()[..16])
}

/// Keeps a picture from a file, as an import does: checked and cleaned like an upload, named
/// by the same keyed hash. Its variants are made by the running site's sweep. With `dry_run`,
/// the picture is checked but not kept. Answers the picture's own address.
pub async fn keep_file(
    store: &dyn Store,
    key: &[u8],
    bytes: Vec<u8>,
    text: PictureText,
    max_pixels: u64,
    uploaded_by: &str,
    dry_run: bool,
) -> Result<String, String> {
    let name = content_name_under(key, &bytes);
    if let Some(kept) = store.picture(&name).await.map_err(|e| e.to_string())? {
        return Ok(view::picture_path(&kept.name, kept.format));
    }
    let cleaned = tokio::task::spawn_blocking(move || process::clean(&bytes, None, max_pixels))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    let path = view::picture_path(&name, cleaned.format);
    if dry_run {
        return Ok(path);
    }
    let text = checked_text(&text).unwrap_or_default();
    let new = NewPicture {
        name,
        format: cleaned.format,
        width: cleaned.width,
        height: cleaned.height,
        data: cleaned.data,
        alt: text.alt,
        caption: text.caption,
        credit: text.credit,
        uploaded_by: uploaded_by.to_string(),
    };
    store
        .put_picture(&new, Utc::now())
        .await
        .map_err(|e| e.to_string())?;
    Ok(path)
}

/// The picture's words, as the library's own form checks them.
pub fn checked_text(t: &PictureText) -> Result<PictureText, newsdesk_core::FieldErrors> {
    let mut e = newsdesk_core::FieldErrors::default();
    for (field, value, max) in [
        ("alt", &t.alt, 300),
        ("caption", &t.caption, 500),
        ("credit", &t.credit, 200),
    ] {
        if value.chars().count() > max {
            e.add(field, format!("must be at most {max} characters"));
        }
        if value.chars().any(char::is_control) {
            e.add(field, "must be one line without control characters");
        }
    }
    if e.is_empty() {
        Ok(PictureText {
            alt: t.alt.trim().into(),
            caption: t.caption.trim().into(),
            credit: t.credit.trim().into(),
        })
    } else {
        Err(e)
    }
}

/// Makes the variants of pictures that lack some (a node stopped while making them, say),
/// now and then; every node may do it, and a copy made twice is kept once.
pub async fn finish_variants(store: Arc<dyn Store>, work: Arc<PictureWork>, every: Duration) {
    loop {
        match store
            .pictures_without_variants(Utc::now() - chrono::Duration::seconds(30), 4)
            .await
        {
            Ok(missing) => {
                for p in missing
                    .into_iter()
                    .filter(|p| !work.has_failed(&p.name) && !work.is_in_hand(&p.name))
                {
                    if let Err(e) = remake(store.as_ref(), &work, &p.name, p.format).await {
                        work.failed(&p.name);
                        tracing::error!(picture = %p.name, error = %e, "variants could not be made");
                    }
                }
            }
            Err(e) => tracing::error!(error = %e, "cannot list pictures without variants"),
        }
        tokio::time::sleep(every).await;
    }
}
