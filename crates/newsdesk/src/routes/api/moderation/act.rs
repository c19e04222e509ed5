//! POST /api/v1/moderation/actions

use crate::http::auth::RequireActor;
use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::ApiJson;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use newsdesk_core::moderation::{BanKind, ModAction};
use newsdesk_core::CommentId;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    /// The comments to decide, up to 500.
    #[schema(min_items = 1, max_items = 500)]
    pub ids: Vec<i64>,
    pub action: ModAction,
    /// For a rejection, what readers see in the tombstone; logged for every action.
    #[serde(default)]
    pub reason: String,
    /// Also ban the writers by this.
    pub ban: Option<BanKind>,
    /// How long the ban lasts, from 1 to 3650 days; for good when left out.
    #[schema(minimum = 1, maximum = 3650)]
    pub ban_days: Option<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActionResult {
    /// What was done, in words.
    pub done: String,
}

/// Approves, rejects or marks as spam a batch of comments, optionally banning their writers.
/// Every action is logged and teaches the spam classifier.
#[utoipa::path(
    post, path = "/api/v1/moderation/actions", tag = "moderation",
    request_body = ActionInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Done", body = ActionResult),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not a moderator", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "moderate", skip_all)]
pub async fn moderate(
    State(state): State<AppState>,
    actor: RequireActor,
    crate::http::visitor::ClientIp(ip): crate::http::visitor::ClientIp,
    ApiJson(input): ApiJson<ActionInput>,
) -> Result<Json<ActionResult>, AppError> {
    let actor = super::moderator(actor)?;
    if input.ids.is_empty() || input.ids.len() > 500 {
        return Err(AppError::invalid("ids", "name from 1 to 500 comments"));
    }
    if let Some(d) = input.ban_days {
        if !(1..=3650).contains(&d) {
            return Err(AppError::invalid("ban_days", "must be from 1 to 3650"));
        }
    }
    let subject = format!(
        "comments {}",
        input
            .ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    let ids: Vec<CommentId> = input.ids.into_iter().map(CommentId).collect();
    let done = crate::services::moderation::apply(
        &state,
        &actor.principal,
        &ids,
        input.action,
        &input.reason,
        input.ban,
        input.ban_days,
    )
    .await?;
    let who = crate::services::audit::Who::new(&actor.principal, ip);
    crate::services::audit::record(
        &state,
        &who,
        newsdesk_core::audit::AuditAction::Moderated,
        &subject,
        &done,
    )
    .await;
    Ok(Json(ActionResult { done }))
}
