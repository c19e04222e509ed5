//! Reply emails by double opt-in: who asked for them at which address, who confirmed, and
//! each address's counts of the day.

use crate::{has_nul, internal, millis, SqlStore};
use chrono::{DateTime, Utc};
use newsdesk_core::{ReaderId, StoreError};

fn key(email: &str) -> String {
    email.trim().to_lowercase()
}

fn day_of(now: DateTime<Utc>) -> i64 {
    now.timestamp().div_euclid(86_400)
}

pub(crate) async fn ask(
    store: &SqlStore,
    email: &str,
    reader: &ReaderId,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    if has_nul(email) {
        return Ok(false);
    }
    let mut tx = store.write.begin().await.map_err(internal)?;
    let new_pair = sqlx::query(
        "INSERT INTO reply_consents (email, reader_id, asked_at) VALUES ($1, $2, $3) \
         ON CONFLICT (email, reader_id) DO NOTHING",
    )
    .bind(key(email))
    .bind(&reader.0)
    .bind(millis(now))
    .execute(&mut *tx)
    .await
    .map_err(internal)?
    .rows_affected()
        == 1;
    let mut send = false;
    if new_pair {
        sqlx::query(
            "INSERT INTO reply_addresses (email) VALUES ($1) ON CONFLICT (email) DO NOTHING",
        )
        .bind(key(email))
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
        // One confirmation email a day at most, whoever asks.
        send = sqlx::query(
            "UPDATE reply_addresses SET asked_day = $1 WHERE email = $2 AND asked_day <> $1",
        )
        .bind(day_of(now))
        .bind(key(email))
        .execute(&mut *tx)
        .await
        .map_err(internal)?
        .rows_affected()
            == 1;
    }
    tx.commit().await.map_err(internal)?;
    Ok(send)
}

pub(crate) async fn confirm(
    store: &SqlStore,
    email: &str,
    reader: &ReaderId,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    if has_nul(email) {
        return Ok(false);
    }
    let done = sqlx::query(
        "UPDATE reply_consents SET confirmed_at = COALESCE(confirmed_at, $1) \
         WHERE email = $2 AND reader_id = $3",
    )
    .bind(millis(now))
    .bind(key(email))
    .bind(&reader.0)
    .execute(&store.write)
    .await
    .map_err(internal)?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn take(
    store: &SqlStore,
    email: &str,
    reader: &ReaderId,
    now: DateTime<Utc>,
    per_day: i64,
) -> Result<bool, StoreError> {
    if has_nul(email) {
        return Ok(false);
    }
    let today = day_of(now);
    // One statement: two nodes sending at once cannot both take the day's last email.
    let done = sqlx::query(
        "UPDATE reply_addresses SET \
           sent_that_day = CASE WHEN day = $1 THEN sent_that_day + 1 ELSE 1 END, day = $1 \
         WHERE email = $2 AND (day <> $1 OR sent_that_day < $3) \
           AND EXISTS (SELECT 1 FROM reply_consents c WHERE c.email = $2 AND c.reader_id = $4 \
                       AND c.confirmed_at IS NOT NULL) \
           AND NOT EXISTS (SELECT 1 FROM email_optouts o WHERE o.email = $2)",
    )
    .bind(today)
    .bind(key(email))
    .bind(per_day)
    .bind(&reader.0)
    .execute(&store.write)
    .await
    .map_err(internal)?;
    Ok(done.rows_affected() == 1)
}
