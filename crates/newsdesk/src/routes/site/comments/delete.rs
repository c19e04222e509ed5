//! `POST /news/{slug}/comments/{id}/delete`: the writer removes their comment within the
//! window; the thread keeps a tombstone so replies still read.

use super::{admit, comment_id, Guard};
use crate::error::AppError;
use crate::reader::Visitor;
use crate::render::body::article_path;
use crate::routes::site::forms::{done, refuse, wants_json};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use chrono::Utc;

pub async fn delete(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    visitor: Visitor,
    headers: HeaderMap,
    Form(guard): Form<Guard>,
) -> Response {
    let json = wants_json(&headers);
    let back = article_path(&slug);
    let result: Result<Response, AppError> = async {
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
    .await;
    match result {
        Ok(r) => r,
        Err(e) => refuse(&state, json, e, Some(&back)).await,
    }
}
