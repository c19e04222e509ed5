//! GET /api/v1/moderation/log

use crate::http::auth::RequireActor;
use crate::http::error::{AppError, ErrorBody};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LogView {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub comment_id: Option<i64>,
    pub detail: String,
}

/// The latest 500 moderation actions, newest first.
#[utoipa::path(
    get, path = "/api/v1/moderation/log", tag = "moderation",
    security(("bearer" = [])),
    responses((status = 200, description = "The log", body = [LogView]), (status = 403, description = "Not a moderator", body = ErrorBody))
)]
pub async fn moderation_log(
    State(state): State<AppState>,
    actor: RequireActor,
) -> Result<Json<Vec<LogView>>, AppError> {
    super::moderator(actor)?;
    let entries = state.store.moderation_log(None, 500).await?;
    Ok(Json(
        entries
            .into_iter()
            .map(|e| LogView {
                at: e.at,
                actor: e.actor,
                action: e.action,
                comment_id: e.comment_id.map(|c| c.0),
                detail: e.detail,
            })
            .collect(),
    ))
}
