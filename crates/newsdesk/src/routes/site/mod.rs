//! The public, server-rendered site.

mod article;
mod cards;
mod home;
mod layout;
mod listing;
pub mod not_found;
mod page;

use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/news/{slug}", get(article::article))
        .route("/news/{slug}/comments", post(article::comments_not_open))
        .route("/section/{slug}", get(listing::section))
        .route("/tag/{tag}", get(listing::tag))
        .route("/author/{slug}", get(listing::author))
}
