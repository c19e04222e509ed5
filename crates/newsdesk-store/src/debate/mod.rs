//! The readers' debate: comments and their threads, votes and reports, debate polls and
//! the questions readers propose.

mod page;
mod reports;
mod threads;
mod writer;

pub(crate) use threads::{recount, touch_thread, IN_THREAD};
pub(crate) use writer::CommentWriter;

use crate::rows::{comment_from_row, pairs, COMMENT_COLUMNS};
use crate::{conflict_as, internal, millis, SqlStore};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use newsdesk_core::comment::{
    Comment, CommentStatus, NewComment, ThreadPage, ThreadQuery, VoteTally,
};
use newsdesk_core::debate::{PollAnswer, PollTally};
use newsdesk_core::store::{DebateStore, Report};
use newsdesk_core::{ArticleId, CommentId, Conflict, QuestionId, ReaderId, StoreError};
use sqlx::{AnyPool, Row};
use threads::article_of;

#[async_trait]
impl DebateStore for SqlStore {
    async fn add_comment(&self, comment: NewComment) -> Result<Comment, StoreError> {
        self.comments.add(comment).await
    }

    async fn find_comment(&self, id: CommentId) -> Result<Option<Comment>, StoreError> {
        comment_by_id(&self.read, id).await
    }

    async fn thread_page(&self, q: &ThreadQuery) -> Result<ThreadPage, StoreError> {
        match q.question {
            None => page::whole_thread(&self.read, q).await,
            Some(question) => page::answers(&self.read, q, question).await,
        }
    }

    async fn thread_replies(
        &self,
        root: CommentId,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<Comment>, i64), StoreError> {
        let total: i64 = sqlx::query(&format!(
            "SELECT COUNT(*) FROM comments WHERE root_id = $1 AND depth > 0 AND status IN {IN_THREAD}"
        ))
        .bind(root.0)
        .fetch_one(&self.read)
        .await
        .map_err(internal)?
        .try_get(0)
        .map_err(internal)?;
        let rows = sqlx::query(&format!(
            "SELECT {COMMENT_COLUMNS} FROM comments WHERE root_id = $1 AND depth > 0 \
             AND status IN {IN_THREAD} ORDER BY id LIMIT $2 OFFSET $3"
        ))
        .bind(root.0)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.read)
        .await
        .map_err(internal)?;
        let replies = rows
            .iter()
            .map(comment_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        Ok((replies, total))
    }

    async fn threads_up_to(&self, article: ArticleId, root: CommentId) -> Result<i64, StoreError> {
        sqlx::query(&format!(
            "SELECT COUNT(*) FROM comments WHERE article_id = $1 AND depth = 0 AND id <= $2 \
             AND status IN {IN_THREAD}"
        ))
        .bind(article.0)
        .bind(root.0)
        .fetch_one(&self.write)
        .await
        .map_err(internal)?
        .try_get(0)
        .map_err(internal)
    }

