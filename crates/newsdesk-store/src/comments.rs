//! Comment queries. New comments go through one writer task that commits them in groups:
//! every comment a request waits on is durable when it is answered, and a burst of comments
//! shares one transaction (and one fsync) instead of queueing for one each.

use crate::rows::time;
use crate::{internal, millis};
use chrono::{DateTime, Utc};
use newsdesk_core::comment::CommentSort;
use newsdesk_core::comment::{
    Comment, CommentStatus, NewComment, ThreadPage, ThreadQuery, VoteTally,
};
use newsdesk_core::{ArticleId, CommentId, QuestionId, ReaderId, StoreError};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyPool, Row, Transaction};
use tokio::sync::{mpsc, oneshot};

pub(crate) const COLUMNS: &str = "id, article_id, parent_id, root_id, depth, question_id, name, body, email, \
     notify_replies, reader_id, ip, status, reason, upvotes, downvotes, flags, created_at, edited_at";

/// The statuses that take a place in the public thread.
pub(crate) const IN_THREAD: &str = "('published', 'rejected', 'deleted')";

/// The most comments one transaction commits.
const MAX_BATCH: usize = 512;

pub(crate) fn comment_from_row(row: &AnyRow) -> Result<Comment, StoreError> {
    let status: String = row.try_get(12).map_err(internal)?;
    Ok(Comment {
        id: CommentId(row.try_get(0).map_err(internal)?),
        article_id: ArticleId(row.try_get(1).map_err(internal)?),
        parent_id: row
            .try_get::<Option<i64>, _>(2)
            .map_err(internal)?
            .map(CommentId),
        root_id: CommentId(row.try_get(3).map_err(internal)?),
        depth: row.try_get(4).map_err(internal)?,
        question_id: row
            .try_get::<Option<i64>, _>(5)
            .map_err(internal)?
            .map(QuestionId),
        name: row.try_get(6).map_err(internal)?,
        body: row.try_get(7).map_err(internal)?,
        email: row.try_get(8).map_err(internal)?,
        notify_replies: row.try_get::<i64, _>(9).map_err(internal)? != 0,
        reader: ReaderId(row.try_get(10).map_err(internal)?),
        ip: row.try_get(11).map_err(internal)?,
        status: CommentStatus::parse(&status)
            .ok_or_else(|| StoreError::Internal(format!("unknown comment status {status}")))?,
        reason: row.try_get(13).map_err(internal)?,
        upvotes: row.try_get(14).map_err(internal)?,
        downvotes: row.try_get(15).map_err(internal)?,
        flags: row.try_get(16).map_err(internal)?,
        created_at: time(row.try_get(17).map_err(internal)?),
        edited_at: row
            .try_get::<Option<i64>, _>(18)
            .map_err(internal)?
            .map(time),
    })
}

struct Job {
    comment: NewComment,
    reply: oneshot::Sender<Result<Comment, StoreError>>,
}

/// The handle requests send new comments through.
#[derive(Clone)]
pub(crate) struct CommentWriter {
    jobs: mpsc::Sender<Job>,
}

impl CommentWriter {
    pub fn start(pool: AnyPool) -> CommentWriter {
        let (jobs, rx) = mpsc::channel(8192);
        tokio::spawn(run_writer(pool, rx));
        CommentWriter { jobs }
    }

    /// Answers once the comment is committed (or refused).
    pub async fn add(&self, comment: NewComment) -> Result<Comment, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job { comment, reply })
            .await
            .map_err(|_| StoreError::Internal("the comment writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError::Internal("the comment writer dropped a comment".into()))?
    }
}

async fn run_writer(pool: AnyPool, mut rx: mpsc::Receiver<Job>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let comments: Vec<&NewComment> = batch.iter().map(|j| &j.comment).collect();
        match write_batch(&pool, &comments).await {
            Ok(results) => {
                for (job, result) in batch.into_iter().zip(results) {
                    let _ = job.reply.send(result);
                }
            }
            // The whole transaction failed: write each comment alone, so one bad comment
            // cannot take the others down with it.
            Err(_) => {
                for job in batch {
                    let result = match write_batch(&pool, &[&job.comment]).await {
                        Ok(mut r) => r.pop().unwrap_or(Err(StoreError::NotFound)),
                        Err(e) => Err(e),
                    };
                    let _ = job.reply.send(result);
                }
            }
        }
    }
}

