//! The one task new comments are written through. It commits them in groups: every comment
//! a request waits on is durable when it is answered, and a burst of comments shares one
//! transaction (and one fsync) instead of queueing for one each.

use super::threads::touch_thread;
use crate::{internal, millis};
use newsdesk_core::comment::{Comment, CommentStatus, NewComment};
use newsdesk_core::{CommentId, StoreError};
use sqlx::{Any, AnyPool, Row, Transaction};
use tokio::sync::{mpsc, oneshot};

/// The most comments one transaction commits.
const MAX_BATCH: usize = 512;

struct Job {
    comment: NewComment,
    reply: oneshot::Sender<Result<Comment, StoreError>>,
}

/// The handle requests send new comments through.
#[derive(Clone)]
pub struct CommentWriter {
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
        metrics::histogram!("newsdesk_comment_batch_size").record(batch.len() as f64);
        let comments: Vec<&NewComment> = batch.iter().map(|j| &j.comment).collect();
        match write_batch(&pool, &comments).await {
            Ok(results) => {
                for (job, result) in batch.into_iter().zip(results) {
                    let _ = job.reply.send(result);
                }
            }
            // The store is out of reach: this batch and every comment that arrived meanwhile
            // get that answer now (each would wait its own turn for a connection otherwise).
            Err(StoreError::Unavailable(why)) => {
                while let Ok(job) = rx.try_recv() {
                    batch.push(job);
                }
                for job in batch {
                    let _ = job.reply.send(Err(StoreError::Unavailable(why.clone())));
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
        url: None,
        archive_id: None,
    }))
}
