//! The JSON shapes of comments.

use crate::http::admitted::Stamped;
use chrono::{DateTime, Utc};
use newsdesk_core::comment::{Comment, CommentSort, CommentStatus};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A comment as any reader may see it: never its email or address.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentView {
    pub id: i64,
    /// The comment it replies to.
    pub parent_id: Option<i64>,
    /// The debate question it answers.
    pub question_id: Option<i64>,
    /// 0 for a top-level comment.
    pub depth: i64,
    /// Empty for a removed comment.
    pub name: String,
    /// Plain text exactly as written; empty for a removed comment.
    pub body: String,
    /// published, or rejected / deleted for a tombstone.
    pub status: CommentStatus,
    /// Why a moderator removed it.
    pub removed_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub upvotes: i64,
    pub downvotes: i64,
    /// The comment's page on the site.
    pub url: String,
}

impl CommentView {
    pub fn new(c: &Comment, slug: &str) -> CommentView {
        let removed = matches!(c.status, CommentStatus::Rejected | CommentStatus::Deleted);
        CommentView {
            id: c.id.0,
            parent_id: c.parent_id.map(|p| p.0),
            question_id: c.question_id.map(|q| q.0),
            depth: c.depth,
            name: if removed {
                String::new()
            } else {
                c.name.clone()
            },
            body: if removed {
                String::new()
            } else {
                c.body.clone()
            },
            // A writer is not told their comment was filed as spam; it waits, as far as they know.
            status: if c.status == CommentStatus::Spam {
                CommentStatus::Held
            } else {
                c.status
            },
            removed_reason: (c.status == CommentStatus::Rejected).then(|| c.reason.clone()),
            created_at: c.created_at,
            edited_at: c.edited_at,
            upvotes: c.upvotes,
            downvotes: c.downvotes,
            url: crate::services::links::comment_path(slug, c.id),
        }
    }
}

/// A page of a story's conversation: top-level comments in the chosen order, each followed
/// by its replies (oldest first).
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentPage {
    pub items: Vec<CommentView>,
    /// Published comments on the story.
    pub total: i64,
    /// Top-level comments (threads), which paging counts.
    pub threads: i64,
    pub page: i64,
    pub per_page: i64,
    pub sort: CommentSort,
}

/// A new comment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCommentInput {
    /// Shown with the comment; up to 80 characters.
    pub name: String,
    /// Plain text; paragraphs are separated by a blank line; links are made clickable.
    pub body: String,
    /// Never shown; used only for reply emails when `notify_replies` is true.
    pub email: Option<String>,
    #[serde(default)]
    pub notify_replies: bool,
    /// The comment this one answers.
    pub parent_id: Option<i64>,
    /// The debate question this comment answers.
    pub question_id: Option<i64>,
}

/// What became of a new comment.
#[derive(Debug, Serialize, ToSchema)]
pub struct Posted {
    pub id: i64,
    /// published, or held for a moderator.
    pub status: &'static str,
    pub url: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditInput {
    pub body: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteInput {
    /// 1 for up, -1 for down.
    #[schema(minimum = -1, maximum = 1)]
    pub value: i64,
    /// A stamp from `POST /stamp`, made for this reader's cookie; each is taken once.
    pub stamp: String,
}

impl Stamped for VoteInput {
    fn stamp(&self) -> &str {
        &self.stamp
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VoteResult {
    pub upvotes: i64,
    pub downvotes: i64,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FlagInput {
    /// Why the comment should go; up to 200 characters.
    #[serde(default)]
    pub reason: String,
    /// A stamp from `POST /stamp`, made for this reader's cookie; each is taken once.
    pub stamp: String,
}

impl Stamped for FlagInput {
    fn stamp(&self) -> &str {
        &self.stamp
    }
}
