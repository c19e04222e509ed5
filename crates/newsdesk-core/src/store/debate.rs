//! The readers' debate: comments and their threads, votes and reports, polls and the
//! questions readers propose.

use super::StoreError;
use crate::comment::{Comment, CommentStatus, NewComment, ThreadPage, ThreadQuery, VoteTally};
use crate::debate::{PollAnswer, PollTally};
use crate::ids::{ArticleId, CommentId, QuestionId, ReaderId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A reader's report of a comment, as the store takes it.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    pub reader: &'a ReaderId,
    /// Where it came from (an IPv4 address or an IPv6 /64): one address counts once.
    pub address: &'a str,
    pub reason: &'a str,
    /// What the reports that count must weigh together to hide the comment (0: never).
    pub hide_at: i64,
    /// A report counts toward hiding only when its reader has a comment published at or
    /// before this and none rejected or marked spam: a new cookie has no say.
    pub trusted_before: DateTime<Utc>,
}

#[async_trait]
pub trait DebateStore: Send + Sync {
    /// Stores a new comment; answers once it is durable. `NotFound` when its parent is not
    /// a comment of the same story.
    async fn add_comment(&self, comment: NewComment) -> Result<Comment, StoreError>;
    async fn find_comment(&self, id: CommentId) -> Result<Option<Comment>, StoreError>;
    async fn thread_page(&self, query: &ThreadQuery) -> Result<ThreadPage, StoreError>;
    /// A page of one thread's replies (any depth, oldest first) and how many it has in all:
    /// a long thread read on its own page.
    async fn thread_replies(
        &self,
        root: CommentId,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<Comment>, i64), StoreError>;
    /// How many threads of a story start at or before `root` (oldest first): which page of the
    /// conversation a comment is on.
    async fn threads_up_to(&self, article: ArticleId, root: CommentId) -> Result<i64, StoreError>;
    /// A story's newest published comments, newest first: what its comments feed shows.
    async fn recent_comments(
        &self,
        article: ArticleId,
        limit: i64,
    ) -> Result<Vec<Comment>, StoreError>;
    /// New words for a comment, with the screening's verdict on them (status and reason) taken
    /// in the same transaction: a published comment the verdict would hold goes back to the
    /// queue, never public unscreened, and a held one's reason follows its new text.
    async fn edit_comment(
        &self,
        id: CommentId,
        body: &str,
        verdict: (CommentStatus, &str),
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
    /// One report per reader: a second is `Conflict::AlreadyFlagged`. When the reports of
    /// readers with a record (see `Report`) reach `hide_at` (0: never), a published comment
    /// is held for a moderator, and the moderation log says so.
    async fn flag_comment(
        &self,
        id: CommentId,
        report: &Report<'_>,
        now: DateTime<Utc>,
    ) -> Result<Comment, StoreError>;
    /// Takes a form stamp for good: a second use is `Conflict::StampSpent`. Stamps past `until`
    /// are forgotten by `forget_spent_stamps`.
    async fn spend_stamp(&self, stamp: &str, until: DateTime<Utc>) -> Result<(), StoreError>;
    /// Forgets stamps that expired before `now` (they would be refused as expired anyway).
    async fn forget_spent_stamps(&self, now: DateTime<Utc>) -> Result<u64, StoreError>;
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
