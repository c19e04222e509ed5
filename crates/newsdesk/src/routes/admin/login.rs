//! `/admin/login` and `/admin/logout`.

use super::{field, fields, safe_next};
use crate::error::AppError;
use crate::reader::{Visitor, STAMP_PLACEHOLDER};
use crate::routes::site::forms::check_guard;
use crate::routes::site::layout::Layout;
use crate::staff::{log_in, log_out, MaybeStaff};
use crate::state::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
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

pub async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = fields(&body);
    let (email, next) = (field(&f, "email"), field(&f, "next"));
    let guard = crate::routes::site::comments::Guard {
        stamp: field(&f, "stamp").to_string(),
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
    if let Err(e) = crate::routes::site::forms::same_origin(&headers) {
        return page(&state, next, email, e.public_message(), e.status()).await;
    }
    match log_in(&state, email, field(&f, "password"), &visitor.ip).await {
        Ok((user, cookie)) => {
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

pub async fn logout(
    State(state): State<AppState>,
    staff: MaybeStaff,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(staff) = staff.0 else {
        return super::back_to("/admin/login", "logged out");
    };
    let f = fields(&body);
    if let Err(e) = super::check_form(&staff, &headers, &f) {
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
