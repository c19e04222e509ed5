//! `POST /admin/login/code`: the second step of signing in, for accounts with two-factor
//! sign-in: the code from the authenticator app, with the ticket the password step gave.

use super::login::user_agent;
use super::safe_next;
use crate::http::error::AppError;
use crate::http::extract::HtmlForm;
use crate::http::visitor::Visitor;
use crate::render::layout::Layout;
use crate::services::audit::{self, Who};
use crate::services::staff::{address_key, count_attempt, start_session};
use crate::services::two_factor::{code_step, read_ticket};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use newsdesk_core::audit::AuditAction;
use newsdesk_core::store::SessionOrigin;
use serde::Deserialize;

/// Wrong codes for one account, from anywhere, before each further one must wait.
const CODE_GRACE: i64 = 10;

#[derive(Template)]
#[template(path = "admin/login_code.html")]
struct CodePage {
    layout: Layout,
    ticket: String,
    next: String,
    problem: String,
}

pub async fn page(
    state: &AppState,
    ticket: &str,
    next: &str,
    problem: String,
    status: StatusCode,
) -> Response {
    let layout = match Layout::load(state, "", Utc::now()).await {
        Ok(l) => l,
        Err(e) => return AppError::from(e).into_response(),
    };
    let mut r = super::private(CodePage {
        layout,
        ticket: ticket.to_string(),
        next: safe_next(next).to_string(),
        problem,
    });
    *r.status_mut() = status;
    r
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CodeForm {
    ticket: String,
    code: String,
    next: String,
}

pub async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    HtmlForm(f): HtmlForm<CodeForm>,
) -> Response {
    match check(&state, &visitor, &headers, &f).await {
        Ok(cookie) => (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, safe_next(&f.next).to_string())],
            [(header::SET_COOKIE, cookie)],
        )
            .into_response(),
        Err(e) => {
            let (message, ticket) = match &e {
                AppError::Unauthorized(m) if m.starts_with("the sign-in") => {
                    (format!("{m}. Please log in again."), "")
                }
                AppError::TooManyRequests(secs) => (
                    format!(
                        "Too many wrong codes. Please wait {secs} seconds before trying again."
                    ),
                    f.ticket.as_str(),
                ),
                other => (
                    format!("Not logged in: {}.", other.public_message()),
                    f.ticket.as_str(),
                ),
            };
            let mut r = page(&state, ticket, &f.next, message, e.status()).await;
            e.add_retry_after(&mut r);
            r
        }
    }
}

async fn check(
    state: &AppState,
    visitor: &Visitor,
    headers: &HeaderMap,
    f: &CodeForm,
) -> Result<axum::http::HeaderValue, AppError> {
    crate::http::origin::same_origin(headers)?;
    let now = Utc::now();
    let user_id = read_ticket(state, &f.ticket, now).ok_or_else(|| {
        AppError::Unauthorized("the sign-in took too long or its form was changed".into())
    })?;
    // Codes are counted before they are checked, per account and address as passwords are,
    // and per account too: whoever holds the password may come from many addresses.
    let pair = format!("code:{}|{}", user_id.0, address_key(&visitor.ip));
    count_attempt(state, &pair, 0, now).await?;
    count_attempt(
        state,
        &format!("code-account:{}", user_id.0),
        CODE_GRACE,
        now,
    )
    .await?;
    let account = state
        .store
        .staff_account(user_id)
        .await?
        .filter(|a| a.active)
        .ok_or_else(|| {
            AppError::Unauthorized("the sign-in took too long or its form was changed".into())
        })?;
    let secret = state.store.totp_secret(user_id).await?.unwrap_or_default();
    let step = code_step(state, &secret, &f.code, now);
    let fresh = match step {
        Some(s) => {
            state
                .store
                .take_totp_step(user_id, i64::try_from(s).unwrap_or(i64::MAX))
                .await?
        }
        None => false,
    };
    if step.is_some() && !fresh {
        return Err(AppError::Unauthorized(
            "that code was used already; wait for your app's next one".into(),
        ));
    }
    if step.is_none() {
        let who = Who::new(format!("user:{}", account.user.email), &visitor.ip);
        audit::record(
            state,
            &who,
            AuditAction::SignInFailed,
            &account.user.email,
            "wrong code",
        )
        .await;
        return Err(AppError::Unauthorized(
            "that code is not right; use the newest one your app shows".into(),
        ));
    }
    state.store.clear_login_failures(&pair).await?;
    let origin = SessionOrigin {
        ip: visitor.ip.clone(),
        user_agent: user_agent(headers),
    };
    start_session(state, &account.user, &origin).await
}
