//! The comment forms of the public site: post, reply, edit, delete, vote and report, each
//! working as a plain form post and, from the page's script, as JSON.

mod archived;
mod delete;
mod edit;
mod flag;
mod post;
mod show;
mod vote;

use super::debate_view::{CommentForm, CommentsSection};
use crate::render::layout::Layout;
use crate::state::AppState;
use askama::Template;
use axum::routing::{get, post};
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/news/{slug}/comments", post(post::post))
        .route("/news/{slug}/comments/{id}", get(show::show))
        .route(
            "/news/{slug}/comments/archived/{number}",
            get(archived::archived),
        )
        .route("/news/{slug}/comments/{id}/edit", post(edit::edit))
        .route("/news/{slug}/comments/{id}/delete", post(delete::delete))
        .route("/news/{slug}/comments/{id}/vote", post(vote::vote))
        .route("/news/{slug}/comments/{id}/flag", post(flag::flag))
}

/// The controls a reader sees on their own comment while they may still change it.
pub struct OwnComment {
    pub id: i64,
    pub body: String,
    pub until_iso: String,
    pub until_text: String,
}

/// One comment's page, or the comment form given back with what needs fixing.
#[derive(Template)]
#[template(path = "comment_page.html")]
pub struct CommentPage {
    pub layout: Layout,
    pub heading: String,
    pub story_url: String,
    pub story_headline: String,
    pub notice: Option<String>,
    pub comments: CommentsSection,
    pub own: Option<OwnComment>,
    pub show_form: bool,
    pub form: CommentForm,
    pub base_path: String,
    pub stamp: &'static str,
    /// The conversation takes no more writes: no vote or report buttons.
    pub closed: bool,
}

pub fn empty_section(base_path: &str) -> CommentsSection {
    CommentsSection {
        count: 0,
        comments: Vec::new(),
        sorts: Vec::new(),
        page: 1,
        pages: 1,
        prev: None,
        next: None,
        question: None,
        all_href: format!("{base_path}#comments"),
    }
}
