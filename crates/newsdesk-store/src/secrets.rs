//! Secrets every app node shares, such as the key that signs reader cookies.

use crate::{internal, SqlStore};
use async_trait::async_trait;
use newsdesk_core::store::SecretStore;
use newsdesk_core::StoreError;
use sqlx::Row;

#[async_trait]
impl SecretStore for SqlStore {
    /// The first node's proposal wins; every later caller gets it.
    async fn shared_secret(&self, name: &str, proposed: &str) -> Result<String, StoreError> {
        sqlx::query(
            "INSERT INTO site_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(proposed)
        .execute(&self.write)
        .await
        .map_err(internal)?;
        sqlx::query("SELECT value FROM site_secrets WHERE name = $1")
            .bind(name)
            .fetch_one(&self.write)
            .await
            .map_err(internal)?
            .try_get(0)
            .map_err(internal)
    }
}
