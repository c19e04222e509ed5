//! Story queries.

use crate::rows::{
    article_from_row, debate_from_row, pairs, time, to_json, Param, Params, ARTICLE_COLUMNS,
};
use crate::{internal, millis};
use chrono::{DateTime, Utc};
use newsdesk_core::newsroom::author_slug;
use newsdesk_core::store::{ArticleFilter, ArticleList, ImportItem, PageRequest, PromoTarget};
use newsdesk_core::{Article, ArticleFields, ArticleId, ArticleStatus, StoreError};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyPool, Row, Transaction};

/// Readers see published stories and scheduled ones whose time has come.
/// Live stories: published, or scheduled and due. Written as one range on the time (a live
/// story's time is never more than a few minutes ahead of the clock) and a CASE rather than an
/// OR of statuses, so both databases walk the `articles_by_time` index, newest first, and stop
/// after a page; an OR leads SQLite to gather every live story and sort them.
fn live_condition(params: &mut Params, now: DateTime<Utc>) -> String {
    let at = params.push(Param::Int(millis(now)));
    let ahead = params.push(Param::Int(millis(
        now + chrono::Duration::minutes(newsdesk_core::article::PUBLISHED_AHEAD_MINUTES),
    )));
    format!(
        "(published_at <= {ahead} AND published_at <= \
         CASE status WHEN 'published' THEN {ahead} WHEN 'scheduled' THEN {at} ELSE NULL END)"
    )
}

async fn with_debate(pool: &AnyPool, rows: Vec<AnyRow>) -> Result<Vec<Article>, StoreError> {
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

pub async fn find_by_id(pool: &AnyPool, id: ArticleId) -> Result<Option<Article>, StoreError> {
    let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = $1");
    let rows = sqlx::query(&sql)
        .bind(id.0)
        .fetch_all(pool)
        .await
        .map_err(internal)?;
    Ok(with_debate(pool, rows).await?.pop())
}

pub async fn find_by_slug(pool: &AnyPool, slug: &str) -> Result<Option<Article>, StoreError> {
    let sql = format!(
        "SELECT {ARTICLE_COLUMNS} FROM articles WHERE slug = $1 \
         OR id = (SELECT article_id FROM slug_redirects WHERE old_slug = $1) \
         ORDER BY CASE WHEN slug = $1 THEN 0 ELSE 1 END LIMIT 1"
    );
    let rows = sqlx::query(&sql)
        .bind(slug)
        .fetch_all(pool)
        .await
        .map_err(internal)?;
    Ok(with_debate(pool, rows).await?.pop())
}

pub async fn owner(pool: &AnyPool, id: ArticleId) -> Result<String, StoreError> {
    let row = sqlx::query("SELECT owner FROM articles WHERE id = $1")
        .bind(id.0)
        .fetch_optional(pool)
        .await
        .map_err(internal)?
        .ok_or(StoreError::NotFound)?;
    row.try_get(0).map_err(internal)
}

pub async fn list(
    pool: &AnyPool,
    filter: &ArticleFilter,
    page: PageRequest,
    now: DateTime<Utc>,
) -> Result<ArticleList, StoreError> {
    let mut params = Params::default();
    let mut clauses: Vec<String> = Vec::new();
    if let Some(section) = &filter.section {
        clauses.push(format!(
            "section = {}",
            params.push(Param::Text(section.clone()))
        ));
    }
    if let Some(tag) = &filter.tag {
        let p = params.push(Param::Text(tag.clone()));
        clauses.push(format!(
            "id IN (SELECT article_id FROM article_tags WHERE tag = {p})"
        ));
    }
    if let Some(author) = &filter.author {
        let p = params.push(Param::Text(author.clone()));
        clauses.push(format!(
            "id IN (SELECT article_id FROM article_authors WHERE author_slug = {p})"
        ));
    }
    match filter.status {
        Some(ArticleStatus::Published) => clauses.push(live_condition(&mut params, now)),
        Some(ArticleStatus::Scheduled) => {
            let at = params.push(Param::Int(millis(now)));
            clauses.push(format!("status = 'scheduled' AND published_at > {at}"));
        }
        Some(other) => clauses.push(format!(
            "status = {}",
            params.push(Param::Text(other.as_str().into()))
        )),
        None => {}
    }
    if filter.live_only {
        clauses.push(live_condition(&mut params, now));
    }
    let where_sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };

    let count_sql = format!("SELECT COUNT(*) FROM articles {where_sql}");
    let total: i64 = params
        .bind(sqlx::query(&count_sql))
        .fetch_one(pool)
        .await
        .map_err(internal)?
        .try_get(0)
        .map_err(internal)?;

    let limit = params.push(Param::Int(page.limit));
    let offset = params.push(Param::Int(page.offset));
    // Live stories always have a time, so their lists can be read in index order.
    let live = filter.live_only || filter.status == Some(ArticleStatus::Published);
    let newest_first = if live {
        "published_at DESC, id DESC"
    } else {
        "COALESCE(published_at, updated_at) DESC, id DESC"
    };
    let sql = format!(
        "SELECT {ARTICLE_COLUMNS} FROM articles {where_sql} \
         ORDER BY {newest_first} LIMIT {limit} OFFSET {offset}"
    );
    let rows = params
        .bind(sqlx::query(&sql))
        .fetch_all(pool)
        .await
        .map_err(internal)?;
    Ok(ArticleList {
        items: with_debate(pool, rows).await?,
        total,
    })
}

