//! A page of a story's conversation, read in as few round trips as the page allows: each
//! query costs two thread hand-overs on SQLite (sqlx runs each connection on a thread of its
//! own) or a round trip to PostgreSQL, and a busy story's page is read again after every
//! comment.

use super::IN_THREAD;
use crate::internal;
use crate::rows::{comment_from_row, COMMENT_COLUMNS, COMMENT_COLUMN_COUNT};
use newsdesk_core::comment::{Comment, CommentSort, ThreadPage, ThreadQuery};
use newsdesk_core::debate::PollTally;
use newsdesk_core::{ArticleId, QuestionId, StoreError};
use sqlx::{AnyPool, Row};
use std::cmp::Reverse;

/// The rows of a page read in one query, told apart by the column after the comment's own.
const ROOT: i64 = 0;
const REPLY: i64 = 1;
const COUNTS: i64 = 2;

/// After a page query's comment columns: which part of the page the row is, a key (a root's
/// score, a reply's place in its thread, the story's comment count) and a number (a reply's
/// thread's count of replies, the story's count of threads).
const PART: usize = COMMENT_COLUMN_COUNT;

/// The whole thread's page: its threads, their first replies with each thread's count of
/// replies, and the story's counts, in one query. Each thread shows its first replies, so one
/// huge thread cannot crowd out the others or make the page huge; the rest are counted for a
/// link to the whole thread.
pub(super) async fn whole_thread(
    pool: &AnyPool,
    q: &ThreadQuery,
) -> Result<ThreadPage, StoreError> {
    let order = order_by(q.sort);
    let nulls = vec!["NULL"; COMMENT_COLUMN_COUNT].join(", ");
    // The page's threads are read once (a CTE used twice is computed once on both stores) and
    // come back in no particular order among the other rows: they are put in order here.
    let rows = sqlx::query(&format!(
        "WITH page AS (SELECT {COMMENT_COLUMNS}, score FROM comments \
           WHERE article_id = $1 AND depth = 0 AND status IN {IN_THREAD} \
           ORDER BY {order} LIMIT $2 OFFSET $3) \
         SELECT {COMMENT_COLUMNS}, CAST({ROOT} AS BIGINT) AS part, CAST(score AS BIGINT) AS k, \
           CAST(0 AS BIGINT) AS n FROM page \
         UNION ALL \
         SELECT {COMMENT_COLUMNS}, CAST({REPLY} AS BIGINT), CAST(nth AS BIGINT), \
           CAST(replies AS BIGINT) FROM (SELECT {COMMENT_COLUMNS}, \
             ROW_NUMBER() OVER (PARTITION BY root_id ORDER BY id) AS nth, \
             COUNT(*) OVER (PARTITION BY root_id) AS replies FROM comments \
             WHERE root_id IN (SELECT id FROM page) AND depth > 0 AND status IN {IN_THREAD}) shown \
           WHERE nth <= $4 \
         UNION ALL \
         SELECT {nulls}, CAST({COUNTS} AS BIGINT), CAST(comments AS BIGINT), \
           CAST(roots AS BIGINT) FROM threads WHERE article_id = $1"
    ))
    .bind(q.article_id.0)
    .bind(q.limit)
    .bind(q.offset)
    .bind(q.max_replies.max(1))
    .fetch_all(pool)
    .await
    .map_err(internal)?;
    let mut page = ThreadPage::default();
    let mut roots: Vec<(i64, Comment)> = Vec::new();
    for r in &rows {
        let part: i64 = r.try_get(PART).map_err(internal)?;
        let key: i64 = r.try_get(PART + 1).map_err(internal)?;
        let number: i64 = r.try_get(PART + 2).map_err(internal)?;
        match part {
            ROOT => roots.push((key, comment_from_row(r)?)),
            REPLY => {
                let reply = comment_from_row(r)?;
                // Each thread's first reply is read even when none is shown, for its count.
                if key == 1 {
                    page.reply_counts.push((reply.root_id, number));
                }
                if key <= q.max_replies {
                    page.replies.push(reply);
                }
            }
            _ => (page.comment_count, page.total_roots) = (key, number),
        }
    }
    match q.sort {
        CommentSort::Oldest => roots.sort_by_key(|(_, c)| c.id.0),
        CommentSort::Newest => roots.sort_by_key(|(_, c)| Reverse(c.id.0)),
        CommentSort::Best => roots.sort_by_key(|(score, c)| (Reverse(*score), c.id.0)),
    }
    page.roots = roots.into_iter().map(|(_, c)| c).collect();
    page.replies.sort_by_key(|c| c.id.0);
    page.reply_counts.sort_by_key(|(root, _)| root.0);
    Ok(page)
}

