//! Newsroom accounts, their sessions and failed logins.

use crate::rows::time;
use crate::{internal, millis};
use chrono::{DateTime, Utc};
use newsdesk_core::moderation::User;
use newsdesk_core::{Role, StoreError, UserId};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

fn user_from_row(row: &AnyRow) -> Result<User, StoreError> {
    let role: String = row.try_get(2).map_err(internal)?;
    Ok(User {
        id: UserId(row.try_get(0).map_err(internal)?),
        email: row.try_get(1).map_err(internal)?,
        role: role.parse().map_err(StoreError::Internal)?,
        queue_emails: row.try_get::<i64, _>(3).map_err(internal)? != 0,
    })
}

pub async fn create(
    pool: &AnyPool,
    email: &str,
    hash: &str,
    role: Role,
    queue_emails: bool,
    now: DateTime<Utc>,
) -> Result<User, StoreError> {
    let row = sqlx::query(
        "INSERT INTO users (email, password_hash, role, queue_emails, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id, email, role, queue_emails",
    )
    .bind(email.trim().to_lowercase())
    .bind(hash)
    .bind(role.as_str())
    .bind(i64::from(queue_emails))
    .bind(millis(now))
    .fetch_one(pool)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict("that email".into())
        }
        _ => internal(e),
    })?;
    user_from_row(&row)
}

pub async fn by_email(pool: &AnyPool, email: &str) -> Result<Option<(User, String)>, StoreError> {
    let row = sqlx::query(
        "SELECT id, email, role, queue_emails, password_hash FROM users WHERE email = $1",
    )
    .bind(email.trim().to_lowercase())
    .fetch_optional(pool)
    .await
    .map_err(internal)?;
    match row {
        Some(r) => Ok(Some((user_from_row(&r)?, r.try_get(4).map_err(internal)?))),
        None => Ok(None),
    }
}

pub async fn create_session(
    pool: &AnyPool,
    id_hash: &str,
    user: UserId,
    csrf: &str,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<(), StoreError> {
    // Expired sessions go as new ones come, so the table does not grow for ever.
    sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
        .bind(millis(now))
        .execute(pool)
        .await
        .map_err(internal)?;
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id_hash)
    .bind(user.0)
    .bind(csrf)
    .bind(millis(now))
    .bind(millis(expires))
    .execute(pool)
    .await
    .map_err(internal)?;
    Ok(())
}

pub async fn find_session(
    pool: &AnyPool,
    id_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<(User, String)>, StoreError> {
    let row = sqlx::query(
        "SELECT u.id, u.email, u.role, u.queue_emails, s.csrf FROM sessions s \
         JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1 AND s.expires_at > $2",
    )
    .bind(id_hash)
    .bind(millis(now))
    .fetch_optional(pool)
    .await
    .map_err(internal)?;
    match row {
        Some(r) => Ok(Some((user_from_row(&r)?, r.try_get(4).map_err(internal)?))),
        None => Ok(None),
    }
}

pub async fn delete_session(pool: &AnyPool, id_hash: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(pool)
        .await
        .map_err(internal)?;
    Ok(())
}

pub async fn failures(pool: &AnyPool, key: &str) -> Result<(i64, DateTime<Utc>), StoreError> {
    let row = sqlx::query("SELECT failures, last_at FROM login_failures WHERE key = $1")
        .bind(key)
        .fetch_optional(pool)
        .await
        .map_err(internal)?;
    match row {
        Some(r) => Ok((
            r.try_get(0).map_err(internal)?,
            time(r.try_get(1).map_err(internal)?),
        )),
        None => Ok((0, time(0))),
    }
}

pub async fn record_failure(
    pool: &AnyPool,
    key: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO login_failures (key, failures, last_at) VALUES ($1, 1, $2) \
         ON CONFLICT (key) DO UPDATE SET failures = login_failures.failures + 1, last_at = excluded.last_at",
    )
    .bind(key)
    .bind(millis(now))
    .execute(pool)
    .await
    .map_err(internal)?;
    Ok(())
}

pub async fn clear_failures(pool: &AnyPool, key: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM login_failures WHERE key = $1")
        .bind(key)
        .execute(pool)
        .await
        .map_err(internal)?;
    Ok(())
}
