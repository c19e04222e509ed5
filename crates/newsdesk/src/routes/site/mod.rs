//! The public, server-rendered site.

pub mod article;
mod comment_feed;
pub mod comments;
mod corrections;
mod debate;
pub mod debate_view;
mod feeds;
pub mod forms;
mod home;
mod listing;
pub mod not_found;
mod search_page;
mod site_page;
mod sitemaps;
mod stamp;
pub mod story_frame;
mod structured;
pub mod thread;
mod unsubscribe;

use crate::state::AppState;
use axum::routing::get;
use axum::Router;

/// Pages and forms made for one visitor or one query: never cached.
pub fn personal_router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/search", get(search_page::search_page))
        .merge(comments::router().merge(debate::router()).layer(
            axum::middleware::from_fn_with_state(state, stamp::confirm_unstamped),
        ))
        .route("/stamp", axum::routing::post(stamp::issue))
        .route(
            "/unsubscribe",
            get(unsubscribe::confirm).post(unsubscribe::unsubscribe),
        )
        .route(
            "/replies/confirm",
            get(unsubscribe::ask_to_confirm_replies).post(unsubscribe::confirm_replies),
        )
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/news/{slug}", get(article::article))
        .route("/news/{slug}/comments.xml", get(comment_feed::comments_rss))
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
        .route("/sitemaps/{file}", get(sitemaps::sitemap_file))
        .route("/news-sitemap.xml", get(sitemaps::news_sitemap))
        .route("/robots.txt", get(sitemaps::robots))
        .route("/corrections", get(corrections::page))
        .route("/corrections.xml", get(corrections::feed))
        .route("/{slug}", get(site_page::show))
}
