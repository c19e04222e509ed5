//! The public, server-rendered site.

mod article;
mod cards;
mod feeds;
mod home;
mod layout;
mod listing;
pub mod not_found;
mod page;
mod sitemaps;
mod structured;

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
        .route("/feed.xml", get(feeds::site_rss))
        .route("/atom.xml", get(feeds::site_atom))
        .route("/feed.json", get(feeds::site_json))
        .route("/section/{slug}/{file}", get(feeds::section_feed))
        .route("/tag/{tag}/{file}", get(feeds::tag_feed))
        .route("/author/{slug}/{file}", get(feeds::author_feed))
        .route("/sitemap.xml", get(sitemaps::sitemap))
        .route("/news-sitemap.xml", get(sitemaps::news_sitemap))
        .route("/robots.txt", get(sitemaps::robots))
}
