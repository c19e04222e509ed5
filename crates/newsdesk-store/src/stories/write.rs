//! Writing a story inside a transaction: its row, its slug's history, and its tags,
//! authors and debate questions.

use crate::rows::{pairs, to_json};
use crate::{conflict_as, internal, millis};
use chrono::{DateTime, Utc};
use newsdesk_core::newsroom::author_slug;
use newsdesk_core::{ArticleFields, ArticleId, Conflict, StoreError};
use sqlx::{Any, Row, Transaction};

pub(crate) async fn slug_is_free(
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

pub(crate) async fn insert_in(
    tx: &mut Transaction<'static, Any>,
    f: &ArticleFields,
    owner: &str,
    now: DateTime<Utc>,
) -> Result<ArticleId, StoreError> {
    if !slug_is_free(tx, &f.slug, None).await? {
        return Err(StoreError::Conflict(Conflict::Slug(f.slug.clone())));
    }
    let row = sqlx::query(
        "INSERT INTO articles (slug, headline, standfirst, body, section, tags, authors, status, published_at, \
         created_at, updated_at, hero, claims, corrections, owner, open_claims, updated_by, revision) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $15, 1) RETURNING id",
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
    .bind(open_claims(f))
    .fetch_one(&mut **tx)
    .await
    // Another writer may take the slug between the check and the insert.
    .map_err(conflict_as(Conflict::Slug(f.slug.clone())))?;
    let id = ArticleId(row.try_get(0).map_err(internal)?);
    write_children(tx, id, f).await?;
    keep_revision(tx, id, 1, f, owner, f.updated_at.unwrap_or(now)).await?;
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
        // A question named by its id keeps it (and its poll's votes) whatever its words now;
        // one sent without an id is matched by its words.
        let named = f
            .debate_ids
            .get(position)
            .copied()
            .flatten()
            .and_then(|qid| existing.iter().position(|(id, _)| *id == qid));
        let found = named.or_else(|| existing.iter().position(|(_, t)| t == text));
        if let Some(i) = found {
            let (qid, _) = existing.remove(i);
            sqlx::query("UPDATE debate_questions SET position = $1, text = $2 WHERE id = $3")
                .bind(position as i64)
                .bind(text)
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

pub(crate) async fn update_in(
    tx: &mut Transaction<'static, Any>,
    id: ArticleId,
    revision: Option<i64>,
    f: &ArticleFields,
    by: &str,
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
            return Err(StoreError::Conflict(Conflict::Slug(f.slug.clone())));
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
    // The revision read above is checked again by the update itself: on PostgreSQL a writer
    // that read the same revision waits for the row and then finds it moved on, instead of
    // overwriting it (a lost update under READ COMMITTED).
    let sql = format!(
        "UPDATE articles SET slug = $1, headline = $2, standfirst = $3, body = $4, section = $5, tags = $6, \
         authors = $7, status = $8, published_at = $9, updated_at = $10, hero = $11, claims = $12, \
         corrections = $13, revision = revision + 1, created_at = COALESCE($14, created_at), \
         open_claims = $16, updated_by = $17 WHERE id = $15 AND revision = {current}"
    );
    let mut q = sqlx::query(&sql)
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
    q = q
        .bind(f.created_at.map(millis))
        .bind(id.0)
        .bind(open_claims(f))
        .bind(by);
    // Another writer may take the slug between the check and the update.
    let done = q
        .execute(&mut **tx)
        .await
        .map_err(conflict_as(Conflict::Slug(f.slug.clone())))?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Stale);
    }
    keep_revision(tx, id, current + 1, f, by, f.updated_at.unwrap_or(now)).await?;
    write_children(tx, id, f).await
}

/// How many of a story's claims are still to check, kept beside them so the newsroom finds
/// such stories through an index.
fn open_claims(f: &ArticleFields) -> i64 {
    f.claims.iter().filter(|c| c.status.is_open()).count() as i64
}

/// Keeps the story as saved, in the same transaction as the save.
async fn keep_revision(
    tx: &mut Transaction<'static, Any>,
    id: ArticleId,
    revision: i64,
    f: &ArticleFields,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO article_revisions (article_id, revision, saved_at, saved_by, snapshot) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id.0)
    .bind(revision)
    .bind(millis(at))
    .bind(by)
    .bind(to_json(&newsdesk_core::revision::Snapshot::of(f)))
    .execute(&mut **tx)
    .await
    .map_err(internal)?;
    let live = newsdesk_core::revision::live_claims(f, at).unwrap_or_default();
    for (position, (quote, status)) in live.iter().enumerate() {
        sqlx::query(
            "INSERT INTO live_claim_states (article_id, revision, position, quote, status) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.0)
        .bind(revision)
        .bind(position as i64)
        .bind(quote)
        .bind(status.as_str())
        .execute(&mut **tx)
        .await
        .map_err(internal)?;
    }
    Ok(())
}
