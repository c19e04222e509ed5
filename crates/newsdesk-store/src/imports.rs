//! Imports applied whole: stories, pages and comments keyed by their source's ids (so a repeat
//! adds nothing and a newer export updates what changed), and the old addresses they answer.

use crate::debate::recount;
use crate::pages::{insert_page_in, update_page_in};
use crate::site::bump_revision;
use crate::stories::write::{insert_in, slug_is_free, update_in};
use crate::{has_nul, internal, millis, SqlStore};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use newsdesk_core::import::{
    AddressTarget, CommentHome, ImportOutcome, ImportPlan, ImportedComment, OldTarget,
};
use newsdesk_core::store::ImportStore;
use newsdesk_core::{ArticleFields, ArticleId, PageId, StoreError};
use sqlx::{Any, Row, Transaction};
use std::collections::{HashMap, HashSet};

type Tx = Transaction<'static, Any>;

/// What earlier imports of one source brought: (kind, id there) → (local id, digest).
type Seen = HashMap<(String, String), (i64, String)>;

async fn seen_of(tx: &mut Tx, source: &str) -> Result<Seen, StoreError> {
    let rows = sqlx::query(
        "SELECT kind, external_id, local_id, digest FROM imported_items WHERE source = $1",
    )
    .bind(source)
    .fetch_all(&mut **tx)
    .await
    .map_err(internal)?;
    let mut seen = Seen::with_capacity(rows.len());
    for r in &rows {
        seen.insert(
            (
                r.try_get(0).map_err(internal)?,
                r.try_get(1).map_err(internal)?,
            ),
            (
                r.try_get(2).map_err(internal)?,
                r.try_get(3).map_err(internal)?,
            ),
        );
    }
    Ok(seen)
}

async fn remember(
    tx: &mut Tx,
    source: &str,
    kind: &str,
    external_id: &str,
    local_id: i64,
    digest: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO imported_items (source, kind, external_id, local_id, digest) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (source, kind, external_id) DO UPDATE SET local_id = excluded.local_id, digest = excluded.digest",
    )
    .bind(source)
    .bind(kind)
    .bind(external_id)
    .bind(local_id)
    .bind(digest)
    .execute(&mut **tx)
    .await
    .map_err(internal)?;
    Ok(())
}

