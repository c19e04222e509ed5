//! What every debate form of the site shares: answering a plain browser with a redirect and
//! the page's script with JSON. Refusals are `AppError`s, shown as pages by
//! `http::error_page` (or as JSON to the script).

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use newsdesk_core::ReaderId;

pub use crate::http::extract::wants_json;
use crate::state::AppState;

/// A fresh stamp for the reader, for a script to put in the page's forms after a post.
pub fn fresh_stamp(state: &AppState, reader: &ReaderId) -> String {
    state.readers.stamp(Some(reader), Utc::now().timestamp())
}

/// The success answer: a redirect for a browser, JSON (with `status`) for a script.
pub fn done(
    json: bool,
    status: StatusCode,
    to: &str,
    payload: serde_json::Value,
    cookie: Option<HeaderValue>,
) -> Response {
    let mut response = if json {
        (status, axum::Json(payload)).into_response()
    } else {
        Redirect::to(to).into_response()
    };
    crate::http::visitor::set_cookie(&mut response, cookie);
    response
}
