//! `/admin/moderation/bans`: bans in force, adding one, lifting one.

use super::{back_to, check_form, field, fields, moderator, private, Frame};
use crate::error::AppError;
use crate::staff::MaybeStaff;
use crate::state::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use newsdesk_core::moderation::{BanKind, NewBan};
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
    layout: crate::routes::site::layout::Layout,
    heading: String,
    tab: &'static str,
    csrf: String,
    who: String,
    notice: Option<String>,
    bans: Vec<BanRow>,
}

pub async fn show(
    State(state): State<AppState>,
    staff: MaybeStaff,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let staff = match moderator(staff, "/admin/moderation/bans") {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    let result: Result<Response, AppError> = async {
        let bans = state.store.active_bans(Utc::now()).await?;
        let frame = Frame::new(&state, &staff, "Bans", "bans", q.get("done").cloned()).await?;
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
            layout: frame.layout,
            heading: frame.heading,
            tab: frame.tab,
            csrf: frame.csrf,
            who: frame.who,
            notice: frame.notice,
        }))
    }
    .await;
    match result {
        Ok(r) => r,
        Err(e) => {
            crate::routes::site::forms::refuse(&state, false, e, Some("/admin/moderation")).await
        }
    }
}

/// A ban from a form's or the API's fields, checked field by field.
pub fn new_ban(
    kind: &str,
    value: &str,
    reason: &str,
    days: &str,
    actor: &str,
) -> Result<NewBan, AppError> {
    let kind = BanKind::parse(kind)
        .ok_or_else(|| AppError::invalid("kind", "must be reader, email or ip"))?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(AppError::invalid(
            "reason",
            "is required, up to 200 characters",
        ));
    }
    let expires_at = match days.trim() {
        "" => None,
        d => Some(
            Utc::now()
                + Duration::days(
                    d.parse::<i64>()
                        .ok()
                        .filter(|d| (1..=3650).contains(d))
                        .ok_or_else(|| {
                            AppError::invalid("days", "must be a number of days from 1 to 3650")
                        })?,
                ),
        ),
    };
    let ban = NewBan {
        kind,
        value: value.to_string(),
        reason: reason.to_string(),
        created_by: actor.to_string(),
        expires_at,
    };
    ban.normalised()
        .map_err(|m| AppError::invalid("value", m))?;
    Ok(ban)
}

pub async fn add(
    State(state): State<AppState>,
    staff: MaybeStaff,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let staff = match moderator(staff, "/admin/moderation/bans") {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    let f = fields(&body);
    let result: Result<(), AppError> = async {
        check_form(&staff, &headers, &f)?;
        let ban = new_ban(
            field(&f, "kind"),
            field(&f, "value"),
            field(&f, "reason"),
            field(&f, "days"),
            &staff.actor(),
        )?;
        state.store.add_ban(&ban, Utc::now()).await?;
        state.standing.refresh(state.store.as_ref(), false).await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => back_to("/admin/moderation/bans", "Ban added"),
        Err(e) => {
            crate::routes::site::forms::refuse(&state, false, e, Some("/admin/moderation")).await
        }
    }
}

pub async fn lift(
    State(state): State<AppState>,
    staff: MaybeStaff,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let staff = match moderator(staff, "/admin/moderation/bans") {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    let f = fields(&body);
    let result: Result<(), AppError> = async {
        check_form(&staff, &headers, &f)?;
        state.store.lift_ban(id, &staff.actor(), Utc::now()).await?;
        state.standing.refresh(state.store.as_ref(), false).await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => back_to("/admin/moderation/bans", "Ban lifted"),
        Err(e) => {
            crate::routes::site::forms::refuse(&state, false, e, Some("/admin/moderation")).await
        }
    }
}