/// Writes comments in one transaction. A comment that cannot be placed (its parent is gone)
/// gets its own error; the others are still committed.
async fn write_batch(
    pool: &AnyPool,
    comments: &[&NewComment],
) -> Result<Vec<Result<Comment, StoreError>>, StoreError> {
    let mut tx = pool.begin().await.map_err(internal)?;
    let mut results = Vec::with_capacity(comments.len());
    for c in comments {
        results.push(insert_one(&mut tx, c).await?);
    }
    tx.commit().await.map_err(internal)?;
    Ok(results)
}

async fn insert_one(
    tx: &mut Transaction<'static, Any>,
    c: &NewComment,
) -> Result<Result<Comment, StoreError>, StoreError> {
    let (root, depth) = match c.parent_id {
        None => (None, 0),
        Some(parent) => {
            let row = sqlx::query("SELECT root_id, depth, article_id FROM comments WHERE id = $1")
                .bind(parent.0)
                .fetch_optional(&mut **tx)
                .await
                .map_err(internal)?;
            match row {
                Some(r) if r.try_get::<i64, _>(2).map_err(internal)? == c.article_id.0 => (
                    Some(r.try_get::<i64, _>(0).map_err(internal)?),
                    r.try_get::<i64, _>(1).map_err(internal)? + 1,
                ),
                _ => return Ok(Err(StoreError::NotFound)),
            }
        }
    };
    let at = millis(c.created_at);
    let id: i64 = sqlx::query(
        "INSERT INTO comments (article_id, parent_id, root_id, depth, question_id, name, body, email, \
         notify_replies, reader_id, ip, status, reason, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(c.article_id.0)
    .bind(c.parent_id.map(|p| p.0))
    .bind(root.unwrap_or(0))
    .bind(depth)
    .bind(c.question_id.map(|q| q.0))
    .bind(&c.name)
    .bind(&c.body)
    .bind(c.email.as_deref())
    .bind(i64::from(c.notify_replies))
    .bind(&c.reader.0)
    .bind(&c.ip)
    .bind(c.status.as_str())
    .bind(&c.reason)
    .bind(at)
    .fetch_one(&mut **tx)
    .await
    .map_err(internal)?
    .try_get(0)
    .map_err(internal)?;
    let root_id = match root {
        Some(r) => r,
        None => {
            sqlx::query("UPDATE comments SET root_id = id WHERE id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await
                .map_err(internal)?;
            id
        }
    };
    let published = i64::from(c.status == CommentStatus::Published);
    let new_root = i64::from(depth == 0 && c.status.in_thread());
    touch_thread(tx, c.article_id, published, new_root, c.created_at).await?;
    Ok(Ok(Comment {
        id: CommentId(id),
        article_id: c.article_id,
        parent_id: c.parent_id,
        root_id: CommentId(root_id),
        depth,
        question_id: c.question_id,
        name: c.name.clone(),
        body: c.body.clone(),
        email: c.email.clone(),
        notify_replies: c.notify_replies,
        reader: c.reader.clone(),
        ip: c.ip.clone(),
        status: c.status,
        reason: c.reason.clone(),
        upvotes: 0,
        downvotes: 0,
        flags: 0,
        created_at: c.created_at,
        edited_at: None,
    }))
}

/// Adds to a story's counts and marks its conversation as changed, for every node's cache.
pub(crate) async fn touch_thread(
    tx: &mut Transaction<'static, Any>,
    article: ArticleId,
    comments: i64,
    roots: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO threads (article_id, comments, roots, changed_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (article_id) DO UPDATE SET comments = threads.comments + excluded.comments, \
         roots = threads.roots + excluded.roots, changed_at = excluded.changed_at",
    )
    .bind(article.0)
    .bind(comments)
    .bind(roots)
    .bind(millis(now))
    .execute(&mut **tx)
    .await
    .map_err(internal)?;
    Ok(())
}

/// Counts a story's thread again after a status change, which may move either count.
pub(crate) async fn recount(
    tx: &mut Transaction<'static, Any>,
    article: ArticleId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    touch_thread(tx, article, 0, 0, now).await?;
    sqlx::query(&format!(
        "UPDATE threads SET \
         comments = (SELECT COUNT(*) FROM comments WHERE article_id = $1 AND status = 'published'), \
         roots = (SELECT COUNT(*) FROM comments WHERE article_id = $1 AND depth = 0 AND status IN {IN_THREAD}) \
         WHERE article_id = $1"
    ))
    .bind(article.0)
    .execute(&mut **tx)
    .await
    .map_err(internal)?;
    Ok(())
}

pub async fn find(pool: &AnyPool, id: CommentId) -> Result<Option<Comment>, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM comments WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(pool)
        .await
        .map_err(internal)?;
    row.as_ref().map(comment_from_row).transpose()
}

pub async fn thread_page(pool: &AnyPool, q: &ThreadQuery) -> Result<ThreadPage, StoreError> {
    let counts = sqlx::query("SELECT comments, roots FROM threads WHERE article_id = $1")
        .bind(q.article_id.0)
        .fetch_optional(pool)
        .await
        .map_err(internal)?;
    let (comment_count, all_roots) = match counts {
        Some(r) => (
            r.try_get::<i64, _>(0).map_err(internal)?,
            r.try_get::<i64, _>(1).map_err(internal)?,
        ),
        None => (0, 0),
    };
    let order = match q.sort {
        CommentSort::Oldest => "id ASC",
        CommentSort::Newest => "id DESC",
        CommentSort::Best => "score DESC, id ASC",
    };
    // The answers to one question read as a flat list, whatever their depth.
    let (filter, total_roots) = match q.question {
        Some(question) => {
            let total: i64 = sqlx::query(&format!(
                "SELECT COUNT(*) FROM comments WHERE question_id = $1 AND article_id = $2 AND status IN {IN_THREAD}"
            ))
            .bind(question.0)
            .bind(q.article_id.0)
            .fetch_one(pool)
            .await
            .map_err(internal)?
            .try_get(0)
            .map_err(internal)?;
            (format!("question_id = {}", question.0), total)
        }
        None => ("depth = 0".to_string(), all_roots),
    };
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM comments WHERE article_id = $1 AND {filter} AND status IN {IN_THREAD} \
         ORDER BY {order} LIMIT $2 OFFSET $3"
    ))
    .bind(q.article_id.0)
    .bind(q.limit)
    .bind(q.offset)
    .fetch_all(pool)
    .await
    .map_err(internal)?;
    let roots = rows
        .iter()
        .map(comment_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let mut replies = Vec::new();
    if q.question.is_none() && !roots.is_empty() {
        let ids = roots
            .iter()
            .map(|c| c.id.0.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM comments WHERE root_id IN ({ids}) AND depth > 0 \
             AND status IN {IN_THREAD} ORDER BY id LIMIT $1"
        ))
        .bind(q.max_replies)
        .fetch_all(pool)
        .await
        .map_err(internal)?;
        replies = rows
            .iter()
            .map(comment_from_row)
            .collect::<Result<Vec<_>, _>>()?;
    }
    Ok(ThreadPage {
        roots,
        replies,
        total_roots,
        comment_count,
    })
}

