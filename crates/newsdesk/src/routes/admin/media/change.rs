//! `POST /admin/media/{name}` (the picture's words) and `POST /admin/media/{name}/delete`.

use super::{back_to, picture_editor, NewsroomForm};
use crate::http::error::AppError;
use crate::services::audit;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use newsdesk_core::audit::AuditAction;
use newsdesk_core::media::{PictureDeletion, PictureText};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WordsForm {
    csrf: String,
    alt: String,
    caption: String,
    credit: String,
    q: String,
    confirm: String,
}

fn checked(f: &WordsForm) -> Result<PictureText, AppError> {
    crate::services::pictures::checked_text(&PictureText {
        alt: f.alt.clone(),
        caption: f.caption.clone(),
        credit: f.credit.clone(),
    })
    .map_err(AppError::Invalid)
}

/// Editors and admins may change any picture; others only the pictures they uploaded that
/// no story shows, so no one changes what another's published story says under its picture.
async fn may_change(
    state: &AppState,
    staff: &crate::services::staff::Staff,
    name: &str,
) -> Result<(), AppError> {
    if staff.user.role.edits_any_story() {
        return Ok(());
    }
    let picture = state
        .store
        .picture(name)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no picture is named {name}")))?;
    let theirs = picture.uploaded_by == staff.actor();
    if theirs && state.store.picture_uses(name).await?.is_empty() {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "the {} role may change only pictures it uploaded that no story shows; ask an editor",
            staff.user.role
        )))
    }
}

fn library_at(q: &str) -> String {
    format!(
        "/admin/media?q={}",
        percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC)
    )
}

pub async fn words(
    State(state): State<AppState>,
    Path(name): Path<String>,
    NewsroomForm { staff, fields, .. }: NewsroomForm<WordsForm>,
) -> Result<Response, AppError> {
    picture_editor(&staff)?;
    let _ = &fields.csrf;
    let text = checked(&fields)?;
    may_change(&state, &staff, &name).await?;
    if !state.store.set_picture_text(&name, &text).await? {
        return Err(AppError::NotFound(format!("no picture is named {name}")));
    }
    state.changed_site();
    let detail = format!(
        "alt “{}”, caption “{}”, credit “{}”",
        text.alt, text.caption, text.credit
    );
    audit::record(
        &state,
        &staff.who(),
        AuditAction::PictureChanged,
        &name,
        &detail,
    )
    .await;
    Ok(back_to(&library_at(&fields.q), "Picture's words saved"))
}

pub async fn delete(
    State(state): State<AppState>,
    Path(name): Path<String>,
    NewsroomForm { staff, fields, .. }: NewsroomForm<WordsForm>,
) -> Result<Response, AppError> {
    picture_editor(&staff)?;
    may_change(&state, &staff, &name).await?;
    if fields.confirm != "yes" {
        return Err(AppError::invalid(
            "confirm",
            "tick the box to delete the picture for good",
        ));
    }
    match state.store.delete_picture(&name).await? {
        PictureDeletion::Deleted => {
            audit::record(&state, &staff.who(), AuditAction::PictureDeleted, &name, "").await;
            Ok(back_to(&library_at(&fields.q), "Picture deleted"))
        }
        PictureDeletion::NotFound => Err(AppError::NotFound(format!("no picture is named {name}"))),
        PictureDeletion::InUse(uses) => Err(AppError::Conflict(format!(
            "the picture is shown by {} {} ({}); take it out of them first",
            uses.len(),
            if uses.len() == 1 { "story" } else { "stories" },
            uses.iter()
                .map(|u| u.slug.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}
