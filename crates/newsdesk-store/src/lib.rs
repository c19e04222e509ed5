//! Storage: `SqlStore`, the `Store` trait on SQLite (the default) and PostgreSQL.
//!
//! The SQL is written once with `$N` placeholders, which both backends accept; only the
//! migrations differ. SQLite gets one writer connection (writes queue instead of failing
//! busy) and a pool of readers, in WAL mode with full fsync on commit.

mod accounts;
mod articles;
mod comments;
mod debate;
mod moderation;
mod outbox;
mod rows;
mod tokens;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use newsdesk_core::classifier::SpamModel;
use newsdesk_core::comment::{
    Comment, CommentStatus, NewComment, ThreadPage, ThreadQuery, VoteTally,
};
use newsdesk_core::debate::{PollAnswer, PollTally};
use newsdesk_core::moderation::{
    Ban, LogEntry, ModAction, ModeScope, ModeTable, NewBan, Proposal, QueueFilter, QueueItem, User,
};
use newsdesk_core::screen::CommentMode;
use newsdesk_core::store::{
    ArticleFilter, ArticleList, ImportItem, OutboundEmail, PageRequest, PromoTarget, TokenRecord,
};
use newsdesk_core::UserId;
use newsdesk_core::{
    Article, ArticleFields, ArticleId, CommentId, QuestionId, ReaderId, Role, Store, StoreError,
};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct SqlStore {
    read: AnyPool,
    write: AnyPool,
    backend: Backend,
    comments: comments::CommentWriter,
}

pub(crate) fn internal(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        if db.is_unique_violation() {
            return StoreError::Conflict("that slug".into());
        }
    }
    StoreError::Internal(e.to_string())
}

impl SqlStore {
    /// Connects to `sqlite://PATH` or `postgres://…` and brings the schema up to date.
    pub async fn connect(url: &str) -> Result<SqlStore, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::Internal(format!(
                "unsupported database URL '{url}': use sqlite://PATH or postgres://…"
            )));
        };
        let store = match backend {
            Backend::Sqlite => {
                let url = if url.contains('?') {
                    url.to_string()
                } else {
                    format!("{url}?mode=rwc")
                };
                let write = sqlite_pool(&url, 1).await?;
                // The writer runs the migrations first, so readers open an existing schema.
                sqlx::migrate!("./migrations/sqlite")
                    .run(&write)
                    .await
                    .map_err(|e| StoreError::Internal(format!("migration failed: {e}")))?;
                let read = sqlite_pool(&url, 8).await?;
                SqlStore {
                    comments: comments::CommentWriter::start(write.clone()),
                    read,
                    write,
                    backend,
                }
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await
                    .map_err(internal)?;
                sqlx::migrate!("./migrations/postgres")
                    .run(&pool)
                    .await
                    .map_err(|e| StoreError::Internal(format!("migration failed: {e}")))?;
                SqlStore {
                    comments: comments::CommentWriter::start(pool.clone()),
                    read: pool.clone(),
                    write: pool,
                    backend,
                }
            }
        };
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes every connection, flushing SQLite's WAL; called on shutdown.
    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}

async fn sqlite_pool(url: &str, size: u32) -> Result<AnyPool, StoreError> {
    AnyPoolOptions::new()
        .max_connections(size)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                // WAL lets readers run beside the writer; FULL makes every acknowledged
                // commit survive a power cut, not just a process crash.
                conn.execute("PRAGMA journal_mode = WAL").await?;
                conn.execute("PRAGMA synchronous = FULL").await?;
                conn.execute("PRAGMA foreign_keys = ON").await?;
                conn.execute("PRAGMA busy_timeout = 10000").await?;
                Ok(())
            })
        })
        .connect(url)
        .await
        .map_err(internal)
}

/// PostgreSQL cannot hold NUL in text; no stored key contains one, so such a lookup finds
/// nothing on either backend instead of failing on one.
fn has_nul(s: &str) -> bool {
    s.contains('\0')
}

pub(crate) fn millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

#[async_trait]
impl Store for SqlStore {
    async fn insert_article(
        &self,
        fields: &ArticleFields,
        owner: &str,
        now: DateTime<Utc>,
    ) -> Result<Article, StoreError> {
        let id = articles::insert(&self.write, fields, owner, now).await?;
        self.load_written(id).await
    }

    async fn update_article(
        &self,
        id: ArticleId,
        revision: i64,
        fields: &ArticleFields,
        now: DateTime<Utc>,
    ) -> Result<Article, StoreError> {
        articles::update(&self.write, id, Some(revision), fields, now).await?;
        self.load_written(id).await
    }

    async fn delete_article(&self, id: ArticleId) -> Result<(), StoreError> {
        articles::delete(&self.write, id).await
    }

    async fn find_article(&self, slug: &str) -> Result<Option<Article>, StoreError> {
        if has_nul(slug) {
            return Ok(None);
        }
        articles::find_by_slug(&self.read, slug).await
    }

    async fn article_owner(&self, id: ArticleId) -> Result<String, StoreError> {
        articles::owner(&self.read, id).await
    }