/// Ids go into queries in slices, under every backend's limit on bound parameters.
const ID_CHUNK: usize = 500;

pub async fn live_stamps(
    pool: &AnyPool,
    now: DateTime<Utc>,
) -> Result<Vec<(ArticleId, i64)>, StoreError> {
    let mut params = Params::default();
    let live = live_condition(&mut params, now);
    let rows = params
        .bind(sqlx::query(&format!(
            "SELECT id, revision FROM articles WHERE {live}"
        )))
        .fetch_all(pool)
        .await
        .map_err(internal)?;
    Ok(pairs::<i64, i64>(&rows)?
        .into_iter()
        .map(|(id, revision)| (ArticleId(id), revision))
        .collect())
}

pub async fn sitemap_entries(
    pool: &AnyPool,
    now: DateTime<Utc>,
    offset: i64,
    limit: i64,
) -> Result<Vec<(String, i64)>, StoreError> {
    let mut params = Params::default();
    let live = live_condition(&mut params, now);
    let limit = params.push(Param::Int(limit));
    let offset = params.push(Param::Int(offset));
    let rows = params
        .bind(sqlx::query(&format!(
            "SELECT slug, updated_at FROM articles WHERE {live} ORDER BY id LIMIT {limit} OFFSET {offset}"
        )))
        .fetch_all(pool)
        .await
        .map_err(internal)?;
    pairs(&rows)
}

/// Ids written into an `IN (…)` list: numbers only, so nothing a client sent reaches the SQL.
fn id_list(ids: &[ArticleId]) -> String {
    ids.iter()
        .map(|i| i.0.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn story_texts(
    pool: &AnyPool,
    ids: &[ArticleId],
) -> Result<Vec<newsdesk_core::story_text::StoryText>, StoreError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(ID_CHUNK) {
        let list = id_list(chunk);
        let rows = sqlx::query(&format!(
            "SELECT id, COALESCE(published_at, created_at), revision, headline, standfirst, body, tags, section, authors \
             FROM articles WHERE id IN ({list})"
        ))
        .fetch_all(pool)
        .await
        .map_err(internal)?;
        for r in &rows {
            let tags: String = r.try_get(6).map_err(internal)?;
            let authors: String = r.try_get(8).map_err(internal)?;
            out.push(newsdesk_core::story_text::StoryText {
                id: ArticleId(r.try_get(0).map_err(internal)?),
                published_ms: r.try_get(1).map_err(internal)?,
                stamp: r.try_get(2).map_err(internal)?,
                headline: r.try_get(3).map_err(internal)?,
                standfirst: r.try_get(4).map_err(internal)?,
                body: r.try_get(5).map_err(internal)?,
                tags: serde_json::from_str(&tags).unwrap_or_default(),
                section: r.try_get(7).map_err(internal)?,
                authors: serde_json::from_str(&authors).unwrap_or_default(),
            });
        }
    }
    Ok(out)
}

pub async fn by_ids(pool: &AnyPool, ids: &[ArticleId]) -> Result<Vec<Article>, StoreError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(ID_CHUNK) {
        let list = id_list(chunk);
        let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN ({list})");
        let rows = sqlx::query(&sql).fetch_all(pool).await.map_err(internal)?;
        out.extend(with_debate(pool, rows).await?);
    }
    Ok(out)
}

