//! Email: the outbox every node sends from, opt-outs, reply emails' consent
//! (`reply_consent`), and the moderators' queue digest.

use crate::{has_nul, internal, millis, SqlStore};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use newsdesk_core::store::{MailStore, OutboundEmail};
use newsdesk_core::{ReaderId, StoreError};
use sqlx::Row;

/// How long a node's claim on an email lasts before another node may send it.
const CLAIM_MS: i64 = 60_000;
const MAX_ATTEMPTS: i64 = 5;

#[async_trait]
impl MailStore for SqlStore {
    async fn enqueue_email(
        &self,
        recipient: &str,
        subject: &str,
        body: &str,
        unsubscribe_url: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        sqlx::query(
            "INSERT INTO outbox (recipient, subject, body, unsubscribe_url, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(recipient)
        .bind(subject)
        .bind(body)
        .bind(unsubscribe_url)
        .bind(millis(now))
        .fetch_one(&self.write)
        .await
        .map_err(internal)?
        .try_get(0)
        .map_err(internal)
    }

    async fn claim_emails(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<OutboundEmail>, StoreError> {
        // The outer condition repeats the inner one, so two nodes claiming at once cannot both
        // take a row: PostgreSQL checks it again on the row it locked.
        let rows = sqlx::query(&format!(
            "UPDATE outbox SET claimed_at = $1 WHERE id IN (\
               SELECT id FROM outbox WHERE sent_at IS NULL AND attempts < {MAX_ATTEMPTS} \
               AND (claimed_at IS NULL OR claimed_at < $2) ORDER BY id LIMIT $3) \
             AND sent_at IS NULL AND (claimed_at IS NULL OR claimed_at < $2) \
             RETURNING id, recipient, subject, body, unsubscribe_url"
        ))
        .bind(millis(now))
        .bind(millis(now) - CLAIM_MS)
        .bind(limit)
        .fetch_all(&self.write)
        .await
        .map_err(internal)?;
        rows.iter()
            .map(|r| {
                Ok(OutboundEmail {
                    id: r.try_get(0).map_err(internal)?,
                    recipient: r.try_get(1).map_err(internal)?,
                    subject: r.try_get(2).map_err(internal)?,
                    body: r.try_get(3).map_err(internal)?,
                    unsubscribe_url: r.try_get(4).map_err(internal)?,
                })
            })
            .collect()
    }

    async fn finish_email(
        &self,
        id: i64,
        outcome: Result<(), String>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        match outcome {
            Ok(()) => sqlx::query("UPDATE outbox SET sent_at = $1 WHERE id = $2")
                .bind(millis(now))
                .bind(id),
            // The claim stays, so the next try waits for it to lapse.
            Err(e) => sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, last_error = $1 WHERE id = $2",
            )
            .bind(e)
            .bind(id),
        }
        .execute(&self.write)
        .await
        .map_err(internal)?;
        Ok(())
    }

    async fn ask_reply_emails(
        &self,
        email: &str,
        reader: &ReaderId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        crate::reply_consent::ask(self, email, reader, now).await
    }

    async fn confirm_reply_emails(
        &self,
        email: &str,
        reader: &ReaderId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        crate::reply_consent::confirm(self, email, reader, now).await
    }

    async fn take_reply_email(
        &self,
        email: &str,
        reader: &ReaderId,
        now: DateTime<Utc>,
        per_day: i64,
    ) -> Result<bool, StoreError> {
        crate::reply_consent::take(self, email, reader, now, per_day).await
    }

    async fn opt_out(&self, email: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO email_optouts (email, at) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING",
        )
        .bind(email.trim().to_lowercase())
        .bind(millis(now))
        .execute(&self.write)
        .await
        .map_err(internal)?;
        sqlx::query("UPDATE comments SET notify_replies = 0 WHERE LOWER(email) = $1")
            .bind(email.trim().to_lowercase())
            .execute(&self.write)
            .await
            .map_err(internal)?;
        Ok(())
    }

    async fn outbox_depth(&self) -> Result<i64, StoreError> {
        sqlx::query(&format!(
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND attempts < {MAX_ATTEMPTS}"
        ))
        .fetch_one(&self.read)
        .await
        .map_err(internal)?
        .try_get(0)
        .map_err(internal)
    }

    async fn opted_out(&self, email: &str) -> Result<bool, StoreError> {
        if has_nul(email) {
            return Ok(false);
        }
        Ok(sqlx::query("SELECT 1 FROM email_optouts WHERE email = $1")
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.read)
            .await
            .map_err(internal)?
            .is_some())
    }

    async fn queue_subscribers(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT email FROM users WHERE queue_emails = 1 AND role IN ('moderator', 'admin') ORDER BY id",
        )
        .fetch_all(&self.read)
        .await
        .map_err(internal)?;
        rows.iter()
            .map(|r| r.try_get(0).map_err(internal))
            .collect()
    }

    async fn claim_queue_digest(&self) -> Result<Option<(i64, i64)>, StoreError> {
        sqlx::query("INSERT INTO site_secrets (name, value) VALUES ('queue_digest', '0') ON CONFLICT (name) DO NOTHING")
            .execute(&self.write)
            .await
            .map_err(internal)?;
        let last: String =
            sqlx::query("SELECT value FROM site_secrets WHERE name = 'queue_digest'")
                .fetch_one(&self.write)
                .await
                .map_err(internal)?
                .try_get(0)
                .map_err(internal)?;
        let last: i64 = last.parse().unwrap_or(0);
        let row = sqlx::query(
            "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM comments WHERE status = 'held' AND id > $1",
        )
        .bind(last)
        .fetch_one(&self.write)
        .await
        .map_err(internal)?;
        let (count, newest): (i64, i64) = (
            row.try_get(0).map_err(internal)?,
            row.try_get(1).map_err(internal)?,
        );
        if count == 0 {
            return Ok(None);
        }
        // Only the node whose update moves the marker sends the digest.
        let won = sqlx::query(
            "UPDATE site_secrets SET value = $1 WHERE name = 'queue_digest' AND value = $2",
        )
        .bind(newest.to_string())
        .bind(last.to_string())
        .execute(&self.write)
        .await
        .map_err(internal)?
        .rows_affected()
            == 1;
        Ok(won.then_some((count, newest)))
    }
}