    async fn list_articles(
        &self,
        filter: &ArticleFilter,
        page: PageRequest,
        now: DateTime<Utc>,
    ) -> Result<ArticleList, StoreError> {
        let asked = [&filter.section, &filter.tag, &filter.author];
        if asked.iter().any(|v| v.as_deref().is_some_and(has_nul)) {
            return Ok(ArticleList {
                items: Vec::new(),
                total: 0,
            });
        }
        articles::list(&self.read, filter, page, now).await
    }

    async fn all_articles(&self) -> Result<Vec<Article>, StoreError> {
        articles::all(&self.read).await
    }

    async fn promo_targets(
        &self,
        slugs: &[String],
        now: DateTime<Utc>,
    ) -> Result<Vec<PromoTarget>, StoreError> {
        let slugs: Vec<String> = slugs.iter().filter(|s| !has_nul(s)).cloned().collect();
        articles::promo_targets(&self.read, &slugs, now).await
    }

    async fn import_articles(
        &self,
        items: &[ImportItem],
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        articles::import(&self.write, items, now).await
    }

    async fn live_stamps(&self, now: DateTime<Utc>) -> Result<Vec<(ArticleId, i64)>, StoreError> {
        articles::live_stamps(&self.read, now).await
    }

    async fn sitemap_entries(
        &self,
        now: DateTime<Utc>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        articles::sitemap_entries(&self.read, now, offset, limit).await
    }

    async fn story_texts(
        &self,
        ids: &[ArticleId],
    ) -> Result<Vec<newsdesk_core::story_text::StoryText>, StoreError> {
        articles::story_texts(&self.read, ids).await
    }

    async fn articles_by_ids(&self, ids: &[ArticleId]) -> Result<Vec<Article>, StoreError> {
        articles::by_ids(&self.read, ids).await
    }

    async fn sections(&self, now: DateTime<Utc>) -> Result<Vec<(String, i64)>, StoreError> {
        articles::sections(&self.read, now).await
    }

    async fn publish_due(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        articles::publish_due(&self.write, now).await
    }

    async fn create_token(
        &self,
        token_hash: &str,
        role: Role,
        label: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        tokens::create(&self.write, token_hash, role, label, now).await
    }

    async fn find_token(&self, token_hash: &str) -> Result<Option<TokenRecord>, StoreError> {
        if has_nul(token_hash) {
            return Ok(None);
        }
        tokens::find(&self.read, token_hash).await
    }

    async fn site_revision(&self) -> Result<i64, StoreError> {
        articles::site_revision(&self.read).await
    }

    async fn add_comment(&self, comment: NewComment) -> Result<Comment, StoreError> {
        self.comments.add(comment).await
    }

    async fn find_comment(&self, id: CommentId) -> Result<Option<Comment>, StoreError> {
        comments::find(&self.read, id).await
    }

    async fn thread_page(&self, query: &ThreadQuery) -> Result<ThreadPage, StoreError> {
        comments::thread_page(&self.read, query).await
    }

    async fn threads_up_to(&self, article: ArticleId, root: CommentId) -> Result<i64, StoreError> {
        comments::threads_up_to(&self.write, article, root).await
    }

    async fn recent_comments(
        &self,
        article: ArticleId,
        limit: i64,
    ) -> Result<Vec<Comment>, StoreError> {
        comments::recent(&self.read, article, limit).await
    }