async fn exists(tx: &mut Tx, table: &str, id: i64) -> Result<bool, StoreError> {
    let row = sqlx::query(&format!("SELECT COUNT(*) FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_one(&mut **tx)
        .await
        .map_err(internal)?;
    Ok(row.try_get::<i64, _>(0).map_err(internal)? > 0)
}

async fn current_slug(tx: &mut Tx, id: ArticleId) -> Result<String, StoreError> {
    sqlx::query("SELECT slug FROM articles WHERE id = $1")
        .bind(id.0)
        .fetch_one(&mut **tx)
        .await
        .map_err(internal)?
        .try_get(0)
        .map_err(internal)
}

/// A slug of its own for an imported story whose slug the site already uses.
fn slug_beside(slug: &str, external_id: &str) -> String {
    let id: String = external_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase();
    format!("{slug}-{id}")
}

#[async_trait]
impl ImportStore for SqlStore {
    async fn apply_import(
        &self,
        plan: &ImportPlan,
        now: DateTime<Utc>,
    ) -> Result<ImportOutcome, StoreError> {
        let mut tx = self.write.begin().await.map_err(internal)?;
        let seen = seen_of(&mut tx, &plan.source).await?;
        let mut out = ImportOutcome::default();
        let mut stories: HashMap<&str, ArticleId> = HashMap::new();
        for s in &plan.stories {
            let key = ("story".to_string(), s.external_id.clone());
            let known = match seen.get(&key) {
                Some((id, digest)) if exists(&mut tx, "articles", *id).await? => {
                    Some((ArticleId(*id), digest))
                }
                _ => None,
            };
            let id = match known {
                Some((id, digest)) if *digest == s.digest => {
                    out.stories.unchanged += 1;
                    stories.insert(&s.external_id, id);
                    continue;
                }
                Some((id, _)) => {
                    let mut fields: ArticleFields = s.fields.clone();
                    if !slug_is_free(&mut tx, &fields.slug, Some(id)).await? {
                        fields.slug = current_slug(&mut tx, id).await?;
                    }
                    update_in(&mut tx, id, None, &fields, &plan.owner, now).await?;
                    out.stories.updated += 1;
                    id
                }
                None => {
                    let mut fields = s.fields.clone();
                    if !slug_is_free(&mut tx, &fields.slug, None).await? {
                        let other = slug_beside(&fields.slug, &s.external_id);
                        out.renamed.push((fields.slug.clone(), other.clone()));
                        fields.slug = other;
                    }
                    let id = insert_in(&mut tx, &fields, &plan.owner, now).await?;
                    out.stories.added += 1;
                    id
                }
            };
            remember(
                &mut tx,
                &plan.source,
                "story",
                &s.external_id,
                id.0,
                &s.digest,
            )
            .await?;
            stories.insert(&s.external_id, id);
        }
        let mut pages: HashMap<&str, PageId> = HashMap::new();
        for p in &plan.pages {
            let key = ("page".to_string(), p.external_id.clone());
            let known = match seen.get(&key) {
                Some((id, digest)) if exists(&mut tx, "site_pages", *id).await? => {
                    Some((PageId(*id), digest))
                }
                _ => None,
            };
            let id = match known {
                Some((id, digest)) if *digest == p.digest => {
                    out.pages.unchanged += 1;
                    pages.insert(&p.external_id, id);
                    continue;
                }
                Some((id, _)) => {
                    update_page_in(&mut tx, id, &p.fields, &plan.owner, now).await?;
                    out.pages.updated += 1;
                    id
                }
                None => {
                    let id = insert_page_in(&mut tx, &p.fields, &plan.owner, now).await?;
                    out.pages.added += 1;
                    id
                }
            };
            remember(
                &mut tx,
                &plan.source,
                "page",
                &p.external_id,
                id.0,
                &p.digest,
            )
            .await?;
            pages.insert(&p.external_id, id);
        }
        let touched = write_comments(&mut tx, plan, &seen, &stories, &mut out).await?;
        for article in touched {
            recount(&mut tx, article, now).await?;
        }
        for a in &plan.addresses {
            let (kind, target_id, target_path) = match &a.target {
                AddressTarget::Story(ext) => {
                    ("story", stories.get(ext.as_str()).map(|i| i.0), None)
                }
                AddressTarget::StoryComments(ext) => (
                    "story_comments",
                    stories.get(ext.as_str()).map(|i| i.0),
                    None,
                ),
                AddressTarget::Page(ext) => ("page", pages.get(ext.as_str()).map(|i| i.0), None),
                AddressTarget::Path(p) => ("path", None, Some(p.as_str())),
            };
            if kind != "path" && target_id.is_none() {
                return Err(StoreError::Internal(format!(
                    "the old address {} names an item this import does not hold",
                    a.key
                )));
            }
            sqlx::query(
                "INSERT INTO old_addresses (path, kind, target_id, target_path) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (path) DO UPDATE SET kind = excluded.kind, target_id = excluded.target_id, \
                 target_path = excluded.target_path",
            )
            .bind(&a.key)
            .bind(kind)
            .bind(target_id)
            .bind(target_path)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
            out.addresses += 1;
        }
        bump_revision(&mut tx).await?;
        tx.commit().await.map_err(internal)?;
        Ok(out)
    }

    async fn imported_id(
        &self,
        source: &str,
        kind: &str,
        external_id: &str,
    ) -> Result<Option<i64>, StoreError> {
        if has_nul(source) || has_nul(external_id) {
            return Ok(None);
        }
        let row = sqlx::query(
            "SELECT local_id FROM imported_items WHERE source = $1 AND kind = $2 AND external_id = $3",
        )
        .bind(source)
        .bind(kind)
        .bind(external_id)
        .fetch_optional(&self.read)
        .await
        .map_err(internal)?;
        row.map(|r| r.try_get(0).map_err(internal)).transpose()
    }

    async fn archived_comment(
        &self,
        article: ArticleId,
        archive_id: &str,
    ) -> Result<Option<newsdesk_core::CommentId>, StoreError> {
        if has_nul(archive_id) {
            return Ok(None);
        }
        let row = sqlx::query("SELECT id FROM comments WHERE article_id = $1 AND archive_id = $2")
            .bind(article.0)
            .bind(archive_id)
            .fetch_optional(&self.read)
            .await
            .map_err(internal)?;
        row.map(|r| r.try_get(0).map(newsdesk_core::CommentId).map_err(internal))
            .transpose()
    }

    async fn comments_for_export(
        &self,
        after: newsdesk_core::CommentId,
        limit: i64,
    ) -> Result<Vec<newsdesk_core::comment::Comment>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {} FROM comments WHERE id > $1 ORDER BY id LIMIT $2",
            crate::rows::COMMENT_COLUMNS
        ))
        .bind(after.0)
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(internal)?;
        rows.iter().map(crate::rows::comment_from_row).collect()
    }

    async fn old_address(&self, key: &str) -> Result<Option<OldTarget>, StoreError> {
        if has_nul(key) {
            return Ok(None);
        }
        let row =
            sqlx::query("SELECT kind, target_id, target_path FROM old_addresses WHERE path = $1")
                .bind(key)
                .fetch_optional(&self.read)
                .await
                .map_err(internal)?;
        let Some(r) = row else { return Ok(None) };
        let kind: String = r.try_get(0).map_err(internal)?;
        let id: Option<i64> = r.try_get(1).map_err(internal)?;
        let path: Option<String> = r.try_get(2).map_err(internal)?;
        Ok(match (kind.as_str(), id, path) {
            ("story", Some(id), _) => Some(OldTarget::Story(ArticleId(id))),
            ("story_comments", Some(id), _) => Some(OldTarget::StoryComments(ArticleId(id))),
            ("page", Some(id), _) => Some(OldTarget::Page(PageId(id))),
            ("path", _, Some(p)) => Some(OldTarget::Path(p)),
            _ => None,
        })
    }
}

