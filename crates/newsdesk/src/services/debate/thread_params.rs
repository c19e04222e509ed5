//! A reader's choice of comment order, page and question, read from the query string of the
//! article page and of the API alike.

use newsdesk_core::comment::{CommentSort, ThreadQuery};
use newsdesk_core::{Article, QuestionId};
use serde::Deserialize;

/// The most replies a page of a conversation holds under one thread; the rest are on the
/// thread's own page.
pub const REPLIES_SHOWN: i64 = 10;

/// The article page's choice of comment order, page and question.
#[derive(Debug, Default, Deserialize)]
pub struct ThreadParams {
    pub sort: Option<String>,
    pub cpage: Option<String>,
    pub question: Option<String>,
}

impl ThreadParams {
    /// The request as a thread query, or which parameter is wrong.
    pub fn query(&self, article: &Article, per_page: i64) -> Result<ThreadQuery, String> {
        let sort = match self.sort.as_deref() {
            None | Some("") => CommentSort::Oldest,
            Some(s) => CommentSort::parse(s)
                .ok_or_else(|| format!("sort must be oldest, newest or best, not '{s}'"))?,
        };
        let page = match self.cpage.as_deref() {
            None | Some("") => 1,
            Some(p) => p
                .parse::<i64>()
                .ok()
                .filter(|p| (1..=100_000).contains(p))
                .ok_or_else(|| format!("cpage must be a page number, not '{p}'"))?,
        };
        let question = match self.question.as_deref() {
            None | Some("") => None,
            Some(q) => Some(
                q.parse::<i64>()
                    .ok()
                    .filter(|q| article.debate.iter().any(|d| d.id == *q))
                    .ok_or_else(|| format!("question {q} is not a question of this story"))?,
            ),
        };
        Ok(ThreadQuery {
            article_id: article.id,
            sort,
            question: question.map(QuestionId),
            offset: (page - 1) * per_page,
            limit: per_page,
            max_replies: REPLIES_SHOWN,
        })
    }
}