pub async fn all(pool: &AnyPool) -> Result<Vec<Article>, StoreError> {
    let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY id");
    let rows = sqlx::query(&sql).fetch_all(pool).await.map_err(internal)?;
    with_debate(pool, rows).await
}

pub async fn promo_targets(
    pool: &AnyPool,
    slugs: &[String],
    now: DateTime<Utc>,
) -> Result<Vec<PromoTarget>, StoreError> {
    if slugs.is_empty() {
        return Ok(Vec::new());
    }
    let mut params = Params::default();
    let list = params.list(slugs);
    // A promo written with a story's former slug still reaches the story.
    let sql = format!(
        "SELECT slug AS asked, slug, headline, section, status, published_at FROM articles WHERE slug IN ({list}) \
         UNION ALL \
         SELECT r.old_slug, a.slug, a.headline, a.section, a.status, a.published_at \
         FROM slug_redirects r JOIN articles a ON a.id = r.article_id WHERE r.old_slug IN ({list})"
    );
    let rows = params
        .bind(sqlx::query(&sql))
        .fetch_all(pool)
        .await
        .map_err(internal)?;
    rows.iter()
        .map(|row| {
            let status: String = row.try_get(4).map_err(internal)?;
            let published_at: Option<i64> = row.try_get(5).map_err(internal)?;
            let live = status == "published"
                || (status == "scheduled" && published_at.is_some_and(|t| time(t) <= now));
            Ok(PromoTarget {
                slug: row.try_get(0).map_err(internal)?,
                current_slug: row.try_get(1).map_err(internal)?,
                headline: row.try_get(2).map_err(internal)?,
                section: row.try_get(3).map_err(internal)?,
                live,
            })
        })
        .collect()
}

pub async fn sections(
    pool: &AnyPool,
    now: DateTime<Utc>,
) -> Result<Vec<(String, i64)>, StoreError> {
    let mut params = Params::default();
    let live = live_condition(&mut params, now);
    let sql = format!(
        "SELECT section, COUNT(*) AS n FROM articles WHERE {live} GROUP BY section ORDER BY n DESC, section"
    );
    let rows = params
        .bind(sqlx::query(&sql))
        .fetch_all(pool)
        .await
        .map_err(internal)?;
    pairs(&rows)
}

pub async fn publish_due(pool: &AnyPool, now: DateTime<Utc>) -> Result<u64, StoreError> {
    let mut tx = pool.begin().await.map_err(internal)?;
    let done = sqlx::query(
        "UPDATE articles SET status = 'published', revision = revision + 1 \
         WHERE status = 'scheduled' AND published_at <= $1",
    )
    .bind(millis(now))
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    if done.rows_affected() > 0 {
        bump_revision(&mut tx).await?;
    }
    tx.commit().await.map_err(internal)?;
    Ok(done.rows_affected())
}

/// Moves the site's revision on, inside the write's own transaction.
async fn bump_revision(tx: &mut Transaction<'static, Any>) -> Result<(), StoreError> {
    sqlx::query("UPDATE site_state SET revision = revision + 1 WHERE id = 1")
        .execute(&mut **tx)
        .await
        .map_err(internal)?;
    Ok(())
}

pub async fn site_revision(pool: &AnyPool) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT revision FROM site_state WHERE id = 1")
        .fetch_one(pool)
        .await
        .map_err(internal)?;
    row.try_get(0).map_err(internal)
}

pub async fn insert(
    pool: &AnyPool,
    fields: &ArticleFields,
    owner: &str,
    now: DateTime<Utc>,
) -> Result<ArticleId, StoreError> {
    let mut tx = pool.begin().await.map_err(internal)?;
    let id = insert_in(&mut tx, fields, owner, now).await?;
    bump_revision(&mut tx).await?;
    tx.commit().await.map_err(internal)?;
    Ok(id)
}

