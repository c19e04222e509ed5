//! `/api/v1/articles/{slug}/debate`: the story's questions with live poll tallies, answers
//! to them, and questions readers propose.

mod propose;
mod tallies;
mod vote;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(tallies::debate))
        .routes(routes!(vote::answer_poll))
        .routes(routes!(propose::propose_question))
}

/// One debate question and how its poll stands.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct QuestionView {
    pub id: i64,
    pub text: String,
    pub yes: i64,
    pub no: i64,
    pub not_sure: i64,
    pub votes: i64,
    /// Comments that answer the question.
    pub answers: i64,
}

impl QuestionView {
    pub fn new(id: i64, text: &str, t: &newsdesk_core::debate::PollTally) -> Self {
        QuestionView {
            id,
            text: text.to_string(),
            yes: t.yes,
            no: t.no,
            not_sure: t.not_sure,
            votes: t.votes(),
            answers: t.answers,
        }
    }
}
