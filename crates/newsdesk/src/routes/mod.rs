//! Every route of the server, each resource exporting its own `router()`.

pub mod api;
pub mod assets;
pub mod health;
pub mod site;

use crate::state::AppState;
use axum::Router;

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(api::router())
        .merge(health::router())
        .merge(assets::router(&state))
        .merge(site::router())
        .fallback(site::not_found::fallback)
        .with_state(state)
}
