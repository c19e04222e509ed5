//! POST /api/v1/articles/{slug}/debate/{question}/vote

use super::QuestionView;
use crate::http::admitted::{CountedJson, Stamped};
use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::ApiPath;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use newsdesk_core::debate::PollAnswer;
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PollInput {
    pub answer: PollAnswer,
    /// A stamp from `POST /stamp`, made for this reader's cookie; each is taken once.
    pub stamp: String,
}

impl Stamped for PollInput {
    fn stamp(&self) -> &str {
        &self.stamp
    }
}

/// Answers a debate question's poll: once per reader and question, from a reader cookie with a
/// stamp made for it (`POST /stamp`), spent here.
#[utoipa::path(
    post, path = "/api/v1/articles/{slug}/debate/{question}/vote", tag = "debate",
    params(("slug" = String, Path), ("question" = i64, Path)),
    request_body = PollInput,
    responses(
        (status = 200, description = "Counted; the new tally", body = QuestionView),
        (status = 404, description = "No such story or question", body = ErrorBody),
        (status = 409, description = "Already answered, or the stamp was spent", body = ErrorBody),
        (status = 422, description = "answer is not yes, no or not_sure; no reader cookie, or a stamp not made for it", body = ErrorBody),
        (status = 429, description = "Too many writes; see Retry-After", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "answer_poll", skip_all, fields(slug = %slug))]
pub async fn answer_poll(
    State(state): State<AppState>,
    ApiPath((slug, question)): ApiPath<(String, String)>,
    write: CountedJson<PollInput>,
) -> Result<Response, AppError> {
    let CountedJson {
        article,
        reader,
        input,
        ..
    } = write;
    let no_question = || AppError::NotFound("this story has no such debate question".into());
    let question: i64 = question.parse().map_err(|_| no_question())?;
    let t = state
        .debate()
        .answer_poll(
            state.store.as_ref(),
            &article,
            question,
            input.answer,
            &reader,
            chrono::Utc::now(),
        )
        .await?;
    state.changed_thread(&article);
    let text = article
        .debate
        .iter()
        .find(|q| q.id == question)
        .map(|q| q.text.as_str())
        .unwrap_or_default();
    Ok(Json(QuestionView::new(question, text, &t)).into_response())
}
