//! A story as the API returns it.

use crate::services::links::article_path;
use crate::state::AppState;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
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

/// A story's entity tag: its revision, which every change moves on.
pub fn etag(revision: i64) -> String {
    format!("\"{revision}\"")
}

/// What an `If-Match` header asks: `None` when absent or `*` (any version), else the
/// revisions it names (strong tags only: a weak or malformed tag names none, so it never
/// matches).
pub fn if_match(headers: &HeaderMap) -> Option<Vec<i64>> {
    let values: Vec<&str> = headers
        .get_all(header::IF_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    if values.is_empty() || values.contains(&"*") {
        return None;
    }
    Some(
        values
            .iter()
            .filter_map(|v| v.strip_prefix('"')?.strip_suffix('"')?.parse().ok())
            .collect(),
    )
}

impl IntoResponse for ArticleView {
    /// The story as JSON with its `ETag`, so a client can send it back in `If-Match`.
    fn into_response(self) -> Response {
        let tag = HeaderValue::from_str(&etag(self.revision));
        let mut response = Json(self).into_response();
        if let Ok(tag) = tag {
            response.headers_mut().insert(header::ETAG, tag);
        }
        response
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(value: &str) -> Option<Vec<i64>> {
        let mut h = HeaderMap::new();
        h.insert(header::IF_MATCH, HeaderValue::from_str(value).unwrap());
        if_match(&h)
    }

    #[test]
    fn if_match_names_strong_revisions_and_star_means_any() {
        assert_eq!(if_match(&HeaderMap::new()), None);
        assert_eq!(asked("*"), None);
        assert_eq!(asked("\"7\""), Some(vec![7]));
        assert_eq!(asked("\"3\", \"4\""), Some(vec![3, 4]));
        assert_eq!(asked("W/\"7\""), Some(vec![]), "a weak tag never matches");
        assert_eq!(asked("7"), Some(vec![]), "an unquoted tag never matches");
    }
}
