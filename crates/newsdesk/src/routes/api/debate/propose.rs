//! POST /api/v1/articles/{slug}/debate/proposals

use crate::http::admitted::AdmittedJson;
use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::ApiPath;
use crate::http::visitor::set_cookie;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalInput {
    /// Up to 300 characters, one line.
    #[schema(
        min_length = 1,
        max_length = 300,
        pattern = r"^[^\r\n\x00]*[^\s\x00][^\r\n\x00]*$"
    )]
    pub question: String,
    /// Up to 80 characters.
    #[schema(
        min_length = 1,
        max_length = 80,
        pattern = r"^[^\r\n\x00]*[^\s\x00][^\r\n\x00]*$"
    )]
    pub name: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Proposal {
    pub id: i64,
    /// Always `pending`: a moderator decides.
    pub status: &'static str,
}

/// Proposes a debate question of the reader's own; it waits for a moderator.
#[utoipa::path(
    post, path = "/api/v1/articles/{slug}/debate/proposals", tag = "debate",
    params(("slug" = String, Path)),
    request_body = ProposalInput,
    responses(
        (status = 201, description = "Waiting for a moderator", body = Proposal),
        (status = 403, description = "Comments are closed", body = ErrorBody),
        (status = 404, description = "No such story", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named", body = ErrorBody),
        (status = 429, description = "Too many writes; see Retry-After", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "propose_question", skip_all, fields(slug = %slug))]
pub async fn propose_question(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    write: AdmittedJson<ProposalInput>,
) -> Result<Response, AppError> {
    let (article, visitor, input) = write.into_parts();
    let (reader, cookie) = visitor.reader_or_new(&state.readers);
    let id = state
        .debate()
        .propose(
            state.store.as_ref(),
            &article,
            &input.question,
            &input.name,
            &reader,
            chrono::Utc::now(),
            &state.standing.get(),
        )
        .await?;
    let mut response = (
        StatusCode::CREATED,
        Json(Proposal {
            id,
            status: "pending",
        }),
    )
        .into_response();
    set_cookie(&mut response, cookie);
    Ok(response)
}
