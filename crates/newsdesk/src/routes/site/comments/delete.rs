//! `POST /news/{slug}/comments/{id}/delete`: the writer removes their comment within the
//! window; the thread keeps a tombstone so replies still read.

use super::super::forms::done;
use crate::http::admitted::AdmittedForm;
use crate::http::error::AppError;
use crate::services::debate::admission::{comment_id, Guard};
use crate::services::links::article_path;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;

pub async fn delete(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    form: AdmittedForm<Guard>,
) -> Result<Response, AppError> {
    let (article, visitor, json, _) = form.into_parts();
    let id = comment_id(&id)?;
    let c = state
        .debate()
        .delete(
            state.store.as_ref(),
            &article,
            id,
            visitor.reader.as_ref(),
            Utc::now(),
        )
        .await?;
    state.changed_thread(&article);
    let to = format!("{}#comment-{}", article_path(&article.slug), c.id);
    let payload = serde_json::json!({ "id": c.id, "status": c.status });
    Ok(done(json, StatusCode::OK, &to, payload, None))
}
