//! Reply emails by double opt-in: who asked for them, who confirmed, and each address's
//! count of the day.

use crate::{has_nul, internal, millis, SqlStore};
use chrono::{DateTime, Utc};
use newsdesk_core::StoreError;

fn key(email: &str) -> String {
    email.trim().to_lowercase()
}

pub(crate) async fn ask(
    store: &SqlStore,
    email: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    if has_nul(email) {
        return Ok(false);
    }
    let done = sqlx::query(
        "INSERT INTO reply_addresses (email, asked_at) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING",
    )
    .bind(key(email))
    .bind(millis(now))
    .execute(&store.write)
    .await
    .map_err(internal)?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn confirm(
    store: &SqlStore,
    email: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    if has_nul(email) {
        return Ok(false);
    }
    let done = sqlx::query(
        "UPDATE reply_addresses SET confirmed_at = COALESCE(confirmed_at, $1) WHERE email = $2",
    )
    .bind(millis(now))
    .bind(key(email))
    .execute(&store.write)
    .await
    .map_err(internal)?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn take(
    store: &SqlStore,
    email: &str,
    now: DateTime<Utc>,
    per_day: i64,
) -> Result<bool, StoreError> {
    if has_nul(email) {
        return Ok(false);
    }
    let today = now.timestamp().div_euclid(86_400);
    // One statement: two nodes sending at once cannot both take the day's last email.
    let done = sqlx::query(
        "UPDATE reply_addresses SET \
           sent_that_day = CASE WHEN day = $1 THEN sent_that_day + 1 ELSE 1 END, day = $1 \
         WHERE email = $2 AND confirmed_at IS NOT NULL \
           AND (day <> $1 OR sent_that_day < $3) \
           AND NOT EXISTS (SELECT 1 FROM email_optouts o WHERE o.email = $2)",
    )
    .bind(today)
    .bind(key(email))
    .bind(per_day)
    .execute(&store.write)
    .await
    .map_err(internal)?;
    Ok(done.rows_affected() == 1)
}
