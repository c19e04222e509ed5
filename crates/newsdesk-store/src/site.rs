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

    async fn settings(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query("SELECT name, value FROM site_settings ORDER BY name")
            .fetch_all(&self.write)
            .await
            .map_err(internal)?;
        crate::rows::pairs(&rows)
    }

    async fn save_settings(
        &self,
        values: &[(String, String)],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await.map_err(internal)?;
        for (name, value) in values {
            sqlx::query(
                "INSERT INTO site_settings (name, value, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )
            .bind(name.replace('\0', ""))
            .bind(value.replace('\0', ""))
            .bind(crate::millis(now))
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        }
        bump_revision(&mut tx).await?;
        tx.commit().await.map_err(internal)?;
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
