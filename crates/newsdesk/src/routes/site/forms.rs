//! What every debate form shares: refusing forged and cross-site posts, rate limits, and
//! answering a plain browser with a redirect or a page, and a script with JSON.

use super::layout::Layout;
use super::page::{html, ErrorPage};
use crate::error::AppError;
use crate::reader::{StampProblem, Visitor};
use crate::state::AppState;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use newsdesk_core::{Article, ReaderId};

/// Whether the page's script sent the form and wants JSON back.
pub fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// Refuses a form sent from another site: the browser says so in `Sec-Fetch-Site` or in an
/// `Origin` that is not this host.
pub fn same_origin(headers: &HeaderMap) -> Result<(), AppError> {
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_host = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|o| *o != "null")
        .map(|o| o.split_once("://").map_or(o, |(_, rest)| rest));
    let foreign_origin = match (origin_host, host) {
        (Some(o), Some(h)) => !o.eq_ignore_ascii_case(h),
        _ => false,
    };
    if fetch_site == Some("cross-site") || foreign_origin {
        return Err(AppError::Forbidden(
            "forms can only be sent from this site's own pages".into(),
        ));
    }
    Ok(())
}

/// Refuses cross-site forms and banned readers (by their cookie or address) for every debate
/// write; comments are also checked against email bans when posted.
pub fn gate(state: &AppState, headers: &HeaderMap, visitor: &Visitor) -> Result<(), AppError> {
    same_origin(headers)?;
    let anonymous = ReaderId(String::new());
    let reader = visitor.reader.as_ref().unwrap_or(&anonymous);
    match state
        .standing
        .get()
        .banned(reader, None, &visitor.ip, Utc::now())
    {
        Some(why) => Err(AppError::Forbidden(why)),
        None => Ok(()),
    }
}

/// Refuses writes to a conversation that is closed.
pub fn open_for(state: &AppState, article: &Article) -> Result<(), AppError> {
    state
        .config
        .discussion
        .mode(article, Utc::now(), &state.standing.get().modes)
        .map(|_| ())
        .map_err(AppError::Forbidden)
}

/// Applies the rate limits; called just before a write, so refused attempts do not count.
pub fn limit(state: &AppState, visitor: &Visitor) -> Result<(), AppError> {
    state
        .limits
        .check(&visitor.ip, visitor.reader.as_ref())
        .map_err(AppError::TooManyRequests)
}

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
    crate::reader::set_cookie(&mut response, cookie);
    response
}

/// The refusal: JSON for a script, otherwise a page in the site's frame that says what
/// went wrong and leads back to the story.
pub async fn refuse(state: &AppState, json: bool, error: AppError, back: Option<&str>) -> Response {
    if json {
        return error.into_response();
    }
    error.log();
    let status = error.status();
    let layout = match Layout::load(state, "", Utc::now()).await {
        Ok(l) => l,
        Err(e) => return AppError::from(e).into_response(),
    };
    let heading = match status {
        StatusCode::TOO_MANY_REQUESTS => "Please slow down",
        StatusCode::FORBIDDEN => "That is not possible",
        StatusCode::NOT_FOUND | StatusCode::GONE => "We could not find that",
        StatusCode::CONFLICT => "Already done",
        _ => "That did not work",
    };
    let mut message = error.public_message();
    if let AppError::Invalid(f) = &error {
        message =
            f.0.iter()
                .map(|(k, v)| format!("{k} {}", v.join("; ")))
                .collect::<Vec<_>>()
                .join(". ");
    }
    if let Some(b) = back {
        message.push_str(&format!(". Back to the story: {b}"));
    }
    let page = ErrorPage {
        layout,
        code: status.as_u16(),
        heading: heading.into(),
        message,
        suggestions: Vec::new(),
    };
    let mut response = (status, html(page)).into_response();
    error.add_retry_after(&mut response);
    response
}

/// A story readers can see, or the reason there is none.
pub async fn live_article(state: &AppState, slug: &str) -> Result<Article, AppError> {
    let now = Utc::now();
    match state.store.find_article(slug).await? {
        Some(a) if a.is_live(now) => Ok(a),
        Some(a) if a.status == newsdesk_core::ArticleStatus::Unpublished => {
            Err(AppError::Gone("this story has been withdrawn".into()))
        }
        _ => Err(AppError::NotFound(
            "there is no story at this address".into(),
        )),
    }
}

/// Checks a form's stamp (it came from our page, to this reader, long enough ago) and
/// its honeypot; the error names the field.
pub fn check_guard(
    state: &AppState,
    guard: &super::comments::Guard,
    visitor: &Visitor,
) -> Result<(), AppError> {
    if !guard.homepage.is_empty() {
        return Err(AppError::invalid(
            "homepage",
            "must be left empty (it is there to catch robots)",
        ));
    }
    let now = Utc::now().timestamp();
    let min = state.config.comment_min_seconds;
    let mine = state
        .readers
        .check_stamp(&guard.stamp, visitor.reader.as_ref(), now, min);
    // A page opened before this reader's first post (another tab) carries a stamp made for no
    // reader; it still proves the form came from our page.
    let result = match (&mine, &visitor.reader) {
        (Err(StampProblem::Forged), Some(_)) => {
            state.readers.check_stamp(&guard.stamp, None, now, min)
        }
        _ => mine,
    };
    result.map_err(|p| AppError::invalid("form", p.message()))
}
