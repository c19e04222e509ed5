//! Who may act in the newsroom: accounts, their sessions and failed logins, and API
//! tokens, which are kept as hashes.

use crate::rows::time;
use crate::{conflict_as, has_nul, internal, millis, SqlStore};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use newsdesk_core::moderation::User;
use newsdesk_core::store::{AccountStore, SessionOrigin, TokenRecord};
use newsdesk_core::{Conflict, Role, StoreError, UserId};
use sqlx::any::AnyRow;
use sqlx::Row;

#[async_trait]
impl AccountStore for SqlStore {
    async fn create_user(
        &self,
        email: &str,
        hash: &str,
        role: Role,
        queue_emails: bool,
        now: DateTime<Utc>,
    ) -> Result<User, StoreError> {
        let email = email.trim().to_lowercase();
        let row = sqlx::query(
            "INSERT INTO users (email, password_hash, role, queue_emails, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id, email, role, queue_emails",
        )
        .bind(&email)
        .bind(hash)
        .bind(role.as_str())
        .bind(i64::from(queue_emails))
        .bind(millis(now))
        .fetch_one(&self.write)
        .await
        .map_err(conflict_as(Conflict::Email(email.clone())))?;
        user_from_row(&row)
    }

    async fn find_user_by_email(&self, email: &str) -> Result<Option<(User, String)>, StoreError> {
        if has_nul(email) {
            return Ok(None);
        }
        let row = sqlx::query(
            "SELECT id, email, role, queue_emails, password_hash FROM users WHERE email = $1 AND active = 1",
        )
        .bind(email.trim().to_lowercase())
        .fetch_optional(&self.read)
        .await
        .map_err(internal)?;
        match row {
            Some(r) => Ok(Some((user_from_row(&r)?, r.try_get(4).map_err(internal)?))),
            None => Ok(None),
        }
    }

    async fn create_session(
        &self,
        id_hash: &str,
        user: UserId,
        csrf: &str,
        origin: &SessionOrigin,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        // Expired sessions go as new ones come, so the table does not grow for ever.
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(millis(now))
            .execute(&self.write)
            .await
            .map_err(internal)?;
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at, ip, user_agent) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id_hash)
        .bind(user.0)
        .bind(csrf)
        .bind(millis(now))
        .bind(millis(expires))
        .bind(origin.ip.replace('\0', ""))
        .bind(origin.user_agent.chars().filter(|c| *c != '\0').take(300).collect::<String>())
        .execute(&self.write)
        .await
        .map_err(internal)?;
        Ok(())
    }

    async fn find_session(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(User, String)>, StoreError> {
        // Read through the writer: a session made a moment ago must be found at once.
        let row = sqlx::query(
            "SELECT u.id, u.email, u.role, u.queue_emails, s.csrf FROM sessions s \
             JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.active = 1",
        )
        .bind(id_hash)
        .bind(millis(now))
        .fetch_optional(&self.write)
        .await
        .map_err(internal)?;
        match row {
            Some(r) => Ok(Some((user_from_row(&r)?, r.try_get(4).map_err(internal)?))),
            None => Ok(None),
        }
    }

    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.write)
            .await
            .map_err(internal)?;
        Ok(())
    }

    async fn login_failures(&self, key: &str) -> Result<(i64, DateTime<Utc>), StoreError> {
        if has_nul(key) {
            return Ok((0, DateTime::<Utc>::default()));
        }
        let row = sqlx::query("SELECT failures, last_at FROM login_failures WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.write)
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

    async fn record_login_failure(&self, key: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        if has_nul(key) {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO login_failures (key, failures, last_at) VALUES ($1, 1, $2) \
             ON CONFLICT (key) DO UPDATE SET failures = login_failures.failures + 1, last_at = excluded.last_at",
        )
        .bind(key)
        .bind(millis(now))
        .execute(&self.write)
        .await
        .map_err(internal)?;
        Ok(())
    }

    async fn count_login_attempt(
        &self,
        key: &str,
        seen: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        if has_nul(key) {
            return Ok(false);
        }
        let done = if seen == 0 {
            sqlx::query(
                "INSERT INTO login_failures (key, failures, last_at) VALUES ($1, 1, $2) \
                 ON CONFLICT (key) DO NOTHING",
            )
            .bind(key)
            .bind(millis(now))
            .execute(&self.write)
            .await
            .map_err(internal)?
        } else {
            sqlx::query(
                "UPDATE login_failures SET failures = failures + 1, last_at = $3 \
                 WHERE key = $1 AND failures = $2",
            )
            .bind(key)
            .bind(seen)
            .bind(millis(now))
            .execute(&self.write)
            .await
            .map_err(internal)?
        };
        Ok(done.rows_affected() == 1)
    }

    async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE key = $1")
            .bind(key)
            .execute(&self.write)
            .await
            .map_err(internal)?;
        Ok(())
    }

    async fn create_token(
        &self,
        hash: &str,
        role: Role,
        label: &str,
        owner: Option<UserId>,
        expires: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO api_tokens (token_hash, role, label, created_at, user_id, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(hash)
        .bind(role.as_str())
        .bind(label)
        .bind(millis(now))
        .bind(owner.map(|u| u.0))
        .bind(expires.map(millis))
        .fetch_one(&self.write)
        .await
        .map_err(internal)?;
        row.try_get::<i64, _>(0).map_err(internal)
    }

    async fn find_token(
        &self,
        hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<TokenRecord>, StoreError> {
        if has_nul(hash) {
            return Ok(None);
        }
        // Read through the writer: a revocation or a deactivation on any node counts at once.
        let row = sqlx::query(
            "SELECT t.id, t.role, t.label, t.user_id, t.last_used_at, u.role FROM api_tokens t \
             LEFT JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL \
               AND (t.expires_at IS NULL OR t.expires_at > $2) \
               AND (t.user_id IS NULL OR u.active = 1)",
        )
        .bind(hash)
        .bind(millis(now))
        .fetch_optional(&self.write)
        .await
        .map_err(internal)?;
        let Some(row) = row else { return Ok(None) };
        let role: Role = row
            .try_get::<String, _>(1)
            .map_err(internal)?
            .parse()
            .map_err(StoreError::Internal)?;
        let owner_role: Option<String> = row.try_get(5).map_err(internal)?;
        if let Some(owner_role) = owner_role {
            let owner_role: Role = owner_role.parse().map_err(StoreError::Internal)?;
            if !owner_role.covers(role) {
                // The person's role shrank below the token's: the token carries no more
                // than its owner may do, so it is refused until a new one is made.
                return Ok(None);
            }
        }
        Ok(Some(TokenRecord {
            id: row.try_get(0).map_err(internal)?,
            role,
            label: row.try_get(2).map_err(internal)?,
            owner: row
                .try_get::<Option<i64>, _>(3)
                .map_err(internal)?
                .map(UserId),
            last_used_at: row
                .try_get::<Option<i64>, _>(4)
                .map_err(internal)?
                .map(time),
        }))
    }

    async fn touch_token(&self, id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
            .bind(id)
            .bind(millis(now))
            .execute(&self.write)
            .await
            .map_err(internal)?;
        Ok(())
    }
}

fn user_from_row(row: &AnyRow) -> Result<User, StoreError> {
    let role: String = row.try_get(2).map_err(internal)?;
    Ok(User {
        id: UserId(row.try_get(0).map_err(internal)?),
        email: row.try_get(1).map_err(internal)?,
        role: role.parse().map_err(StoreError::Internal)?,
        queue_emails: row.try_get::<i64, _>(3).map_err(internal)? != 0,
    })
}
