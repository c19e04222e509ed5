//! The pieces story queries are built from: which stories are live, reading stories with
//! their debate questions, and id lists.

use crate::rows::{article_from_row, debate_from_row, Param, Params, ARTICLE_COLUMNS};
use crate::{internal, millis};
use chrono::{DateTime, Utc};
use newsdesk_core::{Article, ArticleId, StoreError};
use sqlx::any::AnyRow;
use sqlx::AnyPool;

/// Readers see published stories and scheduled ones whose time has come.
/// Live stories: published, or scheduled and due. Written as one range on the time (a live
/// story's time is never more than a few minutes ahead of the clock) and a CASE rather than an
/// OR of statuses, so both databases walk the `articles_by_time` index, newest first, and stop
/// after a page; an OR leads SQLite to gather every live story and sort them.
pub(super) fn live_condition(params: &mut Params, now: DateTime<Utc>) -> String {
    let at = params.push(Param::Int(millis(now)));
    let ahead = params.push(Param::Int(millis(
        now + chrono::Duration::minutes(newsdesk_core::article::PUBLISHED_AHEAD_MINUTES),
    )));
    format!(
        "(published_at <= {ahead} AND published_at <= \
         CASE status WHEN 'published' THEN {ahead} WHEN 'scheduled' THEN {at} ELSE NULL END)"
    )
}

pub(super) async fn with_debate(
    pool: &AnyPool,
    rows: Vec<AnyRow>,
) -> Result<Vec<Article>, StoreError> {
    let mut articles = rows
        .iter()
        .map(article_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    if articles.is_empty() {
        return Ok(articles);
    }
    let mut params = Params::default();
    let ids = articles
        .iter()
        .map(|a| params.push(Param::Int(a.id.0)))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT article_id, id, text FROM debate_questions WHERE article_id IN ({ids}) ORDER BY article_id, position"
    );
    let rows = params
        .bind(sqlx::query(&sql))
        .fetch_all(pool)
        .await
        .map_err(internal)?;
    for row in &rows {
        let (article_id, q) = debate_from_row(row)?;
        if let Some(a) = articles.iter_mut().find(|a| a.id.0 == article_id) {
            a.debate.push(q);
        }
    }
    Ok(articles)
}

pub(super) async fn find_by_id(
    pool: &AnyPool,
    id: ArticleId,
) -> Result<Option<Article>, StoreError> {
    let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = $1");
    let rows = sqlx::query(&sql)
        .bind(id.0)
        .fetch_all(pool)
        .await
        .map_err(internal)?;
    Ok(with_debate(pool, rows).await?.pop())
}

/// Ids go into queries in slices, under every backend's limit on bound parameters.
pub(super) const ID_CHUNK: usize = 500;

/// Ids written into an `IN (…)` list: numbers only, so nothing a client sent reaches the SQL.
pub(super) fn id_list(ids: &[ArticleId]) -> String {
    ids.iter()
        .map(|i| i.0.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
