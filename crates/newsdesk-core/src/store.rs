//! The `Store` trait: everything newsdesk keeps, independent of the database behind it.

use crate::article::{Article, ArticleStatus};
use crate::classifier::SpamModel;
use crate::comment::{Comment, CommentStatus, NewComment, ThreadPage, ThreadQuery, VoteTally};
use crate::debate::{PollAnswer, PollTally};
use crate::ids::{ArticleId, CommentId, QuestionId, ReaderId, UserId};
use crate::input::ArticleFields;
use crate::moderation::{
    Ban, LogEntry, ModAction, ModeScope, ModeTable, NewBan, Proposal, QueueFilter, QueueItem, User,
};
use crate::role::Role;
use crate::screen::CommentMode;
use crate::story_text::StoryText;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} is already taken")]
    Conflict(String),
    #[error("not found")]
    NotFound,
    /// The story changed since it was read; the caller may retry with the new version.
    #[error("the story was changed by someone else")]
    Stale,
    #[error("storage failure: {0}")]
    Internal(String),
}

/// Which stories a list holds.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    pub section: Option<String>,
    pub tag: Option<String>,
    /// The author's slug, as in `/author/maya-okafor`.
    pub author: Option<String>,
    /// `Published` also matches scheduled stories whose time has come.
    pub status: Option<ArticleStatus>,
    /// Only what readers may see at `now`.
    pub live_only: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub offset: i64,
    pub limit: i64,
}

