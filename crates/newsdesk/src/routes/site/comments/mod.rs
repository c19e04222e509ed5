//! The comment forms of the public site: post, reply, edit, delete, vote and report, each
//! working as a plain form post and, from the page's script, as JSON.

mod delete;
mod edit;
mod flag;
mod post;
mod show;
mod vote;

use super::discussion::{CommentForm, CommentsSection};
use super::layout::Layout;
use crate::state::AppState;
use askama::Template;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/news/{slug}/comments", post(post::post))
        .route("/news/{slug}/comments/{id}", get(show::show))
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

/// The stamp and honeypot every debate form carries.
#[derive(Debug, Default, Deserialize)]
pub struct Guard {
    #[serde(default)]
    pub stamp: String,
    /// Hidden from people; a bot that fills it in gives itself away.
    #[serde(default)]
    pub homepage: String,
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

/// A comment id from the address; anything else is a missing comment.
pub fn comment_id(raw: &str) -> Result<newsdesk_core::CommentId, crate::error::AppError> {
    raw.parse::<i64>()
        .map(newsdesk_core::CommentId)
        .map_err(|_| {
            crate::error::AppError::NotFound("there is no such comment on this story".into())
        })
}

/// What every form on a comment checks first: the story, the sender, the stamp.
pub async fn admit(
    state: &AppState,
    slug: &str,
    headers: &axum::http::HeaderMap,
    visitor: &crate::reader::Visitor,
    guard: &Guard,
) -> Result<newsdesk_core::Article, crate::error::AppError> {
    let article = super::forms::live_article(state, slug).await?;
    super::forms::gate(state, headers, visitor)?;
    super::forms::open_for(state, &article)?;
    super::forms::check_guard(state, guard, visitor)?;
    super::forms::limit(state, visitor)?;
    Ok(article)
}
