//! `POST /news/{slug}/comments/{id}/flag`: a reader reports a comment to the moderators,
//! once; enough reports hide it until a moderator decides.

use super::super::forms::{done, fresh_stamp};
use crate::http::admitted::CountedForm;
use crate::http::error::AppError;
use crate::services::debate::admission::comment_id;
use crate::services::links::article_path;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct FlagFields {
    #[serde(default)]
    reason: String,
}

pub async fn flag(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    form: CountedForm<FlagFields, true>,
) -> Result<Response, AppError> {
    let CountedForm {
        article,
        reader,
        address,
        json,
        fields,
    } = form;
    let id = comment_id(&id)?;
    let c = state
        .debate()
        .flag(
            state.store.as_ref(),
            &article,
            id,
            &fields.reason,
            &reader,
            &address,
            Utc::now(),
        )
        .await?;
    state.changed_thread(&article);
    let to = format!("{}#comment-{}", article_path(&article.slug), id);
    let payload = serde_json::json!({
        "flagged": true,
        "hidden": c.status != newsdesk_core::comment::CommentStatus::Published,
        "stamp": fresh_stamp(&state, &reader),
    });
    Ok(done(json, StatusCode::OK, &to, payload, None))
}
