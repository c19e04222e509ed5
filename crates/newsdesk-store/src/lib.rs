//! Storage: `SqlStore`, the `Store` trait on SQLite (the default) and PostgreSQL.
//!
//! The SQL is written once with `$N` placeholders, which both backends accept; only the
//! migrations differ. SQLite gets one writer connection (writes queue instead of failing
//! busy) and a pool of readers, in WAL mode with full fsync on commit. Each area of the
//! store is implemented in its own module.

mod accounts;
mod audit;
mod backup;
mod debate;
mod imports;
mod mail;
mod media;
mod moderation;
mod pages;
mod people;
mod reply_consent;
mod rows;
mod secrets;
mod site;
mod stories;

pub use backup::sqlite_integrity;

use chrono::{DateTime, Utc};
use newsdesk_core::{Conflict, StoreError};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use std::sync::atomic::{AtomicBool, Ordering};
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
    comments: debate::CommentWriter,
}

/// A database error as a store error. A broken uniqueness rule is a conflict, but nothing
/// here knows which value broke it: it keeps the database's name for the rule, and callers
/// that know what they wrote name it with `conflict_as`.
pub(crate) fn internal(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        if db.is_unique_violation() {
            let rule = db
                .constraint()
                .map_or_else(|| db.message().to_string(), str::to_string);
            return StoreError::Conflict(Conflict::Unnamed(rule));
        }
    }
    if unavailable(&e) {
        return StoreError::Unavailable(e.to_string());
    }
    StoreError::Internal(e.to_string())
}

/// A failure that passes by itself: a full disk (SQLite's SQLITE_FULL, PostgreSQL's
/// disk_full and insufficient_resources), or a database that cannot be reached (restarting,
/// shutting down, too many connections).
fn unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => true,
        sqlx::Error::Database(db) => {
            let code = db.code();
            // SQLite's primary code is the low byte of its extended code.
            let sqlite_full = code
                .as_deref()
                .and_then(|c| c.parse::<i64>().ok())
                .is_some_and(|c| c & 0xff == 13);
            let postgres = code.as_deref().is_some_and(|c| {
                matches!(c, "53100" | "53200" | "53300" | "57P01" | "57P02" | "57P03")
            });
            let sqlite_full = sqlite_full || db.message().contains("database or disk is full");
            if sqlite_full {
                SQLITE_DISK_FULL.store(true, Ordering::Release);
            }
            sqlite_full || postgres
        }
        _ => false,
    }
}

/// Reads a broken uniqueness rule in a write that can only break one as `conflict`.
pub(crate) fn conflict_as(conflict: Conflict) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(conflict),
        _ => internal(e),
    }
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
                    comments: debate::CommentWriter::start(write.clone()),
                    read,
                    write,
                    backend,
                }
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    // While PostgreSQL is out of reach each request waits this long for a
                    // connection before its 503: short, so no reader waits long.
                    .acquire_timeout(Duration::from_secs(5))
                    .connect(url)
                    .await
                    .map_err(internal)?;
                sqlx::migrate!("./migrations/postgres")
                    .run(&pool)
                    .await
                    .map_err(|e| StoreError::Internal(format!("migration failed: {e}")))?;
                SqlStore {
                    comments: debate::CommentWriter::start(pool.clone()),
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

    /// Each pool's name, open connections and idle ones, for the metrics.
    pub fn pool_use(&self) -> [(&'static str, u32, usize); 2] {
        [
            ("read", self.read.size(), self.read.num_idle()),
            ("write", self.write.size(), self.write.num_idle()),
        ]
    }

    /// The bytes SQLite holds on its own heap across the process's connections (page caches,
    /// prepared statements), for the metrics; `None` on PostgreSQL. Each connection's share is
    /// bounded (its `cache_size`, its statement cache), so it grows with the database only to
    /// that bound.
    pub fn sqlite_memory_bytes(&self) -> Option<i64> {
        // SAFETY: reads SQLite's global memory counter; no pointers, any thread, any time.
        (self.backend == Backend::Sqlite).then(|| unsafe { libsqlite3_sys::sqlite3_memory_used() })
    }

    /// Closes every connection, flushing SQLite's WAL; called on shutdown.
    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}

/// Set when SQLite found its disk full. SQLite then rolls the open transaction back by itself,
/// so sqlx's own ROLLBACK fails and it goes on believing a transaction is open: its next
/// "transaction" would be a SAVEPOINT inside a real one that never commits, and writes would
/// be acknowledged that no one else sees and a restart loses. The writer's connection is
/// closed instead when it next returns to its pool, and a fresh one starts clean. (Any store
/// of the process may set it; closing a healthy writer connection costs one reconnect.)
static SQLITE_DISK_FULL: AtomicBool = AtomicBool::new(false);

async fn sqlite_pool(url: &str, size: u32) -> Result<AnyPool, StoreError> {
    let writer = size == 1;
    AnyPoolOptions::new()
        .max_connections(size)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        .after_release(move |_conn, _meta| {
            Box::pin(async move { Ok(!(writer && SQLITE_DISK_FULL.swap(false, Ordering::AcqRel))) })
        })
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