pub async fn threads_up_to(
    pool: &AnyPool,
    article: ArticleId,
    root: CommentId,
) -> Result<i64, StoreError> {
    sqlx::query(&format!(
        "SELECT COUNT(*) FROM comments WHERE article_id = $1 AND depth = 0 AND id <= $2 \
         AND status IN {IN_THREAD}"
    ))
    .bind(article.0)
    .bind(root.0)
    .fetch_one(pool)
    .await
    .map_err(internal)?
    .try_get(0)
    .map_err(internal)
}

pub async fn recent(
    pool: &AnyPool,
    article: ArticleId,
    limit: i64,
) -> Result<Vec<Comment>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM comments WHERE article_id = $1 AND status = 'published' \
         ORDER BY id DESC LIMIT $2"
    ))
    .bind(article.0)
    .bind(limit)
    .fetch_all(pool)
    .await
    .map_err(internal)?;
    rows.iter().map(comment_from_row).collect()
}

pub async fn edit(
    pool: &AnyPool,
    id: CommentId,
    body: &str,
    now: DateTime<Utc>,
) -> Result<Comment, StoreError> {
    let mut tx = pool.begin().await.map_err(internal)?;
    let article = article_of(&mut tx, id).await?;
    sqlx::query("UPDATE comments SET body = $1, edited_at = $2 WHERE id = $3")
        .bind(body)
        .bind(millis(now))
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    touch_thread(&mut tx, article, 0, 0, now).await?;
    tx.commit().await.map_err(internal)?;
    find(pool, id).await?.ok_or(StoreError::NotFound)
}

