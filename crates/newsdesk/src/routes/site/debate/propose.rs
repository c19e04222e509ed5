//! `POST /news/{slug}/debate/propose`: a reader's own question for the debate, which waits
//! for a moderator.

use super::super::forms::{done, fresh_stamp};
use crate::http::admitted::AdmittedForm;
use crate::http::error::AppError;
use crate::services::links::article_path;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProposeFields {
    question: String,
    name: String,
}

pub async fn propose(
    State(state): State<AppState>,
    form: AdmittedForm<ProposeFields>,
) -> Result<Response, AppError> {
    let (article, visitor, json, fields) = form.into_parts();
    let (reader, cookie) = visitor.reader_or_new(&state.readers);
    let id = state
        .debate()
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
