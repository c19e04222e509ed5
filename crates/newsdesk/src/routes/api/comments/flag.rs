//! POST /api/v1/articles/{slug}/comments/{id}/flag

use super::view::{CommentView, FlagInput};
use crate::http::admitted::CountedJson;
use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::ApiPath;
use crate::services::debate::admission::comment_id;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// Reports a comment to the moderators: once per reader, from a reader cookie with a stamp made
/// for it (`POST /stamp`), spent here; an address may report ten times an hour. When the
/// reports of readers with a record of published comments reach the threshold, the comment is
/// held until a moderator decides; the answer's status then reads `held`.
#[utoipa::path(
    post, path = "/api/v1/articles/{slug}/comments/{id}/flag", tag = "comments",
    params(("slug" = String, Path), ("id" = i64, Path)),
    request_body = FlagInput,
    responses(
        (status = 200, description = "Reported", body = CommentView),
        (status = 404, description = "No such comment on this story", body = ErrorBody),
        (status = 409, description = "Already reported, or the stamp was spent", body = ErrorBody),
        (status = 422, description = "No reader cookie, or a stamp not made for it; a reason too long", body = ErrorBody),
        (status = 429, description = "Too many writes; see Retry-After", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "flag_comment", skip_all, fields(slug = %slug, id = %id))]
pub async fn flag_comment(
    State(state): State<AppState>,
    ApiPath((slug, id)): ApiPath<(String, String)>,
    write: CountedJson<FlagInput, true>,
) -> Result<Response, AppError> {
    let CountedJson {
        article,
        reader,
        address,
        input,
    } = write;
    let c = state
        .debate()
        .flag(
            state.store.as_ref(),
            &article,
            comment_id(&id)?,
            &input.reason,
            &reader,
            &address,
            chrono::Utc::now(),
        )
        .await?;
    state.changed_thread(&article);
    Ok(Json(CommentView::new(&c, &article.slug)).into_response())
}
