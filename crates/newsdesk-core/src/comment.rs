//! Reader comments: their states, what a new comment must satisfy, and how a thread is asked for.

use crate::ids::{ArticleId, CommentId, QuestionId, ReaderId};
use crate::validation::FieldErrors;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CommentStatus {
    /// Shown to every reader.
    Published,
    /// Waiting for a moderator: pre-moderation, a screening rule, or readers' flags.
    Held,
    /// Removed by a moderator; the thread shows a tombstone with the reason.
    Rejected,
    /// Marked as spam; shown to no one.
    Spam,
    /// Removed by its own writer; the thread shows a tombstone so replies still read.
    Deleted,
}

impl CommentStatus {
    pub const ALL: [CommentStatus; 5] = [
        CommentStatus::Published,
        CommentStatus::Held,
        CommentStatus::Rejected,
        CommentStatus::Spam,
        CommentStatus::Deleted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CommentStatus::Published => "published",
            CommentStatus::Held => "held",
            CommentStatus::Rejected => "rejected",
            CommentStatus::Spam => "spam",
            CommentStatus::Deleted => "deleted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Whether the comment takes its place in the public thread (as text or as a tombstone).
    pub fn in_thread(self) -> bool {
        matches!(
            self,
            CommentStatus::Published | CommentStatus::Rejected | CommentStatus::Deleted
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: CommentId,
    pub article_id: ArticleId,
    pub parent_id: Option<CommentId>,
    /// The top-level comment of the thread this one belongs to (itself for a top-level one).
    pub root_id: CommentId,
    pub depth: i64,
    pub question_id: Option<QuestionId>,
    pub name: String,
    /// Exactly as the reader wrote it; escaped when shown.
    pub body: String,
    /// Never shown; used only for reply emails the reader opted into.
    pub email: Option<String>,
    pub notify_replies: bool,
    pub reader: ReaderId,
    pub ip: String,
    pub status: CommentStatus,
    /// Why the comment was held or removed, as moderators and (for removals) readers see it.
    pub reason: String,
    pub upvotes: i64,
    pub downvotes: i64,
    pub flags: i64,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    /// The commenter's website, kept from an imported comment; shown as a nofollow link.
    pub url: Option<String>,
    /// The comment's number on the site it was imported from (old `#comment-N` links).
    pub archive_id: Option<String>,
}

impl Comment {
    pub fn score(&self) -> i64 {
        self.upvotes - self.downvotes
    }
}

/// A comment ready to be stored: checked, screened, its status decided.
#[derive(Debug, Clone)]
pub struct NewComment {
    pub article_id: ArticleId,
    pub parent_id: Option<CommentId>,
    pub question_id: Option<QuestionId>,
    pub name: String,
    pub body: String,
    pub email: Option<String>,
    pub notify_replies: bool,
    pub reader: ReaderId,
    pub ip: String,
    pub status: CommentStatus,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

/// What a reader sends, by form or JSON, before it is checked.
#[derive(Debug, Clone, Default)]
pub struct CommentDraft {
    pub name: String,
    pub body: String,
    pub email: Option<String>,
    pub notify_replies: bool,
    pub parent_id: Option<i64>,
    pub question_id: Option<i64>,
}

pub const MAX_NAME_CHARS: usize = 80;
pub const MAX_EMAIL_CHARS: usize = 200;

impl CommentDraft {
    /// Checks the reader's own fields; `max_body` is the site's configured length.
    pub fn check(&self, max_body: usize) -> FieldErrors {
        let mut errors = FieldErrors::default();
        check_text(&mut errors, "name", &self.name, MAX_NAME_CHARS, "your name");
        if self.name.contains(['\n', '\r']) {
            errors.add("name", "must be on one line");
        } else if self.name.chars().any(hidden_or_turning) {
            errors.add(
                "name",
                "must not contain invisible or text-direction characters",
            );
        }
        check_text(&mut errors, "body", &self.body, max_body, "your comment");
        if let Some(email) = self.email.as_deref().filter(|e| !e.trim().is_empty()) {
            if email.chars().count() > MAX_EMAIL_CHARS {
                errors.add(
                    "email",
                    format!("is longer than {MAX_EMAIL_CHARS} characters"),
                );
            } else if !looks_like_email(email.trim()) {
                errors.add("email", "is not an email address (name@example.org)");
            }
        } else if self.notify_replies {
            errors.add("email", "is needed to send you replies");
        }
        errors
    }

    /// The email to keep: trimmed, or none when left empty.
    pub fn email(&self) -> Option<String> {
        self.email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_string)
    }
}

fn check_text(errors: &mut FieldErrors, field: &str, value: &str, max: usize, what: &str) {
    if value.contains('\0') {
        errors.add(field, "must not contain NUL characters");
    } else if value.trim().is_empty() {
        errors.add(field, format!("is empty: please write {what}"));
    } else if value.chars().count() > max {
        errors.add(
            field,
            format!(
                "is {} characters long; the limit is {max}",
                value.chars().count()
            ),
        );
    }
}

/// Characters that make a name look like another, or turn the text after it around.
fn hidden_or_turning(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CommentSort {
    #[default]
    Oldest,
    Newest,
    Best,
}

impl CommentSort {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "oldest" => Some(CommentSort::Oldest),
            "newest" => Some(CommentSort::Newest),
            "best" => Some(CommentSort::Best),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CommentSort::Oldest => "oldest",
            CommentSort::Newest => "newest",
            CommentSort::Best => "best",
        }
    }
}

/// One page of a story's conversation: top-level comments in the chosen order, each followed
/// by its replies.
#[derive(Debug, Clone, Copy)]
pub struct ThreadQuery {
    pub article_id: ArticleId,
    pub sort: CommentSort,
    /// Only the answers to one debate question.
    pub question: Option<QuestionId>,
    pub offset: i64,
    pub limit: i64,
    /// The most replies loaded for each thread of the page (the first, oldest first), so one
    /// huge thread cannot make a page huge.
    pub max_replies: i64,
}

#[derive(Debug, Clone, Default)]
pub struct ThreadPage {
    /// Top-level comments of this page, in order.
    pub roots: Vec<Comment>,
    /// Their replies (any depth), oldest first: up to the query's `max_replies` per thread.
    pub replies: Vec<Comment>,
    /// How many replies each thread of the page has in all, shown or not (threads with none
    /// are left out).
    pub reply_counts: Vec<(CommentId, i64)>,
    /// How many top-level comments the thread shows in all, for paging.
    pub total_roots: i64,
    /// Published comments on the story, as counts show them.
    pub comment_count: i64,
}

/// How a vote on a comment went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoteTally {
    pub upvotes: i64,
    pub downvotes: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(name: &str, body: &str) -> CommentDraft {
        CommentDraft {
            name: name.into(),
            body: body.into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_empty_name_or_body_is_refused_by_field() {
        let errors = draft("  ", "\n").check(100);
        assert!(errors.0["name"][0].contains("empty"));
        assert!(errors.0["body"][0].contains("empty"));
    }

    #[test]
    fn a_body_over_the_limit_is_refused_with_its_length() {
        let errors = draft("Ana", &"é".repeat(101)).check(100);
        assert_eq!(
            errors.0["body"],
            vec!["is 101 characters long; the limit is 100"]
        );
    }

    #[test]
    fn reply_emails_need_an_address() {
        let mut d = draft("Ana", "Hello");
        d.notify_replies = true;
        assert!(d.check(100).0.contains_key("email"));
        d.email = Some("ana@example.org".into());
        assert!(d.check(100).is_empty());
        d.email = Some("not an address".into());
        assert!(d.check(100).0.contains_key("email"));
    }

    #[test]
    fn names_cannot_hide_or_turn_text() {
        assert!(draft("Ana\u{202e}ssE", "Hi")
            .check(100)
            .0
            .contains_key("name"));
        assert!(draft("A\u{200b}na", "Hi").check(100).0.contains_key("name"));
        assert!(draft("Ana\u{7}", "Hi").check(100).0.contains_key("name"));
        assert!(draft("Zoë O'Neill", "Hi").check(100).is_empty());
    }

    #[test]
    fn markup_is_accepted_as_text() {
        assert!(draft("<b>Ana</b>", "<script>alert(1)</script>")
            .check(100)
            .is_empty());
    }
}
