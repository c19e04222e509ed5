//! Every route of the server, each resource exporting its own `router()`.

pub mod api;
pub mod assets;
pub mod health;
pub mod site;

use crate::cache;
use crate::state::AppState;
use axum::middleware::from_fn_with_state;
use axum::Router;

pub fn router(state: AppState) -> Router {
    let pages = state.pages.clone();
    Router::new()
        .merge(api::router().layer(from_fn_with_state(pages.clone(), cache::clear_after_writes)))
        .merge(health::router())
        .merge(assets::router(&state))
        .merge(site::router().layer(from_fn_with_state(pages, cache::serve_cached)))
        .fallback(site::not_found::fallback)
        .with_state(state)
}
