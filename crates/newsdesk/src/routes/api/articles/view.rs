//! A story as the API returns it.

use crate::services::links::article_path;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use newsdesk_core::{Article, ArticleStatus, Claim, Correction, DebateQuestion, Hero};
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ArticleView {
    pub slug: String,
    /// The story's public address.
    pub url: String,
    pub headline: String,
    pub standfirst: String,
    pub body: String,
    pub section: String,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    /// A scheduled story whose time has come reads as published.
    pub status: ArticleStatus,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub hero: Option<Hero>,
    pub claims: Vec<Claim>,
    /// The debate questions' texts, in order.
    pub debate: Vec<String>,
    /// The same questions with the ids comments and polls refer to.
    pub debate_questions: Vec<DebateQuestion>,
    pub corrections: Vec<Correction>,
    /// Goes up by one with every change.
    pub revision: i64,
    /// Published reader comments.
    pub comment_count: i64,
}

impl ArticleView {
    pub fn new(state: &AppState, a: Article, now: DateTime<Utc>) -> Self {
        ArticleView {
            url: state.absolute(&article_path(&a.slug)),
            status: a.effective_status(now),
            debate: a.debate.iter().map(|q| q.text.clone()).collect(),
            slug: a.slug,
            headline: a.headline,
            standfirst: a.standfirst,
            body: a.body,
            section: a.section,
            tags: a.tags,
            authors: a.authors,
            published_at: a.published_at,
            created_at: a.created_at,
            updated_at: a.updated_at,
            hero: a.hero,
            claims: a.claims,
            debate_questions: a.debate,
            corrections: a.corrections,
            revision: a.revision,
            comment_count: a.comment_count,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ArticlePage {
    pub items: Vec<ArticleView>,
    /// How many stories match, over all pages.
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}
