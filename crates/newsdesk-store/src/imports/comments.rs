//! An import's comments, parents first: added with their thread's place, updated when they
//! changed at the source and were not moderated here since, left alone otherwise.

use super::items::Written;
use super::seen::{key, Memo, Seen};
use super::Tx;
use crate::{internal, millis};
use newsdesk_core::comment::CommentStatus;
use newsdesk_core::import::{CommentHome, ImportOutcome, ImportPlan, ImportedComment};
use newsdesk_core::{ArticleId, StoreError};
use sqlx::Row;
use std::collections::{HashMap, HashSet};

/// A comment's place: its id, its thread's top comment (its own id at the top), its depth and
/// its story.
#[derive(Clone, Copy)]
struct Place {
    id: i64,
    root: i64,
    depth: i64,
    article: ArticleId,
}

/// A comment's place and state, if it is still here.
async fn place_of(tx: &mut Tx, id: i64) -> Result<Option<(Place, String)>, StoreError> {
    let row = sqlx::query("SELECT root_id, depth, article_id, status FROM comments WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(internal)?;
    let Some(r) = row else { return Ok(None) };
    let root: i64 = r.try_get(0).map_err(internal)?;
    let place = Place {
        id,
        root: if root == 0 { id } else { root },
        depth: r.try_get(1).map_err(internal)?,
        article: ArticleId(r.try_get(2).map_err(internal)?),
    };
    Ok(Some((place, r.try_get(3).map_err(internal)?)))
}

async fn by_slug(tx: &mut Tx, slug: &str) -> Result<Option<ArticleId>, StoreError> {
    let row = sqlx::query("SELECT id FROM articles WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&mut **tx)
        .await
        .map_err(internal)?;
    row.map(|r| r.try_get(0).map(ArticleId))
        .transpose()
        .map_err(internal)
}

/// Writes the plan's comments; answers the stories whose threads changed.
pub(super) async fn write_comments(
    tx: &mut Tx,
    plan: &ImportPlan,
    seen: &Seen,
    written: &Written<'_>,
    out: &mut ImportOutcome,
    memo: &mut Memo,
) -> Result<HashSet<ArticleId>, StoreError> {
    let mut places: HashMap<&str, Place> = HashMap::new();
    let mut slugs: HashMap<&str, ArticleId> = HashMap::new();
    let mut touched = HashSet::new();
    let mut orphans = 0;
    let reader = format!("import:{}", plan.source);
    for c in &plan.comments {
        let article = match &c.home {
            CommentHome::Imported(ext) => match written.stories.get(ext.as_str()) {
                Some(id) => *id,
                None if written.gone.contains(&("story", ext.as_str())) => {
                    orphans += 1;
                    continue;
                }
                None => {
                    return Err(StoreError::Internal(format!(
                        "comment {}: its story {ext} is not in the import",
                        c.external_id
                    )))
                }
            },
            CommentHome::Slug(slug) => match slugs.get(slug.as_str()) {
                Some(id) => *id,
                None => {
                    let id = by_slug(tx, slug).await?.ok_or_else(|| {
                        StoreError::Internal(format!(
                            "comment {}: the story {slug} is not on the site",
                            c.external_id
                        ))
                    })?;
                    slugs.insert(slug, id);
                    id
                }
            },
        };
        let place = match seen.get(&key("comment", &c.external_id)) {
            Some(known) => {
                let Some((place, status)) = place_of(tx, known.id).await? else {
                    orphans += 1;
                    continue;
                };
                places.insert(&c.external_id, place);
                if known.digest == c.digest {
                    out.comments.unchanged += 1;
                    continue;
                }
                if !known.stamp.is_empty() && known.stamp != status {
                    out.kept.push(format!(
                        "comment {}: moderated here since it was imported; kept as it is here",
                        c.external_id
                    ));
                    continue;
                }
                update_comment(tx, c, place.id).await?;
                out.comments.updated += 1;
                touched.insert(article);
                place
            }
            None => {
                let parent = match &c.parent {
                    Some(p) => match places.get(p.as_str()) {
                        Some(place) => Some(*place),
                        None => match seen.get(&key("comment", p)) {
                            Some(known) => place_of(tx, known.id).await?.map(|(place, _)| place),
                            None => None,
                        },
                    },
                    None => None,
                };
                // A reply stays on its own story: a parent elsewhere makes it a top comment.
                let parent = parent.filter(|p| p.article == article);
                let id = insert_comment(
                    tx,
                    c,
                    article,
                    parent.map(|p| (p.id, p.root, p.depth)),
                    &reader,
                )
                .await?;
                out.comments.added += 1;
                touched.insert(article);
                let place = match parent {
                    Some(p) => Place {
                        id,
                        root: p.root,
                        depth: p.depth + 1,
                        article,
                    },
                    None => Place {
                        id,
                        root: id,
                        depth: 0,
                        article,
                    },
                };
                places.insert(&c.external_id, place);
                place
            }
        };
        memo.keep(
            "comment",
            &c.external_id,
            place.id,
            &c.digest,
            c.status.as_str(),
        );
    }
    if orphans > 0 {
        out.kept.push(format!(
            "{orphans} comment(s) deleted here, or on stories deleted here, since they were imported: not brought back"
        ));
    }
    // New top-level comments were written with no root yet: each is its own.
    sqlx::query("UPDATE comments SET root_id = id WHERE root_id = 0")
        .execute(&mut **tx)
        .await
        .map_err(internal)?;
    Ok(touched)
}

async fn update_comment(tx: &mut Tx, c: &ImportedComment, id: i64) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE comments SET name = $1, body = $2, email = $3, url = $4, status = $5 WHERE id = $6",
    )
    .bind(&c.name)
    .bind(&c.body)
    .bind(c.email.as_deref())
    .bind(c.url.as_deref())
    .bind(c.status.as_str())
    .bind(id)
    .execute(&mut **tx)
    .await
    .map_err(internal)?;
    Ok(())
}

/// Adds a comment under `parent` (its id, root and depth), or at the top of the thread.
async fn insert_comment(
    tx: &mut Tx,
    c: &ImportedComment,
    article: ArticleId,
    parent: Option<(i64, i64, i64)>,
    reader: &str,
) -> Result<i64, StoreError> {
    let reason = match c.status {
        CommentStatus::Rejected => "Removed on the site it came from.",
        CommentStatus::Held => "Waiting for a moderator on the site it came from.",
        _ => "",
    };
    let row = sqlx::query(
        "INSERT INTO comments (article_id, parent_id, root_id, depth, name, body, email, notify_replies, \
         reader_id, ip, status, reason, created_at, url, archive_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, '', $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(article.0)
    .bind(parent.map(|p| p.0))
    .bind(parent.map_or(0, |p| p.1))
    .bind(parent.map_or(0, |p| p.2 + 1))
    .bind(&c.name)
    .bind(&c.body)
    .bind(c.email.as_deref())
    .bind(reader)
    .bind(c.status.as_str())
    .bind(reason)
    .bind(millis(c.created_at))
    .bind(c.url.as_deref())
    .bind(c.archive_id.as_deref())
    .fetch_one(&mut **tx)
    .await
    .map_err(internal)?;
    row.try_get(0).map_err(internal)
}
