//! `/admin/moderation/bans`: bans in force, adding one, lifting one.

use super::{back_to, private, Csrf, Frame, Moderator, ModeratorForm};
use crate::http::error::AppError;
use crate::services::moderation::new_ban;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::Utc;
use serde::Deserialize;
use std::collections::HashMap;

pub struct BanRow {
    pub id: i64,
    pub kind: &'static str,
    pub value: String,
    pub reason: String,
    pub until: String,
}

#[derive(Template)]
#[template(path = "admin/bans.html")]
struct BansPage {
    layout: crate::render::layout::Layout,
    frame: Frame,
    bans: Vec<BanRow>,
}

pub async fn show(
    State(state): State<AppState>,
    Moderator(staff): Moderator,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let bans = state.store.active_bans(Utc::now()).await?;
    let (layout, frame) =
        Frame::new(&state, &staff, "Bans", "bans", q.get("done").cloned()).await?;
    Ok(private(BansPage {
        bans: bans
            .into_iter()
            .map(|b| BanRow {
                id: b.id,
                kind: b.kind.as_str(),
                value: b.value,
                reason: b.reason,
                until: b
                    .expires_at
                    .map(|t| t.format("%-d %B %Y, %H:%M UTC").to_string())
                    .unwrap_or_else(|| "for good".into()),
            })
            .collect(),
        layout,
        frame,
    }))
}

/// The form that adds a ban.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BanForm {
    kind: String,
    value: String,
    reason: String,
    days: String,
}

pub async fn add(
    State(state): State<AppState>,
    ModeratorForm {
        staff, fields: f, ..
    }: ModeratorForm<BanForm>,
) -> Result<Response, AppError> {
    let ban = new_ban(&f.kind, &f.value, &f.reason, &f.days, &staff.actor())?;
    state.store.add_ban(&ban, Utc::now()).await?;
    state.standing.refresh(state.store.as_ref(), false).await?;
    let detail = format!("ban by {} {}: {}", f.kind, f.value, f.reason);
    crate::services::audit::record(
        &state,
        &staff.who(),
        newsdesk_core::audit::AuditAction::Moderated,
        "ban",
        &detail,
    )
    .await;
    Ok(back_to("/admin/moderation/bans", "Ban added"))
}

pub async fn lift(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ModeratorForm { staff, .. }: ModeratorForm<Csrf>,
) -> Result<Response, AppError> {
    state.store.lift_ban(id, &staff.actor(), Utc::now()).await?;
    state.standing.refresh(state.store.as_ref(), false).await?;
    crate::services::audit::record(
        &state,
        &staff.who(),
        newsdesk_core::audit::AuditAction::Moderated,
        &format!("ban {id}"),
        "ban lifted",
    )
    .await;
    Ok(back_to("/admin/moderation/bans", "Ban lifted"))
}
