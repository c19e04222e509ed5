//! The newsroom's own pages under `/admin/`: login, and the moderators' queue, bans, debate
//! proposals, comment modes and log. Never cached; every form carries the session's CSRF token.

mod bans;
mod debate;
mod frame;
mod home;
mod log;
mod login;
mod queue;

use crate::http::error::AppError;
use crate::http::extract::{parse_form, ApiBytes};
use crate::http::staff::MaybeStaff;
use crate::services::staff::Staff;
use crate::state::AppState;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::Method;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::de::DeserializeOwned;
use serde::Deserialize;

pub use frame::Frame;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/admin",
            get(|| async { Redirect::permanent(crate::services::links::NEWSROOM_HOME) }),
        )
        .route("/admin/", get(home::show))
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

/// Any signed-in member of the newsroom; anyone else is sent to log in (and brought back).
pub struct Newsroom(pub Staff);

impl FromRequestParts<AppState> for Newsroom {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let staff = MaybeStaff::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        match staff.0 {
            Some(s) if s.user.role != newsdesk_core::Role::Reader => Ok(Newsroom(s)),
            Some(_) => Err(AppError::Forbidden(
                "the newsroom's pages are for its staff; a reader account cannot reach them".into(),
            )
            .into_response()),
            None => Err(NotAllowed::LogIn(page_of(parts)).into_response()),
        }
    }
}

/// A signed-in moderator or admin; anyone else is sent to log in (and brought back to the
/// page they wanted) or refused.
pub struct Moderator(pub Staff);

impl FromRequestParts<AppState> for Moderator {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let staff = MaybeStaff::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        match staff.0 {
            Some(s) if s.user.moderates() => Ok(Moderator(s)),
            Some(_) => Err(NotAllowed::Forbidden.into_response()),
            None => Err(NotAllowed::LogIn(page_of(parts)).into_response()),
        }
    }
}

/// The page to come back to after logging in: the page asked for, or for a form the page
/// it was sent from.
fn page_of(parts: &Parts) -> String {
    let path = parts.uri.path();
    if parts.method == Method::GET {
        return parts
            .uri
            .path_and_query()
            .map_or(path, |p| p.as_str())
            .to_string();
    }
    let page = if path.starts_with("/admin/moderation/bans") {
        "/admin/moderation/bans"
    } else if path.starts_with("/admin/moderation/proposals") || path == "/admin/moderation/modes" {
        "/admin/moderation/debate"
    } else {
        "/admin/moderation"
    };
    page.to_string()
}

/// The fields every newsroom form carries: the session's CSRF token.
#[derive(Debug, Default, Deserialize)]
pub struct Csrf {
    #[serde(default)]
    pub csrf: String,
}

/// A moderation form: from a moderator, sent from our own pages with the session's token,
/// all checked before its fields are read (so a forged form learns nothing from them).
pub struct ModeratorForm<T> {
    pub staff: Staff,
    pub fields: T,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for ModeratorForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let Moderator(staff) = Moderator::from_request_parts(&mut parts, state).await?;
        let headers = parts.headers.clone();
        let ApiBytes(bytes) = ApiBytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let csrf = form_urlencoded::parse(&bytes)
            .find(|(name, _)| name == "csrf")
            .map(|(_, value)| value.into_owned())
            .unwrap_or_default();
        check_form(&staff, &headers, &Csrf { csrf }).map_err(IntoResponse::into_response)?;
        let fields = parse_form(&bytes).map_err(IntoResponse::into_response)?;
        Ok(ModeratorForm { staff, fields })
    }
}

/// Checks a newsroom form: from our own pages, with the session's token.
pub fn check_form(staff: &Staff, headers: &HeaderMap, csrf: &Csrf) -> Result<(), AppError> {
    crate::http::origin::same_origin(headers)?;
    staff.check_csrf(&csrf.csrf)
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
        crate::services::links::NEWSROOM_HOME
    }
}

/// A page that must not be stored by browsers or proxies.
pub fn private(page: impl askama::Template) -> Response {
    let mut r = crate::render::page::html(page);
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    r
}
