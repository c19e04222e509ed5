//! `POST /news/{slug}/comments/{id}/flag`: a reader reports a comment to the moderators,
//! once; enough reports hide it until a moderator decides.

use super::{admit, comment_id, Guard};
use crate::error::AppError;
use crate::reader::Visitor;
use crate::render::body::article_path;
use crate::routes::site::forms::{done, fresh_stamp, refuse, wants_json};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
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
    Form(fields): Form<FlagFields>,
) -> Response {
    let json = wants_json(&headers);
    let back = article_path(&slug);
    let result: Result<Response, AppError> = async {
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
    .await;
    match result {
        Ok(r) => r,
        Err(e) => refuse(&state, json, e, Some(&back)).await,
    }
}