async fn slug_is_free(
    tx: &mut Transaction<'static, Any>,
    slug: &str,
    except: Option<ArticleId>,
) -> Result<bool, StoreError> {
    // A slug is taken by another story's current slug or by one of its old, redirecting slugs.
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM articles WHERE slug = $1 AND id <> $2) \
              + (SELECT COUNT(*) FROM slug_redirects WHERE old_slug = $1 AND article_id <> $2)",
    )
    .bind(slug)
    .bind(except.map_or(-1, |id| id.0))
    .fetch_one(&mut **tx)
    .await
    .map_err(internal)?;
    let taken: i64 = row.try_get(0).map_err(internal)?;
    Ok(taken == 0)
}

async fn insert_in(
    tx: &mut Transaction<'static, Any>,
    f: &ArticleFields,
    owner: &str,
    now: DateTime<Utc>,
) -> Result<ArticleId, StoreError> {
    if !slug_is_free(tx, &f.slug, None).await? {
        return Err(StoreError::Conflict(f.slug.clone()));
    }
    let row = sqlx::query(
        "INSERT INTO articles (slug, headline, standfirst, body, section, tags, authors, status, published_at, \
         created_at, updated_at, hero, claims, corrections, owner, revision) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1) RETURNING id",
    )
    .bind(&f.slug)
    .bind(&f.headline)
    .bind(&f.standfirst)
    .bind(&f.body)
    .bind(&f.section)
    .bind(to_json(&f.tags))
    .bind(to_json(&f.authors))
    .bind(f.status.as_str())
    .bind(f.published_at.map(millis))
    .bind(millis(f.created_at.unwrap_or(now)))
    .bind(millis(f.updated_at.unwrap_or(now)))
    .bind(f.hero.as_ref().map(to_json))
    .bind(to_json(&f.claims))
    .bind(to_json(&f.corrections))
    .bind(owner)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| match internal(e) {
        StoreError::Conflict(_) => StoreError::Conflict(f.slug.clone()),
        other => other,
    })?;
    let id = ArticleId(row.try_get(0).map_err(internal)?);
    write_children(tx, id, f).await?;
    Ok(id)
}

/// Rewrites tags and authors, and reconciles debate questions so unchanged ones keep their ids.
async fn write_children(
    tx: &mut Transaction<'static, Any>,
    id: ArticleId,
    f: &ArticleFields,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM article_tags WHERE article_id = $1")
        .bind(id.0)
        .execute(&mut **tx)
        .await
        .map_err(internal)?;
    for tag in &f.tags {
        sqlx::query("INSERT INTO article_tags (article_id, tag) VALUES ($1, $2)")
            .bind(id.0)
            .bind(tag)
            .execute(&mut **tx)
            .await
            .map_err(internal)?;
    }
    sqlx::query("DELETE FROM article_authors WHERE article_id = $1")
        .bind(id.0)
        .execute(&mut **tx)
        .await
        .map_err(internal)?;
    for (position, name) in f.authors.iter().enumerate() {
        sqlx::query("INSERT INTO article_authors (article_id, position, name, author_slug) VALUES ($1, $2, $3, $4)")
            .bind(id.0)
            .bind(position as i64)
            .bind(name)
            .bind(author_slug(name))
            .execute(&mut **tx)
            .await
            .map_err(internal)?;
    }
    let existing = sqlx::query("SELECT id, text FROM debate_questions WHERE article_id = $1")
        .bind(id.0)
        .fetch_all(&mut **tx)
        .await
        .map_err(internal)?;
    let mut existing: Vec<(i64, String)> = pairs(&existing)?;
    for (position, text) in f.debate.iter().enumerate() {
        if let Some(i) = existing.iter().position(|(_, t)| t == text) {
            let (qid, _) = existing.remove(i);
            sqlx::query("UPDATE debate_questions SET position = $1 WHERE id = $2")
                .bind(position as i64)
                .bind(qid)
                .execute(&mut **tx)
                .await
                .map_err(internal)?;
        } else {
            sqlx::query(
                "INSERT INTO debate_questions (article_id, position, text) VALUES ($1, $2, $3)",
            )
            .bind(id.0)
            .bind(position as i64)
            .bind(text)
            .execute(&mut **tx)
            .await
            .map_err(internal)?;
        }
    }
    for (qid, _) in existing {
        sqlx::query("DELETE FROM debate_questions WHERE id = $1")
            .bind(qid)
            .execute(&mut **tx)
            .await
            .map_err(internal)?;
    }
    Ok(())
}

