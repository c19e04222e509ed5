//! The site as a whole: whether the database answers, and the revision that every write
//! changing a page moves forward.

use crate::{internal, SqlStore};
use async_trait::async_trait;
use newsdesk_core::{Store, StoreError};
use sqlx::{Any, Row, Transaction};

#[async_trait]
impl Store for SqlStore {
    async fn site_revision(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT revision FROM site_state WHERE id = 1")
            .fetch_one(&self.read)
            .await
            .map_err(internal)?;
        row.try_get(0).map_err(internal)
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.read)
            .await
            .map_err(internal)?;
        Ok(())
    }
}

/// Moves the site's revision on, inside the write's own transaction.
pub(crate) async fn bump_revision(tx: &mut Transaction<'static, Any>) -> Result<(), StoreError> {
    sqlx::query("UPDATE site_state SET revision = revision + 1 WHERE id = 1")
        .execute(&mut **tx)
        .await
        .map_err(internal)?;
    Ok(())
}
