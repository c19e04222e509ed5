//! `POST /admin/media/{name}` (the picture's words) and `POST /admin/media/{name}/delete`.

use super::{back_to, picture_editor, NewsroomForm};
use crate::http::error::AppError;
use crate::services::audit;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use newsdesk_core::audit::AuditAction;
use newsdesk_core::media::{PictureDeletion, PictureText};
use newsdesk_core::FieldErrors;
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
    let mut e = FieldErrors::default();
    for (field, value, max) in [
        ("alt", &f.alt, 300),
        ("caption", &f.caption, 500),
        ("credit", &f.credit, 200),
    ] {
        if value.chars().count() > max {
            e.add(field, format!("must be at most {max} characters"));
        }
        if value.chars().any(|c| c.is_control() && c != '\n') {
            e.add(field, "must not hold control characters");
        }
    }
    if e.is_empty() {
        Ok(PictureText {
            alt: f.alt.trim().into(),
            caption: f.caption.trim().into(),
            credit: f.credit.trim().into(),
        })
    } else {
        Err(AppError::Invalid(e))
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
    if !state.store.set_picture_text(&name, &text).await? {
        return Err(AppError::NotFound(format!("no picture is named {name}")));
    }
    state.pages.clear();
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
