//! What a reader asks of search and what comes back, free of any index type.

use crate::snippet::Highlighter;
use newsdesk_core::ArticleId;

/// The most results one page shows.
pub const MAX_PER_PAGE: usize = 50;
/// Results past this rank are not served: nobody pages that far, and a crawler must not.
pub const MAX_OFFSET: usize = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best matches first, fresher stories lifted among similar ones.
    #[default]
    Relevance,
    Newest,
}

impl Sort {
    pub fn parse(s: &str) -> Option<Sort> {
        match s {
            "relevance" => Some(Sort::Relevance),
            "newest" => Some(Sort::Newest),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// A section's slug.
    pub section: Option<String>,
    /// A tag as written on stories (tags are lowercase).
    pub tag: Option<String>,
    /// An author's slug.
    pub author: Option<String>,
    /// Published at or after, in ms since the epoch.
    pub from_ms: Option<i64>,
    /// Published before, in ms since the epoch.
    pub until_ms: Option<i64>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub text: String,
    pub filters: Filters,
    pub sort: Sort,
    pub offset: usize,
    pub limit: usize,
    /// The moment recency is measured from; callers round it (to the hour) so that nodes
    /// asked at slightly different moments rank alike.
    pub now_ms: i64,
}

pub struct Found {
    /// Matching stories in all, not only on this page.
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Marks what the query matched in the text shown for each hit.
    pub highlighter: Highlighter,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub id: ArticleId,
    /// Relevance with the recency lift; 0 when sorted by date.
    pub score: f32,
}