    async fn recent_comments(
        &self,
        article: ArticleId,
        limit: i64,
    ) -> Result<Vec<Comment>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COMMENT_COLUMNS} FROM comments WHERE article_id = $1 AND status = 'published' \
             ORDER BY id DESC LIMIT $2"
        ))
        .bind(article.0)
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(internal)?;
        rows.iter().map(comment_from_row).collect()
    }

    async fn edit_comment(
        &self,
        id: CommentId,
        body: &str,
        verdict: (CommentStatus, &str),
        now: DateTime<Utc>,
    ) -> Result<Comment, StoreError> {
        let mut tx = self.write.begin().await.map_err(internal)?;
        let article = article_of(&mut tx, id).await?;
        // The screening's verdict on the new words takes effect with them: a published comment
        // a rule would hold goes back to the queue, and a held one's reason follows its text.
        let (status, reason) = verdict;
        let held = status != CommentStatus::Published;
        sqlx::query(
            "UPDATE comments SET body = $1, edited_at = $2, \
             status = CASE WHEN $3 = 1 AND status = 'published' THEN $4 ELSE status END, \
             reason = CASE WHEN $3 = 1 AND status IN ('published', 'held') THEN $5 ELSE reason END \
             WHERE id = $6",
        )
        .bind(body)
        .bind(millis(now))
        .bind(i64::from(held))
        .bind(status.as_str())
        .bind(reason)
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
        if held {
            recount(&mut tx, article, now).await?;
        } else {
            touch_thread(&mut tx, article, 0, 0, now).await?;
        }
        tx.commit().await.map_err(internal)?;
        comment_by_id(&self.write, id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    async fn set_comment_status(
        &self,
        id: CommentId,
        status: CommentStatus,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Comment, StoreError> {
        let mut tx = self.write.begin().await.map_err(internal)?;
        let article = article_of(&mut tx, id).await?;
        sqlx::query("UPDATE comments SET status = $1, reason = $2 WHERE id = $3")
            .bind(status.as_str())
            .bind(reason)
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        recount(&mut tx, article, now).await?;
        tx.commit().await.map_err(internal)?;
        comment_by_id(&self.write, id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    async fn vote_comment(
        &self,
        id: CommentId,
        reader: &ReaderId,
        up: bool,
        now: DateTime<Utc>,
    ) -> Result<VoteTally, StoreError> {
        let mut tx = self.write.begin().await.map_err(internal)?;
        let article = article_of(&mut tx, id).await?;
        let value: i64 = if up { 1 } else { -1 };
        sqlx::query(
            "INSERT INTO comment_votes (comment_id, reader_id, value, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(id.0)
        .bind(&reader.0)
        .bind(value)
        .bind(millis(now))
        .execute(&mut *tx)
        .await
        .map_err(conflict_as(Conflict::AlreadyVoted(id)))?;
        let row = sqlx::query(
            "UPDATE comments SET upvotes = upvotes + $1, downvotes = downvotes + $2, score = score + $3 \
             WHERE id = $4 RETURNING upvotes, downvotes",
        )
        .bind(i64::from(up))
        .bind(i64::from(!up))
        .bind(value)
        .bind(id.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal)?;
        touch_thread(&mut tx, article, 0, 0, now).await?;
        tx.commit().await.map_err(internal)?;
        Ok(VoteTally {
            upvotes: row.try_get(0).map_err(internal)?,
            downvotes: row.try_get(1).map_err(internal)?,
        })
    }

    async fn flag_comment(
        &self,
        id: CommentId,
        report: &Report<'_>,
        now: DateTime<Utc>,
    ) -> Result<Comment, StoreError> {
        reports::flag(self, id, report, now).await
    }

    async fn spend_stamp(&self, stamp: &str, until: DateTime<Utc>) -> Result<(), StoreError> {
        reports::spend_stamp(self, stamp, until).await
    }

    async fn forget_spent_stamps(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        reports::forget_spent_stamps(self, now).await
    }

    async fn threads_changed_since(&self, since: i64) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.slug, t.changed_at FROM threads t JOIN articles a ON a.id = t.article_id \
             WHERE t.changed_at >= $1",
        )
        .bind(since)
        .fetch_all(&self.read)
        .await
        .map_err(internal)?;
        pairs(&rows)
    }

    async fn vote_poll(
        &self,
        question: QuestionId,
        reader: &ReaderId,
        answer: PollAnswer,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await.map_err(internal)?;
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
        .map_err(conflict_as(Conflict::AlreadyAnswered(question)))?;
        // Counted here, once, so a page shows its tallies without reading every vote.
        let counter = match answer {
            PollAnswer::Yes => "yes_votes",
            PollAnswer::No => "no_votes",
            PollAnswer::NotSure => "not_sure_votes",
        };
        sqlx::query(&format!(
            "UPDATE debate_questions SET {counter} = {counter} + 1 WHERE id = $1"
        ))
        .bind(question.0)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
        // The tallies show on the story's page, so its cached copies must go.
        touch_thread(&mut tx, article, 0, 0, now).await?;
        tx.commit().await.map_err(internal)
    }

    async fn poll_tallies(&self, article: ArticleId) -> Result<Vec<PollTally>, StoreError> {
        page::tallies(&self.read, article).await
    }

    async fn propose_question(
        &self,
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
        .fetch_one(&self.write)
        .await
        .map_err(internal)?
        .try_get(0)
        .map_err(internal)
    }
}

/// A comment read through `pool`: the writer, after a change, sees it at once.
async fn comment_by_id(pool: &AnyPool, id: CommentId) -> Result<Option<Comment>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {COMMENT_COLUMNS} FROM comments WHERE id = $1"
    ))
    .bind(id.0)
    .fetch_optional(pool)
    .await
    .map_err(internal)?;
    row.as_ref().map(comment_from_row).transpose()
}