/// A comment's place: its id, its thread's top comment (its own id at the top) and depth.
#[derive(Clone, Copy)]
struct Place {
    id: i64,
    root: i64,
    depth: i64,
}

async fn place_of(tx: &mut Tx, id: i64) -> Result<Option<Place>, StoreError> {
    let row = sqlx::query("SELECT root_id, depth FROM comments WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(internal)?;
    let Some(r) = row else { return Ok(None) };
    let root: i64 = r.try_get(0).map_err(internal)?;
    Ok(Some(Place {
        id,
        root: if root == 0 { id } else { root },
        depth: r.try_get(1).map_err(internal)?,
    }))
}

/// Writes the plan's comments, parents first; answers the stories whose threads changed.
async fn write_comments(
    tx: &mut Tx,
    plan: &ImportPlan,
    seen: &Seen,
    stories: &HashMap<&str, ArticleId>,
    out: &mut ImportOutcome,
) -> Result<HashSet<ArticleId>, StoreError> {
    let mut places: HashMap<&str, Place> = HashMap::new();
    let mut by_slug: HashMap<&str, ArticleId> = HashMap::new();
    let mut touched = HashSet::new();
    let reader = format!("import:{}", plan.source);
    for c in &plan.comments {
        let article = match &c.home {
            CommentHome::Imported(ext) => stories.get(ext.as_str()).copied(),
            CommentHome::Slug(slug) => match by_slug.get(slug.as_str()) {
                Some(id) => Some(*id),
                None => {
                    let row = sqlx::query("SELECT id FROM articles WHERE slug = $1")
                        .bind(slug)
                        .fetch_optional(&mut **tx)
                        .await
                        .map_err(internal)?;
                    let id = row
                        .map(|r| r.try_get(0).map(ArticleId))
                        .transpose()
                        .map_err(internal)?;
                    if let Some(id) = id {
                        by_slug.insert(slug, id);
                    }
                    id
                }
            },
        };
        let article = article.ok_or_else(|| {
            StoreError::Internal(format!(
                "comment {}: its story is not on the site",
                c.external_id
            ))
        })?;
        let key = ("comment".to_string(), c.external_id.clone());
        let known = match seen.get(&key) {
            Some((id, digest)) => place_of(tx, *id).await?.map(|p| (p, digest)),
            None => None,
        };
        let place = match known {
            Some((place, digest)) if *digest == c.digest => {
                out.comments.unchanged += 1;
                places.insert(&c.external_id, place);
                continue;
            }
            Some((place, _)) => {
                sqlx::query(
                    "UPDATE comments SET name = $1, body = $2, email = $3, url = $4, status = $5 WHERE id = $6",
                )
                .bind(&c.name)
                .bind(&c.body)
                .bind(c.email.as_deref())
                .bind(c.url.as_deref())
                .bind(c.status.as_str())
                .bind(place.id)
                .execute(&mut **tx)
                .await
                .map_err(internal)?;
                out.comments.updated += 1;
                touched.insert(article);
                place
            }
            None => {
                let parent = match &c.parent {
                    Some(p) => match places.get(p.as_str()) {
                        Some(place) => Some(*place),
                        None => match seen.get(&("comment".to_string(), p.clone())) {
                            Some((id, _)) => place_of(tx, *id).await?,
                            None => None,
                        },
                    },
                    None => None,
                };
                let id = insert_comment(tx, c, article, parent, &reader).await?;
                out.comments.added += 1;
                touched.insert(article);
                match parent {
                    Some(p) => Place {
                        id,
                        root: p.root,
                        depth: p.depth + 1,
                    },
                    None => Place {
                        id,
                        root: id,
                        depth: 0,
                    },
                }
            }
        };
        remember(
            tx,
            &plan.source,
            "comment",
            &c.external_id,
            place.id,
            &c.digest,
        )
        .await?;
        places.insert(&c.external_id, place);
    }
    // New top-level comments were written with no root yet: each is its own.
    sqlx::query("UPDATE comments SET root_id = id WHERE root_id = 0")
        .execute(&mut **tx)
        .await
        .map_err(internal)?;
    Ok(touched)
}

async fn insert_comment(
    tx: &mut Tx,
    c: &ImportedComment,
    article: ArticleId,
    parent: Option<Place>,
    reader: &str,
) -> Result<i64, StoreError> {
    let reason = match c.status {
        newsdesk_core::comment::CommentStatus::Rejected => "Removed on the site it came from.",
        newsdesk_core::comment::CommentStatus::Held => {
            "Waiting for a moderator on the site it came from."
        }
        _ => "",
    };
    let row = sqlx::query(
        "INSERT INTO comments (article_id, parent_id, root_id, depth, name, body, email, notify_replies, \
         reader_id, ip, status, reason, created_at, url, archive_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, '', $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(article.0)
    .bind(parent.map(|p| p.id))
    .bind(parent.map_or(0, |p| p.root))
    .bind(parent.map_or(0, |p| p.depth + 1))
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
