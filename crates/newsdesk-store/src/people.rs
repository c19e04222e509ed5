//! The newsroom's people: accounts, roles, invitations, profiles, sessions, tokens and
//! two-factor secrets, as admins and each person manage them.

use crate::rows::time;
use crate::{has_nul, internal, millis, SqlStore};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use newsdesk_core::moderation::User;
use newsdesk_core::people::{AuthorProfile, SessionInfo, StaffAccount, TokenInfo};
use newsdesk_core::store::PeopleStore;
use newsdesk_core::{Role, StoreError, UserId};
use sqlx::any::AnyRow;
use sqlx::Row;

const ACCOUNT_COLUMNS: &str = "id, email, role, queue_emails, name, bio, picture, active, \
     CASE WHEN password_hash = '' THEN 0 ELSE 1 END, \
     CASE WHEN totp_secret IS NULL THEN 0 ELSE 1 END, created_at";

/// How many characters of a session's hash name it to its owner.
const SESSION_ID_CHARS: usize = 16;

fn account_from_row(r: &AnyRow) -> Result<StaffAccount, StoreError> {
    let int = |i: usize| r.try_get::<i64, _>(i).map_err(internal);
    let text = |i: usize| r.try_get::<String, _>(i).map_err(internal);
    Ok(StaffAccount {
        user: User {
            id: UserId(int(0)?),
            email: text(1)?,
            role: text(2)?.parse().map_err(StoreError::Internal)?,
            queue_emails: int(3)? != 0,
        },
        profile: AuthorProfile {
            name: text(4)?,
            bio: text(5)?,
            picture: text(6)?,
        },
        active: int(7)? != 0,
        has_password: int(8)? != 0,
        two_factor: int(9)? != 0,
        created_at: time(int(10)?),
    })
}

fn token_from_row(r: &AnyRow) -> Result<TokenInfo, StoreError> {
    let opt_time = |i: usize| {
        r.try_get::<Option<i64>, _>(i)
            .map_err(internal)
            .map(|t| t.map(time))
    };
    Ok(TokenInfo {
        id: r.try_get(0).map_err(internal)?,
        role: r
            .try_get::<String, _>(1)
            .map_err(internal)?
            .parse()
            .map_err(StoreError::Internal)?,
        label: r.try_get(2).map_err(internal)?,
        owner: r
            .try_get::<Option<i64>, _>(3)
            .map_err(internal)?
            .map(UserId),
        owner_email: r.try_get(4).map_err(internal)?,
        created_at: time(r.try_get(5).map_err(internal)?),
        expires_at: opt_time(6)?,
        revoked_at: opt_time(7)?,
        last_used_at: opt_time(8)?,
    })
}

