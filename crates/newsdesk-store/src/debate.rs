//! Debate polls, reader-proposed questions and shared secrets.

use crate::comments::{touch_thread, IN_THREAD};
use crate::{internal, millis};
use chrono::{DateTime, Utc};
use newsdesk_core::debate::{PollAnswer, PollTally};
use newsdesk_core::{ArticleId, QuestionId, ReaderId, StoreError};
use sqlx::{AnyPool, Row};

pub async fn vote(
    pool: &AnyPool,
    question: QuestionId,
    reader: &ReaderId,
    answer: PollAnswer,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut tx = pool.begin().await.map_err(internal)?;
    let row = sqlx::query("SELECT article_id FROM debate_questions WHERE id = $1")
        .bind(question.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(internal)?
        .ok_or(StoreError::NotFound)?;
    let article = ArticleId(row.try_get(0).map_err(internal)?);
    sqlx::query(
        "INSERT INTO poll_votes (question_id, reader_id, answer, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(question.0)
    .bind(&reader.0)
    .bind(answer.as_str())
    .bind(millis(now))
    .execute(&mut *tx)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict("you have already answered this question".into())
        }
        _ => internal(e),
    })?;
    // The tallies show on the story's page, so its cached copies must go.
    touch_thread(&mut tx, article, 0, 0, now).await?;
    tx.commit().await.map_err(internal)
}

/// Every question of a story with its votes and readable answers, in the story's order.
pub async fn tallies(pool: &AnyPool, article: ArticleId) -> Result<Vec<PollTally>, StoreError> {
    let questions =
        sqlx::query("SELECT id FROM debate_questions WHERE article_id = $1 ORDER BY position")
            .bind(article.0)
            .fetch_all(pool)
            .await
            .map_err(internal)?;
    let mut out: Vec<PollTally> = questions
        .iter()
        .map(|r| {
            Ok(PollTally {
                question_id: QuestionId(r.try_get(0).map_err(internal)?),
                ..Default::default()
            })
        })
        .collect::<Result<_, StoreError>>()?;
    if out.is_empty() {
        return Ok(out);
    }
    let votes = sqlx::query(
        "SELECT v.question_id, v.answer, COUNT(*) FROM poll_votes v \
         JOIN debate_questions q ON q.id = v.question_id WHERE q.article_id = $1 \
         GROUP BY v.question_id, v.answer",
    )
    .bind(article.0)
    .fetch_all(pool)
    .await
    .map_err(internal)?;
    for r in &votes {
        let q: i64 = r.try_get(0).map_err(internal)?;
        let answer: String = r.try_get(1).map_err(internal)?;
        let n: i64 = r.try_get(2).map_err(internal)?;
        if let Some(t) = out.iter_mut().find(|t| t.question_id.0 == q) {
            match PollAnswer::parse(&answer) {
                Some(PollAnswer::Yes) => t.yes = n,
                Some(PollAnswer::No) => t.no = n,
                Some(PollAnswer::NotSure) => t.not_sure = n,
                None => {}
            }
        }
    }
    let answers = sqlx::query(&format!(
        "SELECT question_id, COUNT(*) FROM comments WHERE article_id = $1 \
         AND question_id IS NOT NULL AND status IN {IN_THREAD} GROUP BY question_id"
    ))
    .bind(article.0)
    .fetch_all(pool)
    .await
    .map_err(internal)?;
    for r in &answers {
        let q: i64 = r.try_get(0).map_err(internal)?;
        if let Some(t) = out.iter_mut().find(|t| t.question_id.0 == q) {
            t.answers = r.try_get(1).map_err(internal)?;
        }
    }
    Ok(out)
}

pub async fn propose(
    pool: &AnyPool,
    article: ArticleId,
    text: &str,
    name: &str,
    reader: &ReaderId,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    sqlx::query(
        "INSERT INTO question_proposals (article_id, text, name, reader_id, status, created_at) \
         VALUES ($1, $2, $3, $4, 'pending', $5) RETURNING id",
    )
    .bind(article.0)
    .bind(text)
    .bind(name)
    .bind(&reader.0)
    .bind(millis(now))
    .fetch_one(pool)
    .await
    .map_err(internal)?
    .try_get(0)
    .map_err(internal)
}

/// The secret every node shares under `name`: the first node's proposal wins.
pub async fn shared_secret(
    pool: &AnyPool,
    name: &str,
    proposed: &str,
) -> Result<String, StoreError> {
    sqlx::query(
        "INSERT INTO site_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(proposed)
    .execute(pool)
    .await
    .map_err(internal)?;
    sqlx::query("SELECT value FROM site_secrets WHERE name = $1")
        .bind(name)
        .fetch_one(pool)
        .await
        .map_err(internal)?
        .try_get(0)
        .map_err(internal)
}
