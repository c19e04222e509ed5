//! POST /api/v1/articles/{slug}/comments

use super::view::{NewCommentInput, Posted};
use crate::http::admitted::AdmittedJson;
use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::ApiPath;
use crate::http::visitor::set_cookie;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use newsdesk_core::comment::{CommentDraft, CommentStatus};
use newsdesk_core::discussion::Participant;

/// Posts a comment, a reply (`parent_id`) or an answer to a debate question (`question_id`).
/// It is published at once, or held for a moderator when the story is pre-moderated or a
/// screening rule holds it.
#[utoipa::path(
    post, path = "/api/v1/articles/{slug}/comments", tag = "comments",
    params(("slug" = String, Path, description = "The story's slug")),
    request_body = NewCommentInput,
    responses(
        (status = 201, description = "Stored and durable", body = Posted),
        (status = 403, description = "Comments are closed, or the request came from another site", body = ErrorBody),
        (status = 404, description = "No such story", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named", body = ErrorBody),
        (status = 429, description = "Too many comments; see Retry-After", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "create_comment", skip_all, fields(slug = %slug))]
pub async fn create_comment(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    write: AdmittedJson<NewCommentInput>,
) -> Result<Response, AppError> {
    let (article, visitor, input) = write.into_parts();
    let (reader, cookie) = visitor.reader_or_new(&state.readers);
    let draft = CommentDraft {
        name: input.name,
        body: input.body,
        email: input.email,
        notify_replies: input.notify_replies,
        parent_id: input.parent_id,
        question_id: input.question_id,
    };
    let who = Participant {
        reader,
        ip: visitor.ip,
    };
    let c = state
        .debate()
        .post(
            state.store.as_ref(),
            &article,
            &draft,
            &who,
            chrono::Utc::now(),
            &state.standing.get(),
        )
        .await?;
    state.changed_thread(&article);
    crate::services::mail::comment_posted(&state, &article, &c).await;
    let posted = Posted {
        id: c.id.0,
        status: if c.status == CommentStatus::Published {
            "published"
        } else {
            "held"
        },
        url: crate::services::links::comment_path(&article.slug, c.id),
    };
    let mut response = (StatusCode::CREATED, Json(posted)).into_response();
    set_cookie(&mut response, cookie);
    Ok(response)
}