/// The answers to one debate question, as a flat list whatever their depth, in the sort asked.
pub(super) async fn answers(
    pool: &AnyPool,
    q: &ThreadQuery,
    question: QuestionId,
) -> Result<ThreadPage, StoreError> {
    let counts = sqlx::query(&format!(
        "SELECT comments, (SELECT COUNT(*) FROM comments WHERE question_id = $2 \
         AND article_id = $1 AND status IN {IN_THREAD}) FROM threads WHERE article_id = $1"
    ))
    .bind(q.article_id.0)
    .bind(question.0)
    .fetch_optional(pool)
    .await
    .map_err(internal)?;
    let (comment_count, total_roots) = match counts {
        Some(r) => (
            r.try_get::<i64, _>(0).map_err(internal)?,
            r.try_get::<i64, _>(1).map_err(internal)?,
        ),
        None => (0, 0),
    };
    let rows = sqlx::query(&format!(
        "SELECT {COMMENT_COLUMNS} FROM comments WHERE article_id = $1 AND question_id = $2 \
         AND status IN {IN_THREAD} ORDER BY {} LIMIT $3 OFFSET $4",
        order_by(q.sort)
    ))
    .bind(q.article_id.0)
    .bind(question.0)
    .bind(q.limit)
    .bind(q.offset)
    .fetch_all(pool)
    .await
    .map_err(internal)?;
    Ok(ThreadPage {
        roots: rows
            .iter()
            .map(comment_from_row)
            .collect::<Result<Vec<_>, _>>()?,
        total_roots,
        comment_count,
        ..Default::default()
    })
}

/// A sort as SQL: each is read in this order from an index (see the comments migration).
fn order_by(sort: CommentSort) -> &'static str {
    match sort {
        CommentSort::Oldest => "id ASC",
        CommentSort::Newest => "id DESC",
        CommentSort::Best => "score DESC, id ASC",
    }
}

/// A story's poll tallies: the votes counted as they were cast, and the answers to each
/// question, in one query.
pub(super) async fn tallies(
    pool: &AnyPool,
    article: ArticleId,
) -> Result<Vec<PollTally>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT CAST(0 AS BIGINT) AS part, CAST(position AS BIGINT) AS k, id, \
           CAST(yes_votes AS BIGINT) AS yes, CAST(no_votes AS BIGINT) AS no, \
           CAST(not_sure_votes AS BIGINT) AS not_sure \
           FROM debate_questions WHERE article_id = $1 \
         UNION ALL \
         SELECT CAST(1 AS BIGINT), CAST(COUNT(*) AS BIGINT), question_id, \
           CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT) FROM comments \
           WHERE article_id = $1 AND question_id IS NOT NULL AND status IN {IN_THREAD} \
           GROUP BY question_id"
    ))
    .bind(article.0)
    .fetch_all(pool)
    .await
    .map_err(internal)?;
    let mut questions: Vec<(i64, PollTally)> = Vec::new();
    let mut answers: Vec<(i64, i64)> = Vec::new();
    for r in &rows {
        let part: i64 = r.try_get(0).map_err(internal)?;
        let key: i64 = r.try_get(1).map_err(internal)?;
        let id: i64 = r.try_get(2).map_err(internal)?;
        if part == 0 {
            let tally = PollTally {
                question_id: QuestionId(id),
                yes: r.try_get(3).map_err(internal)?,
                no: r.try_get(4).map_err(internal)?,
                not_sure: r.try_get(5).map_err(internal)?,
                ..Default::default()
            };
            questions.push((key, tally));
        } else {
            answers.push((id, key));
        }
    }
    questions.sort_by_key(|(position, t)| (*position, t.question_id.0));
    Ok(questions
        .into_iter()
        .map(|(_, mut t)| {
            t.answers = answers
                .iter()
                .find(|(q, _)| *q == t.question_id.0)
                .map_or(0, |(_, n)| *n);
            t
        })
        .collect())
}