pub async fn update(
    pool: &AnyPool,
    id: ArticleId,
    revision: Option<i64>,
    f: &ArticleFields,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut tx = pool.begin().await.map_err(internal)?;
    update_in(&mut tx, id, revision, f, now).await?;
    bump_revision(&mut tx).await?;
    tx.commit().await.map_err(internal)?;
    Ok(())
}

async fn update_in(
    tx: &mut Transaction<'static, Any>,
    id: ArticleId,
    revision: Option<i64>,
    f: &ArticleFields,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let old = sqlx::query("SELECT slug, revision FROM articles WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await
        .map_err(internal)?
        .ok_or(StoreError::NotFound)?;
    let old_slug: String = old.try_get(0).map_err(internal)?;
    let current: i64 = old.try_get(1).map_err(internal)?;
    if revision.is_some_and(|r| r != current) {
        return Err(StoreError::Stale);
    }
    if old_slug != f.slug {
        if !slug_is_free(tx, &f.slug, Some(id)).await? {
            return Err(StoreError::Conflict(f.slug.clone()));
        }
        sqlx::query("DELETE FROM slug_redirects WHERE old_slug = $1")
            .bind(&f.slug)
            .execute(&mut **tx)
            .await
            .map_err(internal)?;
        sqlx::query("INSERT INTO slug_redirects (old_slug, article_id) VALUES ($1, $2)")
            .bind(&old_slug)
            .bind(id.0)
            .execute(&mut **tx)
            .await
            .map_err(internal)?;
    }
    let mut q = sqlx::query(
        "UPDATE articles SET slug = $1, headline = $2, standfirst = $3, body = $4, section = $5, tags = $6, \
         authors = $7, status = $8, published_at = $9, updated_at = $10, hero = $11, claims = $12, \
         corrections = $13, revision = revision + 1, created_at = COALESCE($14, created_at) WHERE id = $15",
    )
    .bind(&f.slug)
    .bind(&f.headline)
    .bind(&f.standfirst)
    .bind(&f.body)
    .bind(&f.section)
    .bind(to_json(&f.tags))
    .bind(to_json(&f.authors))
    .bind(f.status.as_str())
    .bind(f.published_at.map(millis))
    .bind(millis(f.updated_at.unwrap_or(now)))
    .bind(f.hero.as_ref().map(to_json))
    .bind(to_json(&f.claims))
    .bind(to_json(&f.corrections));
    q = q.bind(f.created_at.map(millis)).bind(id.0);
    q.execute(&mut **tx).await.map_err(internal)?;
    write_children(tx, id, f).await
}

pub async fn delete(pool: &AnyPool, id: ArticleId) -> Result<(), StoreError> {
    let mut tx = pool.begin().await.map_err(internal)?;
    let done = sqlx::query("DELETE FROM articles WHERE id = $1")
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    bump_revision(&mut tx).await?;
    tx.commit().await.map_err(internal)?;
    Ok(())
}

pub async fn import(
    pool: &AnyPool,
    items: &[ImportItem],
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let mut tx = pool.begin().await.map_err(internal)?;
    for item in items {
        let existing = sqlx::query("SELECT id FROM articles WHERE slug = $1")
            .bind(&item.fields.slug)
            .fetch_optional(&mut *tx)
            .await
            .map_err(internal)?;
        match existing {
            Some(row) => {
                let id = ArticleId(row.try_get(0).map_err(internal)?);
                update_in(&mut tx, id, None, &item.fields, now).await?;
            }
            None => {
                insert_in(&mut tx, &item.fields, &item.owner, now).await?;
            }
        }
    }
    bump_revision(&mut tx).await?;
    tx.commit().await.map_err(internal)?;
    Ok(items.len())
}
