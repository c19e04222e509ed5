//! A person's own password, sessions and two-factor sign-in.

use super::show::{AccountPage, Enrolment};
use super::{back_to, private, NewsroomForm};
use crate::http::error::AppError;
use crate::services::audit;
use crate::services::people::check_new_password;
use crate::services::staff::{hash_password, verify_password};
use crate::services::two_factor;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Utc;
use newsdesk_core::audit::AuditAction;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    current: String,
    password: String,
    again: String,
}

/// Changes one's password: the current one first; every other session ends.
pub async fn password(
    State(state): State<AppState>,
    NewsroomForm { staff, fields, .. }: NewsroomForm<PasswordForm>,
) -> Result<Response, AppError> {
    let (_, hash) = state
        .store
        .find_user_by_email(&staff.user.email)
        .await?
        .ok_or_else(|| AppError::Forbidden("your account is not active".into()))?;
    if !verify_password(&fields.current, &hash) {
        return Err(AppError::invalid("current", "is not your current password"));
    }
    check_new_password(&fields.password, &fields.again)?;
    let new = hash_password(&fields.password).map_err(AppError::Internal)?;
    state
        .store
        .set_password(staff.user.id, &new, Some(staff.session_hash()))
        .await?;
    audit::record(
        &state,
        &staff.who(),
        AuditAction::PasswordChanged,
        &staff.user.email,
        "other sessions ended",
    )
    .await;
    Ok(back_to(
        "/admin/account",
        "Password changed; your other sessions have ended",
    ))
}

pub async fn end_session(
    State(state): State<AppState>,
    Path(id): Path<String>,
    NewsroomForm { staff, .. }: NewsroomForm<super::Csrf>,
) -> Result<Response, AppError> {
    if !state.store.end_session(staff.user.id, &id).await? {
        return Err(AppError::NotFound(
            "you have no session with that id".into(),
        ));
    }
    audit::record(
        &state,
        &staff.who(),
        AuditAction::SessionEnded,
        &staff.user.email,
        &id,
    )
    .await;
    Ok(back_to("/admin/account", "Session ended"))
}

/// Shows a new secret to scan; nothing is kept until a code from it is confirmed.
pub async fn two_factor_start(
    State(state): State<AppState>,
    NewsroomForm { staff, .. }: NewsroomForm<super::Csrf>,
) -> Result<Response, AppError> {
    refuse_while_on(&state, &staff).await?;
    let secret = two_factor::new_secret();
    let (url, qr_base64) = two_factor::enrolment(&state, &secret, &staff.user.email);
    let mut page = AccountPage::load(&state, &staff, None).await?;
    page.enrolment = Some(Enrolment {
        seal: two_factor::seal(&state, staff.session_hash(), &secret),
        secret,
        url,
        qr_base64,
    });
    Ok(private(page))
}

/// A second factor that is on is turned off (with its current code) before another is set:
/// a session alone, stolen or left open, cannot replace it.
async fn refuse_while_on(
    state: &AppState,
    staff: &crate::services::staff::Staff,
) -> Result<(), AppError> {
    if state.store.totp_secret(staff.user.id).await?.is_some() {
        return Err(AppError::invalid(
            "code",
            "two-factor sign-in is on already; turn it off with your current code first",
        ));
    }
    Ok(())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CodeForm {
    secret: String,
    seal: String,
    code: String,
}

pub async fn two_factor_confirm(
    State(state): State<AppState>,
    NewsroomForm { staff, fields, .. }: NewsroomForm<CodeForm>,
) -> Result<Response, AppError> {
    refuse_while_on(&state, &staff).await?;
    if !two_factor::sealed_for(&state, staff.session_hash(), &fields.secret, &fields.seal) {
        return Err(AppError::invalid(
            "secret",
            "is not the key this page showed you; start the set-up again",
        ));
    }
    if !two_factor::code_is_right(&state, &fields.secret, &fields.code, Utc::now()) {
        return Err(AppError::invalid(
            "code",
            "is not the code your app shows for this secret; scan it again and use the newest code",
        ));
    }
    state
        .store
        .set_totp(staff.user.id, Some(&fields.secret))
        .await?;
    audit::record(
        &state,
        &staff.who(),
        AuditAction::TwoFactorEnabled,
        &staff.user.email,
        "",
    )
    .await;
    Ok(back_to("/admin/account", "Two-factor sign-in is on"))
}

pub async fn two_factor_off(
    State(state): State<AppState>,
    NewsroomForm { staff, fields, .. }: NewsroomForm<CodeForm>,
) -> Result<Response, AppError> {
    let secret = state
        .store
        .totp_secret(staff.user.id)
        .await?
        .unwrap_or_default();
    if !two_factor::code_is_right(&state, &secret, &fields.code, Utc::now()) {
        return Err(AppError::invalid("code", "is not your app's current code"));
    }
    state.store.set_totp(staff.user.id, None).await?;
    audit::record(
        &state,
        &staff.who(),
        AuditAction::TwoFactorDisabled,
        &staff.user.email,
        "",
    )
    .await;
    Ok(back_to("/admin/account", "Two-factor sign-in is off"))
}
