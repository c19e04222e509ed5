//! `POST /news/{slug}/debate/{question}/vote`: one answer per reader and question.

use super::super::forms::{done, fresh_stamp};
use crate::http::admitted::CountedForm;
use crate::http::error::AppError;
use crate::services::links::article_path;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use newsdesk_core::debate::PollAnswer;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct PollFields {
    #[serde(default)]
    answer: String,
}

pub async fn vote(
    State(state): State<AppState>,
    Path((_, question)): Path<(String, String)>,
    form: CountedForm<PollFields>,
) -> Result<Response, AppError> {
    let CountedForm {
        article,
        reader,
        json,
        fields,
        ..
    } = form;
    let no_question = || AppError::NotFound("this story has no such debate question".into());
    let question: i64 = question.parse().map_err(|_| no_question())?;
    let answer = PollAnswer::parse(&fields.answer).ok_or_else(|| {
        AppError::invalid(
            "answer",
            format!("must be yes, no or not_sure, not '{}'", fields.answer),
        )
    })?;
    let t = state
        .debate()
        .answer_poll(
            state.store.as_ref(),
            &article,
            question,
            answer,
            &reader,
            Utc::now(),
        )
        .await?;
    state.changed_thread(&article);
    let to = format!("{}#question-{question}", article_path(&article.slug));
    let payload = serde_json::json!({
        "question_id": question,
        "yes": t.yes, "no": t.no, "not_sure": t.not_sure, "votes": t.votes(),
        "percent": {
            "yes": t.percent(PollAnswer::Yes),
            "no": t.percent(PollAnswer::No),
            "not_sure": t.percent(PollAnswer::NotSure),
        },
        "stamp": fresh_stamp(&state, &reader),
    });
    Ok(done(json, StatusCode::OK, &to, payload, None))
}
