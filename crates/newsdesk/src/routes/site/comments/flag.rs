//! `POST /news/{slug}/comments/{id}/flag`: a reader reports a comment to the moderators,
//! once; enough reports hide it until a moderator decides.

use crate::http::error::AppError;
use crate::http::extract::HtmlForm;
use crate::http::visitor::Visitor;
use crate::routes::site::forms::{done, fresh_stamp, wants_json};
use crate::services::debate::admission::{admit, comment_id, Guard};
use crate::services::links::article_path;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Utc;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct FlagFields {
    #[serde(default)]
    reason: String,
    #[serde(flatten)]
    guard: Guard,
}

pub async fn flag(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    visitor: Visitor,
    headers: HeaderMap,
    HtmlForm(fields): HtmlForm<FlagFields>,
) -> Result<Response, AppError> {
    let json = wants_json(&headers);
    let article = admit(&state, &slug, &headers, &visitor, &fields.guard).await?;
    let id = comment_id(&id)?;
    let (reader, cookie) = visitor.reader_or_new(&state.readers);
    let c = state
        .config
        .discussion
        .flag(
            state.store.as_ref(),
            &article,
            id,
            &fields.reason,
            &reader,
            Utc::now(),
        )
        .await?;
    state.pages.forget_story(&article.slug);
    let to = format!("{}#comment-{}", article_path(&article.slug), id);
    let payload = serde_json::json!({
        "flagged": true,
        "hidden": c.status != newsdesk_core::comment::CommentStatus::Published,
        "stamp": fresh_stamp(&state, &reader),
    });
    Ok(done(json, StatusCode::OK, &to, payload, cookie))
}
