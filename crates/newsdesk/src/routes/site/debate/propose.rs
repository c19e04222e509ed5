//! `POST /news/{slug}/debate/propose`: a reader's own question for the debate, which waits
//! for a moderator.

use crate::error::AppError;
use crate::reader::Visitor;
use crate::render::body::article_path;
use crate::routes::site::comments::{admit, Guard};
use crate::routes::site::forms::{done, fresh_stamp, refuse, wants_json};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
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
    Form(fields): Form<ProposeFields>,
) -> Response {
    let json = wants_json(&headers);
    let back = article_path(&slug);
    let result: Result<Response, AppError> = async {
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
    .await;
    match result {
        Ok(r) => r,
        Err(e) => refuse(&state, json, e, Some(&back)).await,
    }
}