impl PageRequest {
    pub fn page(page: i64, per_page: i64) -> Self {
        let page = page.max(1);
        PageRequest {
            offset: (page - 1) * per_page,
            limit: per_page,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ArticleList {
    pub items: Vec<Article>,
    pub total: i64,
}

/// What a promo needs of the story it links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromoTarget {
    /// The slug the promo names, which may be a story's former slug.
    pub slug: String,
    /// The story's slug now, for the link.
    pub current_slug: String,
    pub headline: String,
    pub section: String,
    pub live: bool,
}

/// An email waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundEmail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// For the `List-Unsubscribe` header of reply emails.
    pub unsubscribe_url: Option<String>,
}

/// One story of an import batch and who will own it.
#[derive(Debug, Clone)]
pub struct ImportItem {
    pub fields: ArticleFields,
    pub owner: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: i64,
    pub role: Role,
    pub label: String,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Adds a story; `Conflict` when its slug is taken (by a story or an old slug).
    async fn insert_article(
        &self,
        fields: &ArticleFields,
        owner: &str,
        now: DateTime<Utc>,
    ) -> Result<Article, StoreError>;
    /// Replaces a story's fields if it is still at `revision`; an old slug keeps redirecting.
    async fn update_article(
        &self,
        id: ArticleId,
        revision: i64,
        fields: &ArticleFields,
        now: DateTime<Utc>,
    ) -> Result<Article, StoreError>;
    async fn delete_article(&self, id: ArticleId) -> Result<(), StoreError>;
    /// A story by its slug, or by a slug it had before.
    async fn find_article(&self, slug: &str) -> Result<Option<Article>, StoreError>;
    /// Who created the story (`token:ID` or `user:ID`), for the "own stories" rule.
    async fn article_owner(&self, id: ArticleId) -> Result<String, StoreError>;
    async fn list_articles(
        &self,
        filter: &ArticleFilter,
        page: PageRequest,
        now: DateTime<Utc>,
    ) -> Result<ArticleList, StoreError>;
    /// Every story, drafts too, in a stable order: what an export writes.
    async fn all_articles(&self) -> Result<Vec<Article>, StoreError>;
    async fn promo_targets(
        &self,
        slugs: &[String],
        now: DateTime<Utc>,
    ) -> Result<Vec<PromoTarget>, StoreError>;
    /// Writes a whole batch of stories in one transaction, replacing stories of the same slug.
    async fn import_articles(
        &self,
        items: &[ImportItem],
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError>;
    /// Every live story's id and revision: what a node compares its related and search
    /// indexes with.
    async fn live_stamps(&self, now: DateTime<Utc>) -> Result<Vec<(ArticleId, i64)>, StoreError>;
    /// A slice of the live stories, oldest first, as (slug, last change in ms): one sitemap file.
    async fn sitemap_entries(
        &self,
        now: DateTime<Utc>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<(String, i64)>, StoreError>;
    /// The text of these stories, for the related-stories index.
    async fn story_texts(&self, ids: &[ArticleId]) -> Result<Vec<StoryText>, StoreError>;
    /// These stories (any that exist), in no particular order.
    async fn articles_by_ids(&self, ids: &[ArticleId]) -> Result<Vec<Article>, StoreError>;
    /// Sections with live stories and how many each has, largest first.
    async fn sections(&self, now: DateTime<Utc>) -> Result<Vec<(String, i64)>, StoreError>;
    /// Turns scheduled stories whose time has come into published ones; idempotent on every node.
    async fn publish_due(&self, now: DateTime<Utc>) -> Result<u64, StoreError>;
    async fn create_token(
        &self,
        token_hash: &str,
        role: Role,
        label: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError>;
    async fn find_token(&self, token_hash: &str) -> Result<Option<TokenRecord>, StoreError>;
    /// A number every write moves forward: a node whose cached pages were made at an older
    /// revision drops them.
    async fn site_revision(&self) -> Result<i64, StoreError>;
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
    /// One vote per reader: a second is a `Conflict`.
    async fn vote_comment(
        &self,
        id: CommentId,
        reader: &ReaderId,
        up: bool,
        now: DateTime<Utc>,
    ) -> Result<VoteTally, StoreError>;
    /// One flag per reader: a second is a `Conflict`. At `hide_at` flags (0: never) a
    /// published comment is held for a moderator.
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
    /// One answer per reader and question: a second is a `Conflict`.
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
    /// The secret all nodes share under `name`, set to `proposed` if there is none yet.
    async fn shared_secret(&self, name: &str, proposed: &str) -> Result<String, StoreError>;
    /// A newsroom account; `Conflict` when the email is taken.
    async fn create_user(
        &self,
        email: &str,
        password_hash: &str,
        role: Role,
        queue_emails: bool,
        now: DateTime<Utc>,
    ) -> Result<User, StoreError>;
    /// The account and its password hash.
    async fn find_user_by_email(&self, email: &str) -> Result<Option<(User, String)>, StoreError>;
    async fn create_session(
        &self,
        id_hash: &str,
        user: UserId,
        csrf: &str,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// The session's user and CSRF token, if the session exists and has not expired.
    async fn find_session(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(User, String)>, StoreError>;
    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError>;
    /// Failed logins in a row under `key` and the time of the last.
    async fn login_failures(&self, key: &str) -> Result<(i64, DateTime<Utc>), StoreError>;
    async fn record_login_failure(&self, key: &str, now: DateTime<Utc>) -> Result<(), StoreError>;
    async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError>;
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
    /// Marks a proposal accepted or declined; answers it, or `NotFound` if already decided.
    async fn decide_proposal(
        &self,
        id: i64,
        accept: bool,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Proposal, StoreError>;
    /// What the spam classifier has learnt from moderators.
    async fn spam_model(&self) -> Result<SpamModel, StoreError>;
    /// Puts an email in the outbox; it survives a crash and is sent by whichever node claims it.
    async fn enqueue_email(
        &self,
        recipient: &str,
        subject: &str,
        body: &str,
        unsubscribe_url: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError>;
    /// Claims up to `limit` unsent emails for this node; a claim lapses after a minute, so an
    /// email a crashed node claimed is sent by another.
    async fn claim_emails(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<OutboundEmail>, StoreError>;
    /// Records how sending went: sent, or the error (tried again later, five times at most).
    async fn finish_email(
        &self,
        id: i64,
        outcome: Result<(), String>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    async fn opt_out(&self, email: &str, now: DateTime<Utc>) -> Result<(), StoreError>;
    async fn opted_out(&self, email: &str) -> Result<bool, StoreError>;
    /// Moderators who want the queue by email.
    async fn queue_subscribers(&self) -> Result<Vec<String>, StoreError>;
    /// Held comments newer than the last digest: their count and the newest id, if this node
    /// wins the right to send the next digest (one node does, however many there are).
    async fn claim_queue_digest(&self) -> Result<Option<(i64, i64)>, StoreError>;
    /// Whether the store answers: what `/healthz` asks.
    async fn ping(&self) -> Result<(), StoreError>;
}
