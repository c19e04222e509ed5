//! Reports of comments, weighed by their readers' record, and the form stamps that reports,
//! votes and poll answers spend.

use super::{article_of, comment_by_id, recount};
use crate::moderation::log;
use crate::{conflict_as, internal, millis, SqlStore};
use chrono::{DateTime, Utc};
use newsdesk_core::comment::Comment;
use newsdesk_core::store::Report;
use newsdesk_core::{CommentId, Conflict, StoreError};
use sqlx::Row;

/// Who hides comments by reports, in the moderation log.
const READERS: &str = "readers";

pub(super) async fn flag(
    store: &SqlStore,
    id: CommentId,
    report: &Report<'_>,
    now: DateTime<Utc>,
) -> Result<Comment, StoreError> {
    let mut tx = store.write.begin().await.map_err(internal)?;
    let article = article_of(&mut tx, id).await?;
    // The reporter's record: their own comments' fate. Read in the transaction that counts
    // the report, so a report weighs what the record was when it was made.
    let record = sqlx::query(
        "SELECT \
           (SELECT COUNT(*) FROM comments WHERE reader_id = $1 AND status = 'published' AND created_at <= $2), \
           (SELECT COUNT(*) FROM comments WHERE reader_id = $1 AND status IN ('rejected', 'spam'))",
    )
    .bind(&report.reader.0)
    .bind(millis(report.trusted_before))
    .fetch_one(&mut *tx)
    .await
    .map_err(internal)?;
    let kept: i64 = record.try_get(0).map_err(internal)?;
    let thrown_out: i64 = record.try_get(1).map_err(internal)?;
    // One address has one say, however many readers with a record it holds.
    let address_counted = sqlx::query(
        "SELECT 1 FROM comment_flags WHERE comment_id = $1 AND address = $2 AND weight > 0",
    )
    .bind(id.0)
    .bind(report.address)
    .fetch_optional(&mut *tx)
    .await
    .map_err(internal)?
    .is_some();
    let weight = i64::from(kept > 0 && thrown_out == 0 && !address_counted);
    sqlx::query(
        "INSERT INTO comment_flags (comment_id, reader_id, reason, created_at, weight, address) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.0)
    .bind(&report.reader.0)
    .bind(report.reason)
    .bind(millis(now))
    .bind(weight)
    .bind(report.address)
    .execute(&mut *tx)
    .await
    .map_err(conflict_as(Conflict::AlreadyFlagged(id)))?;
    let counts = sqlx::query(
        "UPDATE comments SET flags = flags + 1, flag_weight = flag_weight + $1 WHERE id = $2 \
         RETURNING flags, flag_weight",
    )
    .bind(weight)
    .bind(id.0)
    .fetch_one(&mut *tx)
    .await
    .map_err(internal)?;
    let flags: i64 = counts.try_get(0).map_err(internal)?;
    let weighed: i64 = counts.try_get(1).map_err(internal)?;
    if report.hide_at > 0 && weighed >= report.hide_at {
        let hidden = sqlx::query(
            "UPDATE comments SET status = 'held', reason = $1 WHERE id = $2 AND status = 'published'",
        )
        .bind(format!("flagged by {weighed} readers"))
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
        if hidden.rows_affected() > 0 {
            let detail = format!(
                "held for a moderator: {flags} reports, {weighed} of them by readers with a record"
            );
            log(&mut tx, READERS, "hide", Some(id), &detail, now).await?;
            recount(&mut tx, article, now).await?;
        }
    }
    tx.commit().await.map_err(internal)?;
    comment_by_id(&store.write, id)
        .await?
        .ok_or(StoreError::NotFound)
}

pub(super) async fn spend_stamp(
    store: &SqlStore,
    stamp: &str,
    until: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO spent_stamps (stamp, until) VALUES ($1, $2)")
        .bind(stamp)
        .bind(millis(until))
        .execute(&store.write)
        .await
        .map_err(conflict_as(Conflict::StampSpent))?;
    Ok(())
}

pub(super) async fn forget_spent_stamps(
    store: &SqlStore,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM spent_stamps WHERE until < $1")
        .bind(millis(now))
        .execute(&store.write)
        .await
        .map_err(internal)?;
    Ok(done.rows_affected())
}