    async fn edit_comment(
        &self,
        id: CommentId,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<Comment, StoreError> {
        comments::edit(&self.write, id, body, now).await
    }

    async fn set_comment_status(
        &self,
        id: CommentId,
        status: CommentStatus,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Comment, StoreError> {
        comments::set_status(&self.write, id, status, reason, now).await
    }

    async fn vote_comment(
        &self,
        id: CommentId,
        reader: &ReaderId,
        up: bool,
        now: DateTime<Utc>,
    ) -> Result<VoteTally, StoreError> {
        comments::vote(&self.write, id, reader, up, now).await
    }

    async fn flag_comment(
        &self,
        id: CommentId,
        reader: &ReaderId,
        reason: &str,
        hide_at: i64,
        now: DateTime<Utc>,
    ) -> Result<Comment, StoreError> {
        comments::flag(&self.write, id, reader, reason, hide_at, now).await
    }

    async fn threads_changed_since(&self, since_ms: i64) -> Result<Vec<(String, i64)>, StoreError> {
        comments::changed_since(&self.read, since_ms).await
    }

    async fn vote_poll(
        &self,
        question: QuestionId,
        reader: &ReaderId,
        answer: PollAnswer,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        debate::vote(&self.write, question, reader, answer, now).await
    }

    async fn poll_tallies(&self, article: ArticleId) -> Result<Vec<PollTally>, StoreError> {
        debate::tallies(&self.read, article).await
    }

    async fn propose_question(
        &self,
        article: ArticleId,
        text: &str,
        name: &str,
        reader: &ReaderId,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        debate::propose(&self.write, article, text, name, reader, now).await
    }

    async fn shared_secret(&self, name: &str, proposed: &str) -> Result<String, StoreError> {
        debate::shared_secret(&self.write, name, proposed).await
    }

    async fn create_user(
        &self,
        email: &str,
        password_hash: &str,
        role: Role,
        queue_emails: bool,
        now: DateTime<Utc>,
    ) -> Result<User, StoreError> {
        accounts::create(&self.write, email, password_hash, role, queue_emails, now).await
    }

    async fn find_user_by_email(&self, email: &str) -> Result<Option<(User, String)>, StoreError> {
        if has_nul(email) {
            return Ok(None);
        }
        accounts::by_email(&self.read, email).await
    }

    async fn create_session(
        &self,
        id_hash: &str,
        user: UserId,
        csrf: &str,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        accounts::create_session(&self.write, id_hash, user, csrf, now, expires).await
    }

    async fn find_session(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(User, String)>, StoreError> {
        // Read through the writer: a session made a moment ago must be found at once.
        accounts::find_session(&self.write, id_hash, now).await
    }

    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        accounts::delete_session(&self.write, id_hash).await
    }

    async fn login_failures(&self, key: &str) -> Result<(i64, DateTime<Utc>), StoreError> {
        if has_nul(key) {
            return Ok((0, DateTime::<Utc>::default()));
        }
        accounts::failures(&self.write, key).await
    }

    async fn record_login_failure(&self, key: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        if has_nul(key) {
            return Ok(());
        }
        accounts::record_failure(&self.write, key, now).await
    }

    async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        accounts::clear_failures(&self.write, key).await
    }

    async fn moderation_queue(
        &self,
        filter: &QueueFilter,
    ) -> Result<(Vec<QueueItem>, i64), StoreError> {
        if filter.reason.as_deref().is_some_and(has_nul) {
            return Ok((Vec::new(), 0));
        }
        moderation::queue(&self.write, filter).await
    }

    async fn moderate(
        &self,
        ids: &[CommentId],
        action: ModAction,
        reason: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Comment>, StoreError> {
        moderation::moderate(&self.write, ids, action, reason, actor, now).await
    }

    async fn add_ban(&self, ban: &NewBan, now: DateTime<Utc>) -> Result<i64, StoreError> {
        moderation::add_ban(&self.write, ban, now).await
    }

    async fn lift_ban(&self, id: i64, actor: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        moderation::lift_ban(&self.write, id, actor, now).await
    }

    async fn active_bans(&self, now: DateTime<Utc>) -> Result<Vec<Ban>, StoreError> {
        moderation::active_bans(&self.read, now).await
    }

    async fn set_comment_mode(
        &self,
        scope: &ModeScope,
        mode: Option<CommentMode>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        moderation::set_mode(&self.write, scope, mode, actor, now).await
    }

    async fn comment_modes(&self) -> Result<ModeTable, StoreError> {
        moderation::modes(&self.read).await
    }

    async fn moderation_log(
        &self,
        comment: Option<CommentId>,
        limit: i64,
    ) -> Result<Vec<LogEntry>, StoreError> {
        moderation::log_entries(&self.write, comment, limit).await
    }

    async fn pending_proposals(&self) -> Result<Vec<Proposal>, StoreError> {
        moderation::pending_proposals(&self.write).await
    }

    async fn decide_proposal(
        &self,
        id: i64,
        accept: bool,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Proposal, StoreError> {
        moderation::decide_proposal(&self.write, id, accept, actor, now).await
    }

    async fn spam_model(&self) -> Result<SpamModel, StoreError> {
        moderation::spam_model(&self.read).await
    }

    async fn enqueue_email(
        &self,
        recipient: &str,
        subject: &str,
        body: &str,
        unsubscribe_url: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        outbox::enqueue(&self.write, recipient, subject, body, unsubscribe_url, now).await
    }

    async fn claim_emails(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<OutboundEmail>, StoreError> {
        outbox::claim(&self.write, now, limit).await
    }

    async fn finish_email(
        &self,
        id: i64,
        outcome: Result<(), String>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        outbox::finish(&self.write, id, outcome, now).await
    }

    async fn opt_out(&self, email: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        outbox::opt_out(&self.write, email, now).await
    }

    async fn opted_out(&self, email: &str) -> Result<bool, StoreError> {
        if has_nul(email) {
            return Ok(false);
        }
        outbox::opted_out(&self.read, email).await
    }

    async fn queue_subscribers(&self) -> Result<Vec<String>, StoreError> {
        outbox::queue_subscribers(&self.read).await
    }

    async fn claim_queue_digest(&self) -> Result<Option<(i64, i64)>, StoreError> {
        outbox::claim_digest(&self.write).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.read)
            .await
            .map_err(internal)?;
        Ok(())
    }
}

impl SqlStore {
    /// Reads back what was just written through the writer, which has seen the commit.
    async fn load_written(&self, id: ArticleId) -> Result<Article, StoreError> {
        articles::find_by_id(&self.write, id)
            .await?
            .ok_or(StoreError::NotFound)
    }
}
