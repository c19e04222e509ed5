//! What the article page and the comment pages show of the debate: polls, the comment form,
//! and a page of the conversation.

use super::thread::{arrange, CommentView};
use crate::services::links::article_path;
use crate::services::readers::STAMP_PLACEHOLDER;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use newsdesk_core::comment::{CommentSort, ThreadPage, ThreadQuery};
use newsdesk_core::debate::{PollAnswer, PollTally};
use newsdesk_core::{Article, FieldErrors, StoreError};

pub struct PollOption {
    pub value: &'static str,
    pub label: &'static str,
    pub count: i64,
    pub percent: i64,
}

pub struct PollView {
    pub id: i64,
    pub text: String,
    pub options: Vec<PollOption>,
    pub votes: i64,
    pub answers: i64,
}

pub fn polls(article: &Article, tallies: &[PollTally]) -> Vec<PollView> {
    article
        .debate
        .iter()
        .map(|q| {
            let t = tallies
                .iter()
                .find(|t| t.question_id.0 == q.id)
                .copied()
                .unwrap_or_default();
            PollView {
                id: q.id,
                text: q.text.clone(),
                options: PollAnswer::ALL
                    .iter()
                    .map(|a| PollOption {
                        value: a.as_str(),
                        label: a.label(),
                        count: t.count(*a),
                        percent: t.percent(*a),
                    })
                    .collect(),
                votes: t.votes(),
                answers: t.answers,
            }
        })
        .collect()
}

/// The comment form, empty or as the reader left it.
#[derive(Default)]
pub struct CommentForm {
    pub action: String,
    pub stamp: &'static str,
    pub name: String,
    pub body: String,
    pub email: String,
    pub notify: bool,
    pub parent_id: Option<i64>,
    pub parent_name: String,
    pub question_id: Option<i64>,
    pub questions: Vec<(i64, String)>,
    /// Problems to show above the form: (field, message).
    pub errors: Vec<(String, String)>,
    pub max_chars: usize,
    /// Why the story takes no comments now.
    pub closed: Option<String>,
}

impl CommentForm {
    pub fn new(state: &AppState, article: &Article, now: DateTime<Utc>) -> CommentForm {
        CommentForm {
            action: format!("{}/comments", article_path(&article.slug)),
            stamp: STAMP_PLACEHOLDER,
            questions: article
                .debate
                .iter()
                .map(|q| (q.id, q.text.clone()))
                .collect(),
            max_chars: state.debate().max_chars,
            closed: state
                .debate()
                .mode(article, now, &state.standing.get().modes)
                .err(),
            ..Default::default()
        }
    }

    pub fn with_errors(mut self, errors: &FieldErrors) -> Self {
        self.errors = errors
            .0
            .iter()
            .flat_map(|(f, msgs)| msgs.iter().map(move |m| (f.clone(), m.clone())))
            .collect();
        self
    }

    pub fn error_for(&self, field: &str) -> String {
        self.errors
            .iter()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn is_question(&self, id: &i64) -> bool {
        self.question_id == Some(*id)
    }
}

pub struct SortLink {
    pub label: &'static str,
    pub href: String,
    pub current: bool,
}

pub struct CommentsSection {
    pub count: i64,
    pub comments: Vec<CommentView>,
    pub sorts: Vec<SortLink>,
    pub page: i64,
    pub pages: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// When only one question's answers are shown: its id and text.
    pub question: Option<(i64, String)>,
    pub all_href: String,
}

/// The comments section of a page, and the comments it shows (for structured data).
pub async fn comments_section(
    state: &AppState,
    article: &Article,
    q: &ThreadQuery,
) -> Result<(CommentsSection, ThreadPage), StoreError> {
    let page = state.store.thread_page(q).await?;
    let per_page = q.limit.max(1);
    let current = q.offset / per_page + 1;
    let pages = ((page.total_roots + per_page - 1) / per_page).max(1);
    let base = article_path(&article.slug);
    let href = |sort: CommentSort, p: i64| {
        let mut params = Vec::new();
        if p > 1 {
            params.push(format!("cpage={p}"));
        }
        if let Some(question) = q.question {
            params.push(format!("question={question}"));
        }
        if sort != CommentSort::Oldest {
            params.push(format!("sort={}", sort.as_str()));
        }
        if params.is_empty() {
            format!("{base}#comments")
        } else {
            format!("{base}?{}#comments", params.join("&"))
        }
    };
    let sorts = [
        (CommentSort::Oldest, "Oldest first"),
        (CommentSort::Newest, "Newest first"),
        (CommentSort::Best, "Best first"),
    ]
    .into_iter()
    .map(|(s, label)| SortLink {
        label,
        href: href(s, 1),
        current: s == q.sort,
    })
    .collect();
    let section = CommentsSection {
        count: page.comment_count,
        comments: arrange(&page, &article.debate),
        sorts,
        page: current,
        pages,
        prev: (current > 1).then(|| href(q.sort, current - 1)),
        next: (current < pages).then(|| href(q.sort, current + 1)),
        question: q.question.and_then(|id| {
            article
                .debate
                .iter()
                .find(|d| d.id == id.0)
                .map(|d| (d.id, d.text.clone()))
        }),
        all_href: format!("{base}#comments"),
    };
    Ok((section, page))
}
