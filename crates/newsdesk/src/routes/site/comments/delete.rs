//! `POST /news/{slug}/comments/{id}/delete`: the writer removes their comment within the
//! window; the thread keeps a tombstone so replies still read.

use crate::http::error::AppError;
use crate::http::extract::HtmlForm;
use crate::http::visitor::Visitor;
use crate::routes::site::forms::{done, wants_json};
use crate::services::debate::admission::{admit, comment_id, Guard};
use crate::services::links::article_path;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Utc;

pub async fn delete(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    visitor: Visitor,
    headers: HeaderMap,
    HtmlForm(guard): HtmlForm<Guard>,
) -> Result<Response, AppError> {
    let json = wants_json(&headers);
    let article = admit(&state, &slug, &headers, &visitor, &guard).await?;
    let id = comment_id(&id)?;
    let c = state
        .config
        .discussion
        .delete(
            state.store.as_ref(),
            &article,
            id,
            visitor.reader.as_ref(),
            Utc::now(),
        )
        .await?;
    state.pages.forget_story(&article.slug);
    let to = format!("{}#comment-{}", article_path(&article.slug), c.id);
    let payload = serde_json::json!({ "id": c.id, "status": c.status });
    Ok(done(json, StatusCode::OK, &to, payload, None))
}