pub async fn set_status(
    pool: &AnyPool,
    id: CommentId,
    status: CommentStatus,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Comment, StoreError> {
    let mut tx = pool.begin().await.map_err(internal)?;
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
    find(pool, id).await?.ok_or(StoreError::NotFound)
}

async fn article_of(
    tx: &mut Transaction<'static, Any>,
    id: CommentId,
) -> Result<ArticleId, StoreError> {
    let row = sqlx::query("SELECT article_id FROM comments WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await
        .map_err(internal)?
        .ok_or(StoreError::NotFound)?;
    Ok(ArticleId(row.try_get(0).map_err(internal)?))
}

/// A second insert of the same (thing, reader) pair is a conflict with its own message.
fn once(e: sqlx::Error, what: &str) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(what.into()),
        _ => internal(e),
    }
}

pub async fn vote(
    pool: &AnyPool,
    id: CommentId,
    reader: &ReaderId,
    up: bool,
    now: DateTime<Utc>,
) -> Result<VoteTally, StoreError> {
    let mut tx = pool.begin().await.map_err(internal)?;
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
    .map_err(|e| once(e, "you have already voted on this comment"))?;
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

/// Records a reader's flag; at `hide_at` flags a published comment is held for a moderator.
pub async fn flag(
    pool: &AnyPool,
    id: CommentId,
    reader: &ReaderId,
    reason: &str,
    hide_at: i64,
    now: DateTime<Utc>,
) -> Result<Comment, StoreError> {
    let mut tx = pool.begin().await.map_err(internal)?;
    let article = article_of(&mut tx, id).await?;
    sqlx::query(
        "INSERT INTO comment_flags (comment_id, reader_id, reason, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(id.0)
    .bind(&reader.0)
    .bind(reason)
    .bind(millis(now))
    .execute(&mut *tx)
    .await
    .map_err(|e| once(e, "you have already reported this comment"))?;
    let flags: i64 =
        sqlx::query("UPDATE comments SET flags = flags + 1 WHERE id = $1 RETURNING flags")
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await
            .map_err(internal)?
            .try_get(0)
            .map_err(internal)?;
    if hide_at > 0 && flags >= hide_at {
        let hidden = sqlx::query(
            "UPDATE comments SET status = 'held', reason = $1 WHERE id = $2 AND status = 'published'",
        )
        .bind(format!("flagged by {flags} readers"))
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
        if hidden.rows_affected() > 0 {
            recount(&mut tx, article, now).await?;
        }
    }
    tx.commit().await.map_err(internal)?;
    find(pool, id).await?.ok_or(StoreError::NotFound)
}

/// Conversations changed at or after `since`, as (story slug, change time in ms).
pub async fn changed_since(pool: &AnyPool, since: i64) -> Result<Vec<(String, i64)>, StoreError> {
    let rows = sqlx::query(
        "SELECT a.slug, t.changed_at FROM threads t JOIN articles a ON a.id = t.article_id \
         WHERE t.changed_at >= $1",
    )
    .bind(since)
    .fetch_all(pool)
    .await
    .map_err(internal)?;
    crate::rows::pairs(&rows)
}
