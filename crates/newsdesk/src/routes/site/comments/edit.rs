//! `POST /news/{slug}/comments/{id}/edit`: the writer changes their comment within the window.

use super::super::forms::{done, fresh_stamp};
use crate::http::admitted::AdmittedForm;
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
pub struct EditFields {
    #[serde(default)]
    body: String,
}

pub async fn edit(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    form: AdmittedForm<EditFields>,
) -> Result<Response, AppError> {
    let (article, visitor, json, fields) = form.into_parts();
    let id = comment_id(&id)?;
    let c = state
        .debate()
        .edit(
            state.store.as_ref(),
            &article,
            id,
            &fields.body,
            visitor.reader.as_ref(),
            Utc::now(),
            &state.standing.get(),
        )
        .await?;
    state.changed_thread(&article);
    let to = format!("{}/comments/{}", article_path(&article.slug), c.id);
    let stamp = visitor
        .reader
        .as_ref()
        .map(|r| fresh_stamp(&state, r))
        .unwrap_or_default();
    let payload = serde_json::json!({ "id": c.id, "status": c.status, "stamp": stamp });
    Ok(done(json, StatusCode::OK, &to, payload, None))
}
