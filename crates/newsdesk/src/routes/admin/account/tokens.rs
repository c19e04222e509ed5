//! A person's own API tokens: made with at most their role and an optional expiry, shown once,
//! revoked at will.

use super::show::AccountPage;
use super::{back_to, private, NewsroomForm};
use crate::http::error::AppError;
use crate::services::audit;
use crate::services::tokens::{issue, TokenRefused, TokenRequest};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{Duration, Utc};
use newsdesk_core::audit::AuditAction;
use newsdesk_core::Role;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TokenForm {
    label: String,
    role: String,
    /// Days until it stops working; empty: until revoked.
    days: String,
}

pub async fn create(
    State(state): State<AppState>,
    NewsroomForm { staff, fields, .. }: NewsroomForm<TokenForm>,
) -> Result<Response, AppError> {
    let role: Role = fields
        .role
        .parse()
        .map_err(|e: String| AppError::invalid("role", e))?;
    let label = fields.label.trim();
    if label.is_empty() || label.chars().count() > 100 {
        return Err(AppError::invalid(
            "label",
            "must say what uses the token, in at most 100 characters",
        ));
    }
    let expires = match fields.days.trim() {
        "" => None,
        d => match d.parse::<i64>() {
            Ok(n) if (1..=3650).contains(&n) => Some(Utc::now() + Duration::days(n)),
            _ => {
                return Err(AppError::invalid(
                    "days",
                    "must be a number of days from 1 to 3650, or empty",
                ))
            }
        },
    };
    let req = TokenRequest {
        role,
        label,
        owner: Some((staff.user.id, staff.user.role)),
        expires,
    };
    let (token, id) = issue(state.store.as_ref(), req)
        .await
        .map_err(|e| match e {
            TokenRefused::BeyondOwner { .. } => AppError::invalid("role", e.to_string()),
            TokenRefused::Store(s) => s.into(),
        })?;
    audit::record(
        &state,
        &staff.who(),
        AuditAction::TokenCreated,
        &format!("token:{id}"),
        &format!("{role} token “{label}”"),
    )
    .await;
    let mut page = AccountPage::load(&state, &staff, Some(format!("Token {id} made"))).await?;
    page.new_token = Some(token);
    Ok(private(page))
}

pub async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    NewsroomForm { staff, .. }: NewsroomForm<super::Csrf>,
) -> Result<Response, AppError> {
    if !state
        .store
        .revoke_token(id, Some(staff.user.id), Utc::now())
        .await?
    {
        return Err(AppError::NotFound(
            "you have no live token with that id".into(),
        ));
    }
    audit::record(
        &state,
        &staff.who(),
        AuditAction::TokenRevoked,
        &format!("token:{id}"),
        "",
    )
    .await;
    Ok(back_to("/admin/account", &format!("Token {id} revoked")))
}
