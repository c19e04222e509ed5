//! PATCH /api/v1/articles/{slug}/comments/{id}

use super::view::{CommentView, EditInput};
use crate::http::admitted::AdmittedJson;
use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::ApiPath;
use crate::services::debate::admission::comment_id;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;

/// Changes a comment's text: only its writer (the same reader cookie), only within the
/// edit window.
#[utoipa::path(
    patch, path = "/api/v1/articles/{slug}/comments/{id}", tag = "comments",
    params(("slug" = String, Path), ("id" = i64, Path)),
    request_body = EditInput,
    responses(
        (status = 200, description = "Changed", body = CommentView),
        (status = 403, description = "Not the writer, or the window has passed", body = ErrorBody),
        (status = 404, description = "No such comment on this story", body = ErrorBody),
        (status = 422, description = "Invalid text", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "update_comment", skip_all, fields(slug = %slug, id = %id))]
pub async fn update_comment(
    State(state): State<AppState>,
    ApiPath((slug, id)): ApiPath<(String, String)>,
    write: AdmittedJson<EditInput>,
) -> Result<Json<CommentView>, AppError> {
    let (article, visitor, input) = write.into_parts();
    let c = state
        .debate()
        .edit(
            state.store.as_ref(),
            &article,
            comment_id(&id)?,
            &input.body,
            visitor.reader.as_ref(),
            chrono::Utc::now(),
            &state.standing.get(),
        )
        .await?;
    state.changed_thread(&article);
    Ok(Json(CommentView::new(&c, &article.slug)))
}
