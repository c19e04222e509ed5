//! GET /api/v1/moderation/queue

use crate::http::auth::RequireActor;
use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::Params;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use newsdesk_core::comment::CommentStatus;
use newsdesk_core::moderation::{QueueFilter, QueueKind};
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// held (the default), flagged or spam.
    #[param(value_type = Option<QueueKind>)]
    kind: Option<String>,
    /// Only comments on this story.
    story: Option<String>,
    /// Only comments whose hold reason contains this text.
    reason: Option<String>,
    /// From 1 to 100,000.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100_000)]
    page: Option<String>,
}

/// A comment as moderators see it: with the writer's email, address and reader id.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueueEntry {
    pub id: i64,
    pub story: String,
    pub name: String,
    pub body: String,
    pub status: CommentStatus,
    /// Why it was held: the rule, the classifier's verdict, or readers' reports.
    pub reason: String,
    pub flags: i64,
    /// What readers wrote when they reported it.
    pub reports: Vec<String>,
    pub email: Option<String>,
    pub ip: String,
    pub reader: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueuePage {
    pub items: Vec<QueueEntry>,
    pub total: i64,
    pub page: i64,
}

/// A page (50) of the held, flagged or spam list, oldest first (spam newest first).
#[utoipa::path(
    get, path = "/api/v1/moderation/queue", tag = "moderation",
    params(QueueQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The list", body = QueuePage),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not a moderator", body = ErrorBody),
        (status = 422, description = "Bad filter", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "moderation_queue", skip_all)]
pub async fn moderation_queue(
    State(state): State<AppState>,
    actor: RequireActor,
    q: Result<Params<QueueQuery>, AppError>,
) -> Result<Json<QueuePage>, AppError> {
    super::moderator(actor)?;
    // Read only once the caller may moderate: others learn nothing from the query.
    let Params(q) = q?;
    crate::http::extract::refuse_empty(&[("kind", &q.kind), ("page", &q.page)])?;
    let kind = match q.kind.as_deref() {
        None => QueueKind::Held,
        Some(k) => QueueKind::parse(k)
            .ok_or_else(|| AppError::invalid("kind", "must be held, flagged or spam"))?,
    };
    let page = match q.page.as_deref() {
        None => 1,
        Some(p) => p
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=100_000).contains(p))
            .ok_or_else(|| AppError::invalid("page", "must be a whole number from 1 to 100000"))?,
    };
    let article = match q.story.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(slug) => Some(
            state
                .store
                .find_article(slug)
                .await?
                .ok_or_else(|| AppError::invalid("story", "no story has that slug"))?
                .id,
        ),
        None => None,
    };
    let filter = QueueFilter {
        kind,
        article,
        reason: q.reason.filter(|r| !r.trim().is_empty()),
        offset: (page - 1) * 50,
        limit: 50,
    };
    let (items, total) = state.store.moderation_queue(&filter).await?;
    Ok(Json(QueuePage {
        items: items
            .into_iter()
            .map(|i| QueueEntry {
                id: i.comment.id.0,
                story: i.article_slug,
                name: i.comment.name,
                body: i.comment.body,
                status: i.comment.status,
                reason: i.comment.reason,
                flags: i.comment.flags,
                reports: i.reports,
                email: i.comment.email,
                ip: i.comment.ip,
                reader: i.comment.reader.0,
                created_at: i.comment.created_at,
            })
            .collect(),
        total,
        page,
    }))
}
