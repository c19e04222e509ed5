//! Every route of the server: the three front doors (`site`, `api`, `admin`), which share
//! services and never import each other, plus health checks and static assets. Each resource
//! exports its own `router()`.

pub mod admin;
pub mod api;
pub mod assets;
pub mod health;
pub mod media;
pub mod site;

use crate::http::{cache_layer, error_page};
use crate::state::AppState;
use axum::middleware::from_fn_with_state;
use axum::Router;

pub fn router(state: AppState) -> Router {
    let pages = state.pages.clone();
    Router::new()
        .merge(api::router(pages))
        .merge(health::router())
        .merge(assets::router())
        .merge(media::router())
        .merge(
            site::router()
                .layer(from_fn_with_state(
                    state.clone(),
                    error_page::errors_as_pages,
                ))
                .layer(from_fn_with_state(state.clone(), cache_layer::serve_cached)),
        )
        .merge(
            site::personal_router(state.clone())
                .merge(admin::router())
                .layer(from_fn_with_state(
                    state.clone(),
                    error_page::errors_as_pages,
                ))
                .layer(from_fn_with_state(
                    state.clone(),
                    cache_layer::serve_uncached,
                )),
        )
        .fallback(site::not_found::fallback)
        .layer(axum::middleware::from_fn(crate::http::metrics::record))
        .layer(from_fn_with_state(
            state.clone(),
            crate::http::middleware::site_time_zone,
        ))
        .with_state(state)
}
