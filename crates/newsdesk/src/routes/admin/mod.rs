//! The newsroom's own pages under `/admin/`: login, and the moderators' queue, bans, debate
//! proposals, comment modes and log. Never cached; every form carries the session's CSRF token.

mod bans;
mod debate;
mod log;
mod login;
mod queue;

use crate::error::AppError;
use crate::routes::site::layout::Layout;
use crate::staff::{MaybeStaff, Staff};
use crate::state::AppState;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use std::collections::HashMap;

pub use bans::new_ban;
pub use queue::apply as apply_moderation;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/admin",
            get(|| async { Redirect::to("/admin/moderation") }),
        )
        .route("/admin/login", get(login::form).post(login::submit))
        .route("/admin/logout", post(login::logout))
        .route("/admin/moderation", get(queue::show))
        .route("/admin/moderation/act", post(queue::act))
        .route("/admin/moderation/bans", get(bans::show).post(bans::add))
        .route("/admin/moderation/bans/{id}/lift", post(bans::lift))
        .route("/admin/moderation/debate", get(debate::show))
        .route("/admin/moderation/proposals/{id}", post(debate::decide))
        .route("/admin/moderation/modes", post(debate::set_mode))
        .route("/admin/moderation/log", get(log::show))
}

/// The frame every moderation page shares.
pub struct Frame {
    pub layout: Layout,
    pub heading: String,
    pub tab: &'static str,
    pub csrf: String,
    pub who: String,
    pub notice: Option<String>,
}

impl Frame {
    pub async fn new(
        state: &AppState,
        staff: &Staff,
        heading: &str,
        tab: &'static str,
        notice: Option<String>,
    ) -> Result<Frame, AppError> {
        Ok(Frame {
            layout: Layout::load(state, "admin", chrono::Utc::now()).await?,
            heading: heading.into(),
            tab,
            csrf: staff.csrf.clone(),
            who: staff.user.email.clone(),
            notice,
        })
    }
}

/// Why a page of the moderation is refused: not signed in (go to the login page, then
/// come back), or signed in with a role that cannot moderate.
pub enum NotAllowed {
    LogIn(String),
    Forbidden,
}

impl IntoResponse for NotAllowed {
    fn into_response(self) -> Response {
        match self {
            NotAllowed::LogIn(path) => Redirect::to(&format!(
                "/admin/login?next={}",
                percent_encoding::utf8_percent_encode(&path, percent_encoding::NON_ALPHANUMERIC)
            ))
            .into_response(),
            NotAllowed::Forbidden => AppError::Forbidden(
                "moderation is for moderators and admins; your role cannot reach it".into(),
            )
            .into_response(),
        }
    }
}

/// A moderator or admin, or the refusal for anyone else.
pub fn moderator(staff: MaybeStaff, path: &str) -> Result<Staff, NotAllowed> {
    match staff.0 {
        Some(s) if s.user.moderates() => Ok(s),
        Some(_) => Err(NotAllowed::Forbidden),
        None => Err(NotAllowed::LogIn(path.to_string())),
    }
}

/// A posted form's fields; repeated names (`ids`) keep every value.
pub fn fields(body: &[u8]) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for (k, v) in form_urlencoded::parse(body) {
        out.entry(k.into_owned()).or_default().push(v.into_owned());
    }
    out
}

pub fn field<'a>(f: &'a HashMap<String, Vec<String>>, name: &str) -> &'a str {
    f.get(name)
        .and_then(|v| v.first())
        .map(String::as_str)
        .unwrap_or("")
}

/// Checks a moderation form: from our own pages, with the session's token.
pub fn check_form(
    staff: &Staff,
    headers: &HeaderMap,
    f: &HashMap<String, Vec<String>>,
) -> Result<(), AppError> {
    crate::routes::site::forms::same_origin(headers)?;
    staff.check_csrf(field(f, "csrf"))
}

/// Back to a moderation page after a form, with what happened in the address.
pub fn back_to(path: &str, done: &str) -> Response {
    let sep = if path.contains('?') { '&' } else { '?' };
    let to = format!(
        "{path}{sep}done={}",
        percent_encoding::utf8_percent_encode(done, percent_encoding::NON_ALPHANUMERIC)
    );
    (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
}

/// Only local moderation paths are followed after a form, never another site.
pub fn safe_next(next: &str) -> &str {
    if next.starts_with("/admin") && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/admin/moderation"
    }
}

/// A page that must not be stored by browsers or proxies.
pub fn private(page: impl askama::Template) -> Response {
    let mut r = crate::routes::site::page::html(page);
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    r
}
