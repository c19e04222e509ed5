//! Backups of the embedded SQLite database: a consistent copy taken while the site keeps
//! writing, and SQLite's own check of a copy. (PostgreSQL is backed up with `pg_dump`.)

use crate::{internal, Backend, SqlStore};
use newsdesk_core::StoreError;
use sqlx::any::AnyPoolOptions;
use sqlx::Row;
use std::path::Path;

impl SqlStore {
    /// Writes a consistent copy of the database to `file` (which must not exist): one read
    /// transaction's view, so every write committed before the copy began is in it, while
    /// writers carry on.
    pub async fn backup_sqlite(&self, file: &Path) -> Result<(), StoreError> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Internal(
                "only the embedded SQLite database is copied; back PostgreSQL up with pg_dump"
                    .into(),
            ));
        }
        let target = file
            .to_str()
            .ok_or_else(|| StoreError::Internal("the backup path is not UTF-8".into()))?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.read)
            .await
            .map_err(internal)?;
        Ok(())
    }
}

/// SQLite's integrity check of a database file: `ok`, or what it found wrong.
pub async fn sqlite_integrity(file: &Path) -> Result<String, StoreError> {
    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}?mode=ro", file.display());
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .map_err(internal)?;
    let rows = sqlx::query("PRAGMA integrity_check")
        .fetch_all(&pool)
        .await
        .map_err(internal)?;
    pool.close().await;
    let said: Vec<String> = rows
        .iter()
        .map(|r| r.try_get::<String, _>(0).map_err(internal))
        .collect::<Result<_, _>>()?;
    Ok(said.join("; "))
}
