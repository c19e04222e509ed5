//! What earlier imports of one source left: each item's local id, the digest of its content
//! as imported, and its stamp (how the import left it here), read once per import.

use super::Tx;
use crate::internal;
use newsdesk_core::StoreError;
use sqlx::Row;
use std::collections::HashMap;

pub(super) struct Known {
    pub id: i64,
    pub digest: String,
    /// A story's revision, a page's change time or a comment's state as the import left it;
    /// when the item no longer matches it, the newsroom changed it and a new import leaves it.
    pub stamp: String,
}

/// (kind, id there) → what the site knows of it.
pub(super) type Seen = HashMap<(String, String), Known>;

pub(super) fn key(kind: &str, external_id: &str) -> (String, String) {
    (kind.to_string(), external_id.to_string())
}

pub(super) async fn seen_of(tx: &mut Tx, source: &str) -> Result<Seen, StoreError> {
    let rows = sqlx::query(
        "SELECT kind, external_id, local_id, digest, local_stamp FROM imported_items WHERE source = $1",
    )
    .bind(source)
    .fetch_all(&mut **tx)
    .await
    .map_err(internal)?;
    let mut seen = Seen::with_capacity(rows.len());
    for r in &rows {
        seen.insert(
            (
                r.try_get(0).map_err(internal)?,
                r.try_get(1).map_err(internal)?,
            ),
            Known {
                id: r.try_get(2).map_err(internal)?,
                digest: r.try_get(3).map_err(internal)?,
                stamp: r.try_get(4).map_err(internal)?,
            },
        );
    }
    Ok(seen)
}

pub(super) struct Remembered<'a> {
    pub source: &'a str,
    pub kind: &'a str,
    pub external_id: &'a str,
    pub local_id: i64,
    pub digest: &'a str,
    pub stamp: &'a str,
}

pub(super) async fn remember(tx: &mut Tx, r: Remembered<'_>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO imported_items (source, kind, external_id, local_id, digest, local_stamp) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (source, kind, external_id) DO UPDATE SET \
         local_id = excluded.local_id, digest = excluded.digest, local_stamp = excluded.local_stamp",
    )
    .bind(r.source)
    .bind(r.kind)
    .bind(r.external_id)
    .bind(r.local_id)
    .bind(r.digest)
    .bind(r.stamp)
    .execute(&mut **tx)
    .await
    .map_err(internal)?;
    Ok(())
}

/// One value of one row, or `None` when the row is gone.
pub(super) async fn current(tx: &mut Tx, sql: &str, id: i64) -> Result<Option<String>, StoreError> {
    let row = sqlx::query(sql)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(internal)?;
    row.map(|r| {
        r.try_get::<i64, _>(0)
            .map(|n| n.to_string())
            .or_else(|_| r.try_get::<String, _>(0))
            .map_err(internal)
    })
    .transpose()
}
