//! The debate's forms: a reader's answer to a poll and a question they propose.

mod poll;
mod propose;

use crate::state::AppState;
use axum::routing::post;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/news/{slug}/debate/{question}/vote", post(poll::vote))
        .route("/news/{slug}/debate/propose", post(propose::propose))
}
