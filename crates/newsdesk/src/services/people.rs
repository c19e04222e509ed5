//! The newsroom's people: inviting someone (an account without a password, and an email with
//! a one-time link to set one), setting a password from that link, and the checks a new
//! password meets.

use crate::http::error::AppError;
use crate::services::audit::{self, Who};
use crate::services::staff::{hash_password, random_hex, MIN_PASSWORD_CHARS};
use crate::services::tokens::hash_token;
use crate::state::AppState;
use chrono::{Duration, Utc};
use newsdesk_core::audit::AuditAction;
use newsdesk_core::moderation::User;
use newsdesk_core::{Conflict, Role, StoreError, UserId};

/// How long an invitation's link works.
const INVITE_DAYS: i64 = 7;

/// The welcome page an invitation links to.
pub fn welcome_url(state: &AppState, token: &str) -> String {
    state.absolute(&format!("/admin/welcome?token={token}"))
}

/// Checks a new password typed twice; errors name the field.
pub fn check_new_password(password: &str, again: &str) -> Result<(), AppError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::invalid(
            "password",
            format!("must have at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if password.chars().count() > 1000 {
        return Err(AppError::invalid(
            "password",
            "must have at most 1000 characters",
        ));
    }
    if password != again {
        return Err(AppError::invalid(
            "again",
            "must be the same password typed again",
        ));
    }
    Ok(())
}

/// Makes an account for `email` with no password and mails it a link to set one. An
/// address that has an account already is refused, never re-invited over it.
pub async fn invite(state: &AppState, by: &Who, email: &str, role: Role) -> Result<User, AppError> {
    let email = email.trim();
    if !(email.contains('@') && !email.contains(char::is_whitespace) && email.len() <= 254) {
        return Err(AppError::invalid("email", "must be an email address"));
    }
    let now = Utc::now();
    let user = state
        .store
        .create_user(email, "", role, false, now)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(Conflict::Email(_)) => {
                AppError::invalid("email", "has an account already")
            }
            other => other.into(),
        })?;
    send_link(state, user.id, &user.email).await?;
    audit::record(
        state,
        by,
        AuditAction::AccountInvited,
        &user.email,
        &format!("as {role}"),
    )
    .await;
    Ok(user)
}

/// Mails a new one-time link to set the password of `user`.
pub async fn send_link(state: &AppState, user: UserId, email: &str) -> Result<(), AppError> {
    let now = Utc::now();
    let token = random_hex(32);
    state
        .store
        .create_invite(
            &hash_token(&token),
            user,
            now,
            now + Duration::days(INVITE_DAYS),
        )
        .await?;
    let site = &state.site_name();
    let subject = format!("Your account in the {site} newsroom");
    let body = format!(
        "Hello,\n\nAn account in the {site} newsroom was made for {email}. To set its password \
         and sign in, open this link within {INVITE_DAYS} days (it works once):\n\n{}\n\n\
         If you did not expect this, ignore this email: nothing happens until the link is used.\n",
        welcome_url(state, &token)
    );
    state
        .store
        .enqueue_email(email, &subject, &body, None, now)
        .await?;
    Ok(())
}

/// Sets the password of the account an invitation is for, using the link up.
pub async fn accept(
    state: &AppState,
    token: &str,
    password: &str,
    again: &str,
    ip: &str,
) -> Result<String, AppError> {
    check_new_password(password, again)?;
    let gone = || {
        AppError::Gone(
            "this link was used already or has expired; ask an admin for a new one".into(),
        )
    };
    let user = state
        .store
        .take_invite(&hash_token(token), Utc::now())
        .await?
        .ok_or_else(gone)?;
    let account = state
        .store
        .staff_account(user)
        .await?
        .filter(|a| a.active)
        .ok_or_else(gone)?;
    let hash = hash_password(password).map_err(AppError::Internal)?;
    state.store.set_password(user, &hash, None).await?;
    let who = Who::new(format!("user:{}", account.user.email), ip);
    audit::record(
        state,
        &who,
        AuditAction::PasswordSet,
        &account.user.email,
        "from an invitation link",
    )
    .await;
    Ok(account.user.email)
}
