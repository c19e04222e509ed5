//! POST /api/v1/articles/{slug}/comments/{id}/vote

use super::view::{VoteInput, VoteResult};
use crate::http::admitted::CountedJson;
use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::ApiPath;
use crate::services::debate::admission::comment_id;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// Votes a comment up (1) or down (-1): once per reader and comment, from a reader cookie with
/// a stamp made for it (`POST /stamp`), spent here.
#[utoipa::path(
    post, path = "/api/v1/articles/{slug}/comments/{id}/vote", tag = "comments",
    params(("slug" = String, Path), ("id" = i64, Path)),
    request_body = VoteInput,
    responses(
        (status = 200, description = "Counted", body = VoteResult),
        (status = 403, description = "Your own comment", body = ErrorBody),
        (status = 404, description = "No such comment on this story", body = ErrorBody),
        (status = 409, description = "Already voted, or the stamp was spent", body = ErrorBody),
        (status = 422, description = "value is not 1 or -1; no reader cookie, or a stamp not made for it", body = ErrorBody),
        (status = 429, description = "Too many writes; see Retry-After", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "vote_comment", skip_all, fields(slug = %slug, id = %id))]
pub async fn vote_comment(
    State(state): State<AppState>,
    ApiPath((slug, id)): ApiPath<(String, String)>,
    write: CountedJson<VoteInput>,
) -> Result<Response, AppError> {
    let CountedJson {
        article,
        reader,
        input,
        ..
    } = write;
    let up = match input.value {
        1 => true,
        -1 => false,
        _ => return Err(AppError::invalid("value", "must be 1 (up) or -1 (down)")),
    };
    let t = state
        .debate()
        .vote(
            state.store.as_ref(),
            &article,
            comment_id(&id)?,
            up,
            &reader,
            chrono::Utc::now(),
        )
        .await?;
    state.changed_thread(&article);
    Ok(Json(VoteResult {
        upvotes: t.upvotes,
        downvotes: t.downvotes,
    })
    .into_response())
}
