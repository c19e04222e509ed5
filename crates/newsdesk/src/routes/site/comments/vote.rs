//! `POST /news/{slug}/comments/{id}/vote`: one vote, up or down, per reader and comment.

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
pub struct VoteFields {
    #[serde(default)]
    value: String,
}

pub async fn vote(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    form: CountedForm<VoteFields>,
) -> Result<Response, AppError> {
    let CountedForm {
        article,
        reader,
        json,
        fields,
        ..
    } = form;
    let id = comment_id(&id)?;
    let up = match fields.value.as_str() {
        "up" => true,
        "down" => false,
        other => {
            return Err(AppError::invalid(
                "value",
                format!("must be up or down, not '{other}'"),
            ))
        }
    };
    let tally = state
        .debate()
        .vote(state.store.as_ref(), &article, id, up, &reader, Utc::now())
        .await?;
    state.changed_thread(&article);
    let to = format!("{}#comment-{}", article_path(&article.slug), id);
    let payload = serde_json::json!({
        "upvotes": tally.upvotes,
        "downvotes": tally.downvotes,
        "stamp": fresh_stamp(&state, &reader),
    });
    Ok(done(json, StatusCode::OK, &to, payload, None))
}
