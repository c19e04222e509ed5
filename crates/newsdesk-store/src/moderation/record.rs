//! What every moderation action leaves behind: its entry in the log, and what the spam
//! classifier learns from the comment it decided.

use crate::{internal, millis};
use chrono::{DateTime, Utc};
use newsdesk_core::classifier::words;
use newsdesk_core::{CommentId, StoreError};
use sqlx::{Any, Transaction};

pub(crate) async fn log(
    tx: &mut Transaction<'static, Any>,
    actor: &str,
    action: &str,
    comment: Option<CommentId>,
    detail: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO moderation_log (at, actor, action, comment_id, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(millis(now))
    .bind(actor)
    .bind(action)
    .bind(comment.map(|c| c.0))
    .bind(detail)
    .execute(&mut **tx)
    .await
    .map_err(internal)?;
    Ok(())
}

/// Teaches the classifier one decided comment.
pub(super) async fn teach(
    tx: &mut Transaction<'static, Any>,
    text: &str,
    spam: bool,
) -> Result<(), StoreError> {
    let (s, h) = if spam { (1i64, 0i64) } else { (0, 1) };
    for word in std::iter::once(String::new()).chain(words(text)) {
        sqlx::query(
            "INSERT INTO spam_words (word, spam, ham) VALUES ($1, $2, $3) ON CONFLICT (word) \
             DO UPDATE SET spam = spam_words.spam + excluded.spam, ham = spam_words.ham + excluded.ham",
        )
        .bind(word)
        .bind(s)
        .bind(h)
        .execute(&mut **tx)
        .await
        .map_err(internal)?;
    }
    Ok(())
}
