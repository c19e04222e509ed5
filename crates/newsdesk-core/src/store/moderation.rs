//! What moderators see and do: the queue and its actions, bans, comment modes, the log,
//! reader proposals, and what the spam classifier learnt from them.

use super::StoreError;
use crate::classifier::SpamModel;
use crate::comment::Comment;
use crate::ids::{ArticleId, CommentId};
use crate::input::ArticleFields;
use crate::moderation::{
    Ban, LogEntry, ModAction, ModeScope, ModeTable, NewBan, Proposal, QueueFilter, QueueItem,
};
use crate::screen::CommentMode;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A change to a story made with a decision: the story as read (its id and revision) and its
/// fields as they are to be.
#[derive(Debug, Clone, Copy)]
pub struct StoryChange<'a> {
    pub id: ArticleId,
    pub revision: i64,
    pub fields: &'a ArticleFields,
}

#[async_trait]
pub trait ModerationStore: Send + Sync {
    /// A page of the moderators' queue and how many items it holds in all.
    async fn moderation_queue(
        &self,
        filter: &QueueFilter,
    ) -> Result<(Vec<QueueItem>, i64), StoreError>;
    /// Applies one action to comments in one transaction, logs it, and teaches the classifier.
    /// Comments that do not exist are skipped.
    async fn moderate(
        &self,
        ids: &[CommentId],
        action: ModAction,
        reason: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Comment>, StoreError>;
    async fn add_ban(&self, ban: &NewBan, now: DateTime<Utc>) -> Result<i64, StoreError>;
    /// Ends a ban now; `NotFound` when there is no such ban in force.
    async fn lift_ban(&self, id: i64, actor: &str, now: DateTime<Utc>) -> Result<(), StoreError>;
    async fn active_bans(&self, now: DateTime<Utc>) -> Result<Vec<Ban>, StoreError>;
    /// Sets (or with `None` clears) a scope's comment mode.
    async fn set_comment_mode(
        &self,
        scope: &ModeScope,
        mode: Option<CommentMode>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    async fn comment_modes(&self) -> Result<ModeTable, StoreError>;
    /// The newest entries of the moderation log, of one comment or of all.
    async fn moderation_log(
        &self,
        comment: Option<CommentId>,
        limit: i64,
    ) -> Result<Vec<LogEntry>, StoreError>;
    async fn pending_proposals(&self) -> Result<Vec<Proposal>, StoreError>;
    /// Marks a proposal accepted or declined, with the change to its story that acceptance
    /// makes (its question added) in the same transaction; answers it, or `NotFound` if
    /// already decided, or `Stale` (nothing done) when the story moved on since it was read.
    async fn decide_proposal(
        &self,
        id: i64,
        accept: bool,
        story: Option<StoryChange<'_>>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Proposal, StoreError>;
    /// What the spam classifier has learnt from moderators.
    async fn spam_model(&self) -> Result<SpamModel, StoreError>;
}
