//! `POST /news/{slug}/debate/propose`: a reader's own question for the debate, which waits
//! for a moderator.

use crate::http::error::AppError;
use crate::http::extract::HtmlForm;
use crate::http::visitor::Visitor;
use crate::routes::site::forms::{done, fresh_stamp, wants_json};
use crate::services::debate::admission::{admit, Guard};
use crate::services::links::article_path;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Utc;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct ProposeFields {
    #[serde(default)]
    question: String,
    #[serde(default)]
    name: String,
    #[serde(flatten)]
    guard: Guard,
}

pub async fn propose(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    visitor: Visitor,
    headers: HeaderMap,
    HtmlForm(fields): HtmlForm<ProposeFields>,
) -> Result<Response, AppError> {
    let json = wants_json(&headers);
    let article = admit(&state, &slug, &headers, &visitor, &fields.guard).await?;
    let (reader, cookie) = visitor.reader_or_new(&state.readers);
    let id = state
        .config
        .discussion
        .propose(
            state.store.as_ref(),
            &article,
            &fields.question,
            &fields.name,
            &reader,
            Utc::now(),
            &state.standing.get(),
        )
        .await?;
    let to = format!("{}?proposed=1#debate", article_path(&article.slug));
    let payload = serde_json::json!({
        "id": id,
        "status": "pending",
        "stamp": fresh_stamp(&state, &reader),
    });
    Ok(done(json, StatusCode::CREATED, &to, payload, cookie))
}
