//! A story's thread as a whole: the counts kept beside it, the stamp every node's cache
//! follows, and which statuses show in it.

use crate::{internal, millis};
use chrono::{DateTime, Utc};
use newsdesk_core::{ArticleId, CommentId, StoreError};
use sqlx::{Any, Row, Transaction};

/// The statuses that take a place in the public thread.
pub(crate) const IN_THREAD: &str = "('published', 'rejected', 'deleted')";

/// Adds to a story's counts and marks its conversation as changed, for every node's cache.
pub(crate) async fn touch_thread(
    tx: &mut Transaction<'static, Any>,
    article: ArticleId,
    comments: i64,
    roots: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO threads (article_id, comments, roots, changed_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (article_id) DO UPDATE SET comments = threads.comments + excluded.comments, \
         roots = threads.roots + excluded.roots, changed_at = excluded.changed_at",
    )
    .bind(article.0)
    .bind(comments)
    .bind(roots)
    .bind(millis(now))
    .execute(&mut **tx)
    .await
    .map_err(internal)?;
    Ok(())
}

/// Counts a story's thread again after a status change, which may move either count.
pub(crate) async fn recount(
    tx: &mut Transaction<'static, Any>,
    article: ArticleId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    touch_thread(tx, article, 0, 0, now).await?;
    sqlx::query(&format!(
        "UPDATE threads SET \
         comments = (SELECT COUNT(*) FROM comments WHERE article_id = $1 AND status = 'published'), \
         roots = (SELECT COUNT(*) FROM comments WHERE article_id = $1 AND depth = 0 AND status IN {IN_THREAD}) \
         WHERE article_id = $1"
    ))
    .bind(article.0)
    .execute(&mut **tx)
    .await
    .map_err(internal)?;
    Ok(())
}

pub(super) async fn article_of(
    tx: &mut Transaction<'static, Any>,
    id: CommentId,
) -> Result<ArticleId, StoreError> {
    let row = sqlx::query("SELECT article_id FROM comments WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await
        .map_err(internal)?
        .ok_or(StoreError::NotFound)?;
    Ok(ArticleId(row.try_get(0).map_err(internal)?))
}
