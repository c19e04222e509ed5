//! DELETE /api/v1/articles/{slug}

use crate::http::auth::RequireActor;
use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::ApiPath;
use crate::http::visitor::ClientIp;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use newsdesk_core::newsroom;

/// Deletes a story for good. To take a story down but keep it, PATCH its status to unpublished.
#[utoipa::path(
    delete, path = "/api/v1/articles/{slug}", tag = "articles",
    params(("slug" = String, Path, description = "The story's slug")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "The role may not do this", body = ErrorBody),
        (status = 404, description = "No such story", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "delete_article", skip(state, actor, ip))]
pub async fn delete_article(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ClientIp(ip): ClientIp,
    ApiPath(slug): ApiPath<String>,
) -> Result<StatusCode, AppError> {
    let gone = state.store.find_article(&slug).await?;
    newsroom::delete_article(state.store.as_ref(), &actor, &slug).await?;
    match gone {
        Some(a) => state.changed_story(&a),
        None => state.changed_site(),
    }
    let who = crate::services::audit::Who::new(&actor.principal, ip);
    crate::services::audit::record(
        &state,
        &who,
        newsdesk_core::audit::AuditAction::StoryDeleted,
        &slug,
        "",
    )
    .await;
    tracing::info!(%slug, by = %actor.principal, "story deleted");
    Ok(StatusCode::NO_CONTENT)
}
