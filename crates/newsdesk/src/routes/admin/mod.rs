//! The newsroom's own pages under `/admin/`: login, and the moderators' queue, bans, debate
//! proposals, comment modes and log. Never cached; every form carries the session's CSRF token.

mod access;
mod bans;
mod debate;
mod frame;
mod home;
mod log;
mod login;
mod queue;

use crate::state::AppState;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

pub use access::{check_form, Csrf, Moderator, ModeratorForm, Newsroom, NewsroomForm};
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
