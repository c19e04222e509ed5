//! POST /api/v1/articles/{slug}/comments/{id}/flag

use super::view::{CommentView, FlagInput};
use crate::http::admitted::AdmittedJson;
use crate::http::error::{AppError, ErrorBody};
use crate::http::visitor::set_cookie;
use crate::services::debate::admission::comment_id;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// Reports a comment to the moderators: once per reader. Enough reports hide it until a
/// moderator decides; the answer's status then reads `held`.
#[utoipa::path(
    post, path = "/api/v1/articles/{slug}/comments/{id}/flag", tag = "comments",
    params(("slug" = String, Path), ("id" = i64, Path)),
    request_body = FlagInput,
    responses(
        (status = 200, description = "Reported", body = CommentView),
        (status = 404, description = "No such comment on this story", body = ErrorBody),
        (status = 409, description = "Already reported", body = ErrorBody),
        (status = 429, description = "Too many writes; see Retry-After", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "flag_comment", skip_all, fields(slug = %slug, id = %id))]
pub async fn flag_comment(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    write: AdmittedJson<FlagInput>,
) -> Result<Response, AppError> {
    let (article, visitor, input) = write.into_parts();
    let (reader, cookie) = visitor.reader_or_new(&state.readers);
    let c = state
        .debate()
        .flag(
            state.store.as_ref(),
            &article,
            comment_id(&id)?,
            &input.reason,
            &reader,
            chrono::Utc::now(),
        )
        .await?;
    state.changed_thread(&article);
    let mut response = Json(CommentView::new(&c, &article.slug)).into_response();
    set_cookie(&mut response, cookie);
    Ok(response)
}
