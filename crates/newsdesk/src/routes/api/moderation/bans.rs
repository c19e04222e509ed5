//! /api/v1/moderation/bans

use crate::http::auth::RequireActor;
use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::ApiJson;
use crate::http::extract::ApiPath;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use newsdesk_core::moderation::BanKind;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BanView {
    pub id: i64,
    pub kind: BanKind,
    pub value: String,
    pub reason: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    /// When it ends; never when absent.
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BanInput {
    pub kind: BanKind,
    /// A reader id, an email, or an IP address or CIDR range.
    pub value: String,
    pub reason: String,
    /// How long it lasts; for good when left out.
    pub days: Option<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BanCreated {
    pub id: i64,
}

/// The bans in force.
#[utoipa::path(
    get, path = "/api/v1/moderation/bans", tag = "moderation",
    security(("bearer" = [])),
    responses((status = 200, description = "Bans in force", body = [BanView]), (status = 403, description = "Not a moderator", body = ErrorBody))
)]
pub async fn list_bans(
    State(state): State<AppState>,
    actor: RequireActor,
) -> Result<Json<Vec<BanView>>, AppError> {
    super::moderator(actor)?;
    let bans = state.store.active_bans(Utc::now()).await?;
    Ok(Json(
        bans.into_iter()
            .map(|b| BanView {
                id: b.id,
                kind: b.kind,
                value: b.value,
                reason: b.reason,
                created_by: b.created_by,
                created_at: b.created_at,
                expires_at: b.expires_at,
            })
            .collect(),
    ))
}

/// Bans a reader, an email or an IP range from commenting; every node applies it within a second.
#[utoipa::path(
    post, path = "/api/v1/moderation/bans", tag = "moderation",
    request_body = BanInput,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Banned", body = BanCreated),
        (status = 403, description = "Not a moderator", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named", body = ErrorBody),
    )
)]
pub async fn add_ban(
    State(state): State<AppState>,
    actor: RequireActor,
    crate::http::visitor::ClientIp(ip): crate::http::visitor::ClientIp,
    ApiJson(input): ApiJson<BanInput>,
) -> Result<(StatusCode, Json<BanCreated>), AppError> {
    let actor = super::moderator(actor)?;
    let days = input.days.map(|d| d.to_string()).unwrap_or_default();
    let ban = crate::services::moderation::new_ban(
        input.kind.as_str(),
        &input.value,
        &input.reason,
        &days,
        &actor.principal,
    )?;
    let id = state.store.add_ban(&ban, Utc::now()).await?;
    state.standing.refresh(state.store.as_ref(), false).await?;
    let who = crate::services::audit::Who::new(&actor.principal, ip);
    let detail = format!("ban by {} {}: {}", ban.kind.as_str(), ban.value, ban.reason);
    crate::services::audit::record(
        &state,
        &who,
        newsdesk_core::audit::AuditAction::Moderated,
        &format!("ban {id}"),
        &detail,
    )
    .await;
    Ok((StatusCode::CREATED, Json(BanCreated { id })))
}

/// Lifts a ban at once.
#[utoipa::path(
    delete, path = "/api/v1/moderation/bans/{id}", tag = "moderation",
    params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 204, description = "Lifted"), (status = 404, description = "No such ban", body = ErrorBody))
)]
pub async fn lift_ban(
    State(state): State<AppState>,
    actor: RequireActor,
    crate::http::visitor::ClientIp(ip): crate::http::visitor::ClientIp,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    let actor = super::moderator(actor)?;
    state
        .store
        .lift_ban(id, &actor.principal, Utc::now())
        .await?;
    state.standing.refresh(state.store.as_ref(), false).await?;
    let who = crate::services::audit::Who::new(&actor.principal, ip);
    crate::services::audit::record(
        &state,
        &who,
        newsdesk_core::audit::AuditAction::Moderated,
        &format!("ban {id}"),
        "ban lifted",
    )
    .await;
    Ok(StatusCode::NO_CONTENT)
}
