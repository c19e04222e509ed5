//! `GET /admin/stories/new` and `GET /admin/stories/{slug}`: the editor, empty or filled
//! with the stored story.

use super::super::respond::{notice, private};
use super::form::StoryForm;
use super::{editor, story_address, Newsroom};
use crate::http::error::AppError;
use crate::http::extract::Params;
use crate::services::links::article_path;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use newsdesk_core::revision::claim_histories;

pub async fn new(
    State(state): State<AppState>,
    Newsroom(staff): Newsroom,
) -> Result<Response, AppError> {
    writer(&staff)?;
    let form = StoryForm {
        status: "draft".into(),
        ..Default::default()
    };
    let page = editor(&state, &staff, "New story", "/admin/stories".into(), form).await?;
    Ok(private(page))
}

/// What the page says after a save that sent the writer back here.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Done {
    done: String,
}

pub async fn existing(
    State(state): State<AppState>,
    Newsroom(staff): Newsroom,
    Path(slug): Path<String>,
    Params(done): Params<Done>,
) -> Result<Response, AppError> {
    writer(&staff)?;
    let article = super::story(&state, &slug).await?;
    let now = chrono::Utc::now();
    let heading = format!("Edit: {}", article.headline);
    let form = StoryForm::from_article(&article);
    let mut page = editor(&state, &staff, &heading, story_address(&article.slug), form)
        .await?
        .public_at(article.is_live(now).then(|| article_path(&article.slug)))
        .with_claim_histories(&claim_histories(&state.store.snapshots(article.id).await?));
    let me = staff.actor();
    state.store.note_editing(article.id, &me, now).await?;
    page.others = state
        .store
        .editing(article.id, now)
        .await?
        .into_iter()
        .filter(|(who, _)| *who != me)
        .map(|(who, since)| {
            let who = who.trim_start_matches("user:").to_string();
            (who, since.format("%H:%M UTC on %-d %B").to_string())
        })
        .collect();
    page.frame.notice = notice(Some(done.done));
    Ok(private(page))
}

/// `POST /admin/stories/{slug}/editing`: the editor's script saying every minute that the
/// story is still open, so others are told who is editing it.
pub async fn still_editing(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    super::NewsroomForm { staff, .. }: super::NewsroomForm<super::super::access::Csrf>,
) -> Result<axum::http::StatusCode, AppError> {
    writer(&staff)?;
    let article = super::story(&state, &slug).await?;
    let now = chrono::Utc::now();
    state
        .store
        .note_editing(article.id, &staff.actor(), now)
        .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Only roles that write stories reach the editor.
pub fn writer(staff: &crate::services::staff::Staff) -> Result<(), AppError> {
    if staff.user.role.writes_stories() {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "the {} role does not write stories",
            staff.user.role
        )))
    }
}
