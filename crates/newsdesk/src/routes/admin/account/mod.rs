//! `/admin/account`: each person's own account: their author profile, password, sessions,
//! API tokens and two-factor sign-in.

mod security;
mod show;
mod tokens;

use super::access::{Csrf, Newsroom, NewsroomForm};
use super::frame::Frame;
use super::respond::{back_to, private};
use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/account", get(show::show))
        .route("/admin/account/profile", post(show::profile))
        .route("/admin/account/password", post(security::password))
        .route(
            "/admin/account/sessions/{id}/end",
            post(security::end_session),
        )
        .route(
            "/admin/account/two-factor",
            post(security::two_factor_start),
        )
        .route(
            "/admin/account/two-factor/confirm",
            post(security::two_factor_confirm),
        )
        .route(
            "/admin/account/two-factor/off",
            post(security::two_factor_off),
        )
        .route("/admin/account/tokens", post(tokens::create))
        .route("/admin/account/tokens/{id}/revoke", post(tokens::revoke))
}
