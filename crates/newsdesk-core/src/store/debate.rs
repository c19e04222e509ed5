//! The readers' debate: comments and their threads, votes and reports, polls and the
//! questions readers propose.

use super::StoreError;
use crate::comment::{Comment, CommentStatus, NewComment, ThreadPage, ThreadQuery, VoteTally};
use crate::debate::{PollAnswer, PollTally};
use crate::ids::{ArticleId, CommentId, QuestionId, ReaderId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[async_trait]
pub trait DebateStore: Send + Sync {
    /// Stores a new comment; answers once it is durable. `NotFound` when its parent is not
    /// a comment of the same story.
    async fn add_comment(&self, comment: NewComment) -> Result<Comment, StoreError>;
    async fn find_comment(&self, id: CommentId) -> Result<Option<Comment>, StoreError>;
    async fn thread_page(&self, query: &ThreadQuery) -> Result<ThreadPage, StoreError>;
    /// How many threads of a story start at or before `root` (oldest first): which page of the
    /// conversation a comment is on.
    async fn threads_up_to(&self, article: ArticleId, root: CommentId) -> Result<i64, StoreError>;
    /// A story's newest published comments, newest first: what its comments feed shows.
    async fn recent_comments(
        &self,
        article: ArticleId,
        limit: i64,
    ) -> Result<Vec<Comment>, StoreError>;
    async fn edit_comment(
        &self,
        id: CommentId,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<Comment, StoreError>;
    async fn set_comment_status(
        &self,
        id: CommentId,
        status: CommentStatus,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Comment, StoreError>;
    /// One vote per reader: a second is `Conflict::AlreadyVoted`.
    async fn vote_comment(
        &self,
        id: CommentId,
        reader: &ReaderId,
        up: bool,
        now: DateTime<Utc>,
    ) -> Result<VoteTally, StoreError>;
    /// One flag per reader: a second is `Conflict::AlreadyFlagged`. At `hide_at` flags
    /// (0: never) a published comment is held for a moderator.
    async fn flag_comment(
        &self,
        id: CommentId,
        reader: &ReaderId,
        reason: &str,
        hide_at: i64,
        now: DateTime<Utc>,
    ) -> Result<Comment, StoreError>;
    /// Conversations changed at or after `since_ms`: (story slug, change time in ms).
    async fn threads_changed_since(&self, since_ms: i64) -> Result<Vec<(String, i64)>, StoreError>;
    /// One answer per reader and question: a second is `Conflict::AlreadyAnswered`.
    async fn vote_poll(
        &self,
        question: QuestionId,
        reader: &ReaderId,
        answer: PollAnswer,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    async fn poll_tallies(&self, article: ArticleId) -> Result<Vec<PollTally>, StoreError>;
    /// A question a reader proposes for the debate; it waits for a moderator.
    async fn propose_question(
        &self,
        article: ArticleId,
        text: &str,
        name: &str,
        reader: &ReaderId,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError>;
}
