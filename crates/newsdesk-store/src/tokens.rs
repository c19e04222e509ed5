//! API tokens, kept as hashes.

use crate::{internal, millis};
use chrono::{DateTime, Utc};
use newsdesk_core::store::TokenRecord;
use newsdesk_core::{Role, StoreError};
use sqlx::{AnyPool, Row};

pub async fn create(
    pool: &AnyPool,
    hash: &str,
    role: Role,
    label: &str,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let row = sqlx::query("INSERT INTO api_tokens (token_hash, role, label, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(hash)
        .bind(role.as_str())
        .bind(label)
        .bind(millis(now))
        .fetch_one(pool)
        .await
        .map_err(internal)?;
    row.try_get::<i64, _>(0).map_err(internal)
}

pub async fn find(pool: &AnyPool, hash: &str) -> Result<Option<TokenRecord>, StoreError> {
    let row = sqlx::query("SELECT id, role, label FROM api_tokens WHERE token_hash = $1")
        .bind(hash)
        .fetch_optional(pool)
        .await
        .map_err(internal)?;
    let Some(row) = row else { return Ok(None) };
    let role: String = row.try_get(1).map_err(internal)?;
    Ok(Some(TokenRecord {
        id: row.try_get(0).map_err(internal)?,
        role: role.parse().map_err(StoreError::Internal)?,
        label: row.try_get(2).map_err(internal)?,
    }))
}
