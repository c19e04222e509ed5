//! DELETE /api/v1/articles/{slug}/comments/{id}

use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::ApiPath;
use crate::http::visitor::Visitor;
use crate::services::debate::admission::comment_id;
use crate::services::debate::admission::{gate, live_article};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};

/// Deletes a comment: only its writer, only within the edit window. The thread keeps a
/// tombstone so replies still read.
#[utoipa::path(
    delete, path = "/api/v1/articles/{slug}/comments/{id}", tag = "comments",
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not the writer, or the window has passed", body = ErrorBody),
        (status = 404, description = "No such comment on this story", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "delete_comment", skip_all, fields(slug = %slug, id = %id))]
pub async fn delete_comment(
    State(state): State<AppState>,
    ApiPath((slug, id)): ApiPath<(String, String)>,
    visitor: Visitor,
    headers: HeaderMap,
) -> Result<StatusCode, AppError> {
    gate(&state, &headers, &visitor)?;
    let article = live_article(&state, &slug).await?;
    state
        .debate()
        .delete(
            state.store.as_ref(),
            &article,
            comment_id(&id)?,
            visitor.reader.as_ref(),
            chrono::Utc::now(),
        )
        .await?;
    state.changed_thread(&article);
    Ok(StatusCode::NO_CONTENT)
}
