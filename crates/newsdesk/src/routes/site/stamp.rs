//! Form stamps for pages that every reader shares: a cached page's debate forms carry none,
//! so the page's script asks for one (`POST /stamp`) when the reader first comes near a
//! form, and a browser without the script is shown its form once more to confirm, with a
//! stamp of its own.

use crate::http::error::AppError;
use crate::http::origin::same_origin;
use crate::http::visitor::{set_cookie, Visitor};
use crate::render::layout::Layout;
use crate::render::page::html;
use crate::state::AppState;
use askama::Template;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;

/// A stamp for this reader (a new reader gets their cookie with it), and how many seconds
/// the form must wait before it is sent.
pub async fn issue(
    State(state): State<AppState>,
    headers: HeaderMap,
    visitor: Visitor,
) -> Result<Response, AppError> {
    same_origin(&headers)?;
    if visitor.reader.is_none() {
        new_reader_allowed(&state, &visitor.ip)?;
    }
    let (reader, cookie) = visitor.reader_or_new(&state.readers);
    let stamp = state.readers.stamp(Some(&reader), Utc::now().timestamp());
    let mut response = Json(serde_json::json!({
        "stamp": stamp,
        "ready_in": state.config.comment_min_seconds,
    }))
    .into_response();
    set_cookie(&mut response, cookie);
    Ok(response)
}

/// Refuses a new reader cookie past the address's hourly allowance.
fn new_reader_allowed(state: &AppState, ip: &str) -> Result<(), AppError> {
    state
        .limits
        .check_new_reader(ip)
        .map_err(AppError::TooManyRequests)
}

#[derive(Template)]
#[template(path = "confirm.html")]
struct ConfirmPage {
    layout: Layout,
    action: String,
    /// What the reader wrote, shown back to them.
    text: String,
    fields: Vec<(String, String)>,
    stamp: String,
    /// The seconds before the form is taken.
    wait: u64,
}

/// The fields a form may carry back; anything larger is not a form of ours.
const MAX_FORM_BYTES: usize = 256 * 1024;

/// Middleware for the debate's form posts: a form sent by a browser without the page's
/// script carries an empty stamp; it is answered with the same form to confirm, holding
/// this reader's stamp, instead of being refused.
pub async fn confirm_unstamped(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let is_form = req.method() == Method::POST
        && req.headers().get(header::CONTENT_TYPE).is_some_and(|v| {
            v.as_bytes()
                .starts_with(b"application/x-www-form-urlencoded")
        })
        && !crate::http::extract::wants_json(req.headers());
    if !is_form {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_FORM_BYTES).await {
        Ok(b) => b,
        Err(_) => return AppError::PayloadTooLarge(MAX_FORM_BYTES).into_response(),
    };
    let fields: Vec<(String, String)> = form_urlencoded::parse(&bytes).into_owned().collect();
    let unstamped = fields.iter().any(|(k, v)| k == "stamp" && v.is_empty());
    if !unstamped {
        return next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
    }
    match confirm_page(&state, &parts, fields).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn confirm_page(
    state: &AppState,
    parts: &axum::http::request::Parts,
    fields: Vec<(String, String)>,
) -> Result<Response, AppError> {
    same_origin(&parts.headers)?;
    let reader = state.readers.reader(&parts.headers);
    let (reader, cookie) = match reader {
        Some(r) => (r, None),
        None => {
            new_reader_allowed(state, &crate::http::visitor::client_ip(parts, state))?;
            let (r, c) = state.readers.new_reader();
            (r, Some(c))
        }
    };
    // Issued now: the form's least time counts from this page, as from any form's.
    let issued = Utc::now().timestamp();
    let now_dt = Utc::now();
    let page = ConfirmPage {
        layout: Layout::load(state, "", now_dt).await?,
        action: parts.uri.path().to_string(),
        text: fields
            .iter()
            .find(|(k, _)| k == "body" || k == "text")
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
        fields: fields.into_iter().filter(|(k, _)| k != "stamp").collect(),
        stamp: state.readers.stamp(Some(&reader), issued),
        wait: state.config.comment_min_seconds,
    };
    let mut response = html(page);
    set_cookie(&mut response, cookie);
    Ok(response)
}
