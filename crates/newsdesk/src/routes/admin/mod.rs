//! The newsroom's own pages under `/admin/`: login, and the moderators' queue, bans, debate
//! proposals, comment modes and log. Never cached; every form carries the session's CSRF token.

mod access;
mod account;
mod audit;
mod bans;
mod debate;
mod frame;
mod home;
mod log;
mod login;
mod login_code;
mod media;
mod pages;
mod people;
mod queue;
mod respond;
mod settings;
mod stories;
mod welcome;

use crate::state::AppState;
use axum::response::Redirect;
use axum::routing::{get, post};
use axum::Router;

pub use access::{check_form, Csrf, Moderator, ModeratorForm, Newsroom, NewsroomForm};
pub use frame::Frame;
pub use respond::{back_to, private, safe_next, seal_notices_with};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/admin",
            get(|| async { Redirect::permanent(crate::services::links::NEWSROOM_HOME) }),
        )
        .route("/admin/", get(home::show))
        .merge(stories::router())
        .merge(media::router())
        .merge(pages::router())
        .merge(account::router())
        .route("/admin/people", get(people::show).post(people::invite))
        .route("/admin/people/{id}/role", post(people::set_role))
        .route("/admin/people/{id}/deactivate", post(people::deactivate))
        .route("/admin/people/{id}/reactivate", post(people::reactivate))
        .route("/admin/people/{id}/resend", post(people::resend))
        .route(
            "/admin/people/tokens/{id}/revoke",
            post(people::revoke_token),
        )
        .route("/admin/settings", get(settings::show).post(settings::save))
        .route("/admin/audit", get(audit::show))
        .route("/admin/audit.jsonl", get(audit::export))
        .route("/admin/welcome", get(welcome::form).post(welcome::submit))
        .route("/admin/login", get(login::form).post(login::submit))
        .route("/admin/login/code", post(login_code::submit))
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