#[async_trait]
impl PeopleStore for SqlStore {
    async fn staff_accounts(&self) -> Result<Vec<StaffAccount>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM users ORDER BY active DESC, email"
        ))
        .fetch_all(&self.write)
        .await
        .map_err(internal)?;
        rows.iter().map(account_from_row).collect()
    }

    async fn staff_account(&self, id: UserId) -> Result<Option<StaffAccount>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM users WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&self.write)
        .await
        .map_err(internal)?;
        row.as_ref().map(account_from_row).transpose()
    }

    async fn set_role(&self, id: UserId, role: Role) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE users SET role = $2 WHERE id = $1")
            .bind(id.0)
            .bind(role.as_str())
            .execute(&self.write)
            .await
            .map_err(internal)?;
        Ok(done.rows_affected() == 1)
    }

    async fn deactivate(&self, id: UserId, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let mut tx = self.write.begin().await.map_err(internal)?;
        let done = sqlx::query("UPDATE users SET active = 0 WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        sqlx::query(
            "UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
        )
        .bind(id.0)
        .bind(millis(now))
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
        sqlx::query(
            "UPDATE account_invites SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(id.0)
        .bind(millis(now))
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        Ok(done.rows_affected() == 1)
    }

    async fn reactivate(&self, id: UserId) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE users SET active = 1 WHERE id = $1")
            .bind(id.0)
            .execute(&self.write)
            .await
            .map_err(internal)?;
        Ok(done.rows_affected() == 1)
    }

    async fn set_password(
        &self,
        id: UserId,
        hash: &str,
        keep: Option<&str>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write.begin().await.map_err(internal)?;
        let done = sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
            .bind(id.0)
            .bind(hash)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
            .bind(id.0)
            .bind(keep.unwrap_or(""))
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        // A password set any way makes every link that could set it again useless.
        sqlx::query(
            "UPDATE account_invites SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(id.0)
        .bind(millis(chrono::Utc::now()))
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        Ok(done.rows_affected() == 1)
    }

    async fn set_profile(
        &self,
        id: UserId,
        p: &AuthorProfile,
        author_slug: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write.begin().await.map_err(internal)?;
        let done = sqlx::query(
            "UPDATE users SET name = $2, bio = $3, picture = $4, author_slug = $5 WHERE id = $1",
        )
        .bind(id.0)
        .bind(&p.name)
        .bind(&p.bio)
        .bind(&p.picture)
        .bind(author_slug)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
        // Author pages show the profile, so cached pages must go.
        crate::site::bump_revision(&mut tx).await?;
        tx.commit().await.map_err(internal)?;
        Ok(done.rows_affected() == 1)
    }

    async fn author_profile(&self, slug: &str) -> Result<Option<AuthorProfile>, StoreError> {
        if slug.is_empty() || has_nul(slug) {
            return Ok(None);
        }
        let row = sqlx::query(
            "SELECT name, bio, picture FROM users WHERE author_slug = $1 ORDER BY active DESC, id LIMIT 1",
        )
        .bind(slug)
        .fetch_optional(&self.read)
        .await
        .map_err(internal)?;
        row.map(|r| {
            Ok(AuthorProfile {
                name: r.try_get(0).map_err(internal)?,
                bio: r.try_get(1).map_err(internal)?,
                picture: r.try_get(2).map_err(internal)?,
            })
        })
        .transpose()
    }

    async fn sessions_of(
        &self,
        user: UserId,
        now: DateTime<Utc>,
    ) -> Result<Vec<SessionInfo>, StoreError> {
        let rows = sqlx::query(
            "SELECT id_hash, created_at, expires_at, ip, user_agent FROM sessions \
             WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at DESC",
        )
        .bind(user.0)
        .bind(millis(now))
        .fetch_all(&self.write)
        .await
        .map_err(internal)?;
        rows.iter()
            .map(|r| {
                let hash: String = r.try_get(0).map_err(internal)?;
                Ok(SessionInfo {
                    id: hash.chars().take(SESSION_ID_CHARS).collect(),
                    created_at: time(r.try_get(1).map_err(internal)?),
                    expires_at: time(r.try_get(2).map_err(internal)?),
                    ip: r.try_get(3).map_err(internal)?,
                    user_agent: r.try_get(4).map_err(internal)?,
                })
            })
            .collect()
    }

    async fn end_session(&self, user: UserId, id: &str) -> Result<bool, StoreError> {
        if id.len() != SESSION_ID_CHARS || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(false);
        }
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash LIKE $2")
            .bind(user.0)
            .bind(format!("{id}%"))
            .execute(&self.write)
            .await
            .map_err(internal)?;
        Ok(done.rows_affected() >= 1)
    }

    async fn tokens(&self, owner: Option<UserId>) -> Result<Vec<TokenInfo>, StoreError> {
        let base = "SELECT t.id, t.role, t.label, t.user_id, u.email, t.created_at, t.expires_at, \
                    t.revoked_at, t.last_used_at FROM api_tokens t LEFT JOIN users u ON u.id = t.user_id";
        let rows = match owner {
            Some(o) => {
                sqlx::query(&format!("{base} WHERE t.user_id = $1 ORDER BY t.id DESC"))
                    .bind(o.0)
                    .fetch_all(&self.write)
                    .await
            }
            None => {
                sqlx::query(&format!("{base} ORDER BY t.id DESC"))
                    .fetch_all(&self.write)
                    .await
            }
        }
        .map_err(internal)?;
        rows.iter().map(token_from_row).collect()
    }

    async fn revoke_token(
        &self,
        id: i64,
        owner: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL \
             AND ($3 = 0 OR user_id = $4)",
        )
        .bind(id)
        .bind(millis(now))
        .bind(i64::from(owner.is_some()))
        .bind(owner.map_or(0, |o| o.0))
        .execute(&self.write)
        .await
        .map_err(internal)?;
        Ok(done.rows_affected() == 1)
    }

    async fn create_invite(
        &self,
        token_hash: &str,
        user: UserId,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO account_invites (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user.0)
        .bind(millis(now))
        .bind(millis(expires))
        .execute(&self.write)
        .await
        .map_err(internal)?;
        Ok(())
    }

    async fn take_invite(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<UserId>, StoreError> {
        if has_nul(token_hash) {
            return Ok(None);
        }
        // One statement marks the link used and says whose it was: two uses racing each other
        // cannot both succeed.
        let row = sqlx::query(
            "UPDATE account_invites SET used_at = $2 \
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id",
        )
        .bind(token_hash)
        .bind(millis(now))
        .fetch_optional(&self.write)
        .await
        .map_err(internal)?;
        row.map(|r| r.try_get::<i64, _>(0).map(UserId).map_err(internal))
            .transpose()
    }

    async fn peek_invite(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<UserId>, StoreError> {
        if has_nul(token_hash) {
            return Ok(None);
        }
        let row = sqlx::query(
            "SELECT user_id FROM account_invites \
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(millis(now))
        .fetch_optional(&self.write)
        .await
        .map_err(internal)?;
        row.map(|r| r.try_get::<i64, _>(0).map(UserId).map_err(internal))
            .transpose()
    }

    async fn set_totp(&self, user: UserId, secret: Option<&str>) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET totp_secret = $2, totp_last_step = NULL WHERE id = $1")
            .bind(user.0)
            .bind(secret)
            .execute(&self.write)
            .await
            .map_err(internal)?;
        Ok(())
    }

    async fn take_totp_step(&self, user: UserId, step: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE users SET totp_last_step = $2 \
             WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)",
        )
        .bind(user.0)
        .bind(step)
        .execute(&self.write)
        .await
        .map_err(internal)?;
        Ok(done.rows_affected() == 1)
    }

    async fn totp_secret(&self, user: UserId) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT totp_secret FROM users WHERE id = $1")
            .bind(user.0)
            .fetch_optional(&self.write)
            .await
            .map_err(internal)?;
        Ok(row
            .map(|r| r.try_get::<Option<String>, _>(0).map_err(internal))
            .transpose()?
            .flatten())
    }
}
