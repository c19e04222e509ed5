//! What earlier imports of one source left: each item's local id, the digest of its content
//! as imported, and its stamp (how the import left it here), read once per import.

use super::Tx;
use crate::internal;
use crate::rows::{Param, Params};
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

/// What this import brought, remembered in a few large writes at its end rather than one
/// write per item (a site is hundreds of thousands of items).
#[derive(Default)]
pub(super) struct Memo(Vec<[Param; 5]>, std::collections::HashSet<(String, String)>);

impl Memo {
    /// Keeps an item once (a second with the same id would make one write change a row twice).
    pub fn keep(
        &mut self,
        kind: &str,
        external_id: &str,
        local_id: i64,
        digest: &str,
        stamp: &str,
    ) {
        if !self.1.insert((kind.to_string(), external_id.to_string())) {
            return;
        }
        self.0.push([
            Param::Text(kind.into()),
            Param::Text(external_id.into()),
            Param::Int(local_id),
            Param::Text(digest.into()),
            Param::Text(stamp.into()),
        ]);
    }

    pub async fn flush(self, tx: &mut Tx, source: &str) -> Result<(), StoreError> {
        for chunk in self.0.chunks(ROWS_PER_WRITE) {
            let mut params = Params::default();
            let source = params.push(Param::Text(source.into()));
            let rows: Vec<String> = chunk
                .iter()
                .map(|row| {
                    let values: Vec<String> = row.iter().map(|p| params.push(p.clone())).collect();
                    format!("({source}, {})", values.join(", "))
                })
                .collect();
            let sql = format!(
                "INSERT INTO imported_items (source, kind, external_id, local_id, digest, local_stamp) \
                 VALUES {} ON CONFLICT (source, kind, external_id) DO UPDATE SET \
                 local_id = excluded.local_id, digest = excluded.digest, local_stamp = excluded.local_stamp",
                rows.join(", ")
            );
            params
                .bind(sqlx::query(&sql))
                .execute(&mut **tx)
                .await
                .map_err(internal)?;
        }
        Ok(())
    }
}

/// Rows in one multi-row write: well under SQLite's limit of bound values.
pub(super) const ROWS_PER_WRITE: usize = 200;

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
