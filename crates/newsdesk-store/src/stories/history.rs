//! A story's kept revisions and who has it open in the editor now.

use crate::{internal, millis};
use chrono::{DateTime, Utc};
use newsdesk_core::revision::{RevisionInfo, Snapshot};
use newsdesk_core::{ArticleId, ClaimStatus, StoreError};
use sqlx::{AnyPool, Row};

pub(super) async fn revisions(
    pool: &AnyPool,
    id: ArticleId,
) -> Result<Vec<RevisionInfo>, StoreError> {
    let rows = sqlx::query(
        "SELECT revision, saved_at, saved_by FROM article_revisions WHERE article_id = $1 \
         ORDER BY revision DESC",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await
    .map_err(internal)?;
    rows.iter().map(revision_info).collect()
}

pub(super) async fn note_editing(
    pool: &AnyPool,
    id: ArticleId,
    who: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    // Someone not seen for a while opened the story afresh: their "since" starts again.
    sqlx::query(
        "INSERT INTO story_editors (article_id, who, since, seen_at) VALUES ($1, $2, $3, $3) \
         ON CONFLICT (article_id, who) DO UPDATE SET \
         since = CASE WHEN story_editors.seen_at < $4 THEN excluded.since ELSE story_editors.since END, \
         seen_at = excluded.seen_at",
    )
    .bind(id.0)
    .bind(who)
    .bind(millis(now))
    .bind(millis(now - chrono::Duration::minutes(EDITING_MINUTES)))
    .execute(pool)
    .await
    .map_err(internal)?;
    Ok(())
}

pub(super) async fn editing(
    pool: &AnyPool,
    id: ArticleId,
    now: DateTime<Utc>,
) -> Result<Vec<(String, DateTime<Utc>)>, StoreError> {
    let rows = sqlx::query(
        "SELECT who, since FROM story_editors WHERE article_id = $1 AND seen_at >= $2 ORDER BY since, who",
    )
    .bind(id.0)
    .bind(millis(now - chrono::Duration::minutes(EDITING_MINUTES)))
    .fetch_all(pool)
    .await
    .map_err(internal)?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get::<String, _>(0).map_err(internal)?,
                crate::rows::time(r.try_get(1).map_err(internal)?),
            ))
        })
        .collect()
}

pub(super) async fn snapshots(
    pool: &AnyPool,
    id: ArticleId,
) -> Result<Vec<(RevisionInfo, Snapshot)>, StoreError> {
    let rows = sqlx::query(
        "SELECT revision, saved_at, saved_by, snapshot FROM article_revisions \
         WHERE article_id = $1 ORDER BY revision",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await
    .map_err(internal)?;
    rows.iter()
        .map(|row| {
            let snapshot: String = row.try_get(3).map_err(internal)?;
            Ok((
                revision_info(row)?,
                crate::rows::json(&snapshot, "snapshot")?,
            ))
        })
        .collect()
}

pub(super) async fn revision(
    pool: &AnyPool,
    id: ArticleId,
    revision: i64,
) -> Result<Option<(RevisionInfo, Snapshot)>, StoreError> {
    let row = sqlx::query(
        "SELECT revision, saved_at, saved_by, snapshot FROM article_revisions \
         WHERE article_id = $1 AND revision = $2",
    )
    .bind(id.0)
    .bind(revision)
    .fetch_optional(pool)
    .await
    .map_err(internal)?;
    let Some(row) = row else {
        return Ok(None);
    };
    let snapshot: String = row.try_get(3).map_err(internal)?;
    Ok(Some((
        revision_info(&row)?,
        crate::rows::json(&snapshot, "snapshot")?,
    )))
}

/// How long a writer counts as still editing after their last sign of life.
const EDITING_MINUTES: i64 = 3;

fn revision_info(row: &sqlx::any::AnyRow) -> Result<RevisionInfo, StoreError> {
    Ok(RevisionInfo {
        revision: row.try_get(0).map_err(internal)?,
        saved_at: crate::rows::time(row.try_get(1).map_err(internal)?),
        saved_by: row.try_get(2).map_err(internal)?,
    })
}

pub(super) async fn live_claim_states(
    pool: &AnyPool,
    id: ArticleId,
) -> Result<Vec<(RevisionInfo, Vec<(String, ClaimStatus)>)>, StoreError> {
    let rows = sqlx::query(
        "SELECT r.revision, r.saved_at, r.saved_by, c.quote, c.status \
         FROM live_claim_states c JOIN article_revisions r \
         ON r.article_id = c.article_id AND r.revision = c.revision \
         WHERE c.article_id = $1 ORDER BY c.revision, c.position",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await
    .map_err(internal)?;
    let mut out: Vec<(RevisionInfo, Vec<(String, ClaimStatus)>)> = Vec::new();
    for row in &rows {
        let info = revision_info(row)?;
        let status: String = row.try_get(4).map_err(internal)?;
        let status = ClaimStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == status)
            .ok_or_else(|| StoreError::Internal(format!("unknown stored claim status {status}")))?;
        let quote: String = row.try_get(3).map_err(internal)?;
        match out.last_mut() {
            Some((last, claims)) if last.revision == info.revision => claims.push((quote, status)),
            _ => out.push((info, vec![(quote, status)])),
        }
    }
    Ok(out)
}
