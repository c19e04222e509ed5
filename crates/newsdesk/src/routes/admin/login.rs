//! `/admin/login` and `/admin/logout`.

use super::{check_form, safe_next, Csrf};
use crate::http::error::AppError;
use crate::http::extract::HtmlForm;
use crate::http::staff::MaybeStaff;
use crate::http::visitor::Visitor;
use crate::render::layout::Layout;
use crate::services::debate::admission::{check_guard, Guard};
use crate::services::readers::STAMP_PLACEHOLDER;
use crate::services::staff::{log_in, log_out, SignIn};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use newsdesk_core::store::SessionOrigin;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin/login.html")]
struct LoginPage {
    layout: Layout,
    stamp: &'static str,
    next: String,
    email: String,
    problem: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
}

async fn page(
    state: &AppState,
    next: &str,
    email: &str,
    problem: String,
    status: StatusCode,
) -> Response {
    let layout = match Layout::load(state, "", chrono::Utc::now()).await {
        Ok(l) => l,
        Err(e) => return AppError::from(e).into_response(),
    };
    let mut r = super::private(LoginPage {
        layout,
        stamp: STAMP_PLACEHOLDER,
        next: safe_next(next).to_string(),
        email: email.to_string(),
        problem,
    });
    *r.status_mut() = status;
    r
}

pub async fn form(State(state): State<AppState>, Query(q): Query<LoginQuery>) -> Response {
    page(&state, &q.next, "", String::new(), StatusCode::OK).await
}

/// The login form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
    next: String,
    stamp: String,
}

pub async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    HtmlForm(f): HtmlForm<LoginForm>,
) -> Response {
    let (email, next) = (f.email.as_str(), f.next.as_str());
    let guard = Guard {
        stamp: f.stamp.clone(),
        homepage: String::new(),
    };
    // The login form's stamp guards against forged logins; no waiting time applies.
    let stamp_ok = state
        .readers
        .check_stamp(
            &guard.stamp,
            visitor.reader.as_ref(),
            chrono::Utc::now().timestamp(),
            0,
        )
        .is_ok();
    if !stamp_ok {
        let e = check_guard(&state, &guard, &visitor).err();
        let message = e.map(|e| e.public_message()).unwrap_or_default();
        return page(
            &state,
            next,
            email,
            format!("Please try again: {message}"),
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    if let Err(e) = crate::http::origin::same_origin(&headers) {
        return page(&state, next, email, e.public_message(), e.status()).await;
    }
    let origin = SessionOrigin {
        ip: visitor.ip.clone(),
        user_agent: user_agent(&headers),
    };
    match log_in(&state, email, &f.password, &origin).await {
        Ok(SignIn::NeedsCode(_, ticket)) => {
            super::login_code::page(&state, &ticket, next, String::new(), StatusCode::OK).await
        }
        Ok(SignIn::Done(user, cookie)) => {
            tracing::info!(user = %user.email, "logged in");
            (
                StatusCode::SEE_OTHER,
                [(header::LOCATION, safe_next(next).to_string())],
                [(header::SET_COOKIE, cookie)],
            )
                .into_response()
        }
        Err(e) => {
            let message = match &e {
                AppError::TooManyRequests(secs) => format!(
                    "Too many failed attempts. Please wait {secs} seconds before trying again."
                ),
                other => format!("Not logged in: {}.", other.public_message()),
            };
            let mut r = page(&state, next, email, message, e.status()).await;
            e.add_retry_after(&mut r);
            r
        }
    }
}

/// The browser's own description, kept with a session so its owner can tell it apart.
pub fn user_agent(headers: &HeaderMap) -> String {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(300)
        .collect()
}

pub async fn logout(
    State(state): State<AppState>,
    staff: MaybeStaff,
    headers: HeaderMap,
    HtmlForm(csrf): HtmlForm<Csrf>,
) -> Response {
    let Some(staff) = staff.0 else {
        return super::back_to("/admin/login", "logged out");
    };
    if let Err(e) = check_form(&staff, &headers, &csrf) {
        return e.into_response();
    }
    match log_out(&state, &staff).await {
        Ok(cookie) => (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, "/admin/login".to_string())],
            [(header::SET_COOKIE, cookie)],
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}
