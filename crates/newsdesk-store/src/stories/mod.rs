//! Stories: writing them (with their slug history, tags, authors and debate questions),
//! reading them by slug or id, and every list of them.

mod history;
mod query;
pub(crate) mod write;

use crate::rows::{pairs, time, Param, Params, ARTICLE_COLUMNS};
use crate::site::bump_revision;
use crate::{has_nul, internal, millis, SqlStore};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use newsdesk_core::revision::{RevisionInfo, Snapshot};
use newsdesk_core::store::{
    ArticleFilter, ArticleList, ImportItem, PageRequest, PromoTarget, StoryStore,
};
use newsdesk_core::story_text::StoryText;
use newsdesk_core::ClaimStatus;
use newsdesk_core::{Article, ArticleFields, ArticleId, ArticleStatus, StoreError};
use query::{find_by_id, id_list, live_condition, with_debate, ID_CHUNK};
use sqlx::Row;
use write::{insert_in, update_in};

#[async_trait]
impl StoryStore for SqlStore {
    async fn insert_article(
        &self,
        fields: &ArticleFields,
        owner: &str,
        now: DateTime<Utc>,
    ) -> Result<Article, StoreError> {
        let mut tx = self.write.begin().await.map_err(internal)?;
        let id = insert_in(&mut tx, fields, owner, now).await?;
        bump_revision(&mut tx).await?;
        tx.commit().await.map_err(internal)?;
        self.load_written(id).await
    }

    async fn update_article(
        &self,
        id: ArticleId,
        revision: i64,
        fields: &ArticleFields,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Article, StoreError> {
        let mut tx = self.write.begin().await.map_err(internal)?;
        update_in(&mut tx, id, Some(revision), fields, by, now).await?;
        bump_revision(&mut tx).await?;
        tx.commit().await.map_err(internal)?;
        self.load_written(id).await
    }

    async fn delete_article(&self, id: ArticleId) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await.map_err(internal)?;
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

    async fn revisions(&self, id: ArticleId) -> Result<Vec<RevisionInfo>, StoreError> {
        history::revisions(&self.read, id).await
    }

    async fn note_editing(
        &self,
        id: ArticleId,
        who: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        history::note_editing(&self.write, id, who, now).await
    }

    async fn editing(
        &self,
        id: ArticleId,
        now: DateTime<Utc>,
    ) -> Result<Vec<(String, DateTime<Utc>)>, StoreError> {
        history::editing(&self.read, id, now).await
    }

    async fn live_claim_states(
        &self,
        id: ArticleId,
    ) -> Result<Vec<(RevisionInfo, Vec<(String, ClaimStatus)>)>, StoreError> {
        history::live_claim_states(&self.read, id).await
    }

    async fn snapshots(&self, id: ArticleId) -> Result<Vec<(RevisionInfo, Snapshot)>, StoreError> {
        history::snapshots(&self.read, id).await
    }

    async fn revision(
        &self,
        id: ArticleId,
        revision: i64,
    ) -> Result<Option<(RevisionInfo, Snapshot)>, StoreError> {
        history::revision(&self.read, id, revision).await
    }

    async fn find_article(&self, slug: &str) -> Result<Option<Article>, StoreError> {
        if has_nul(slug) {
            return Ok(None);
        }
        let sql = format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles WHERE slug = $1 \
             OR id = (SELECT article_id FROM slug_redirects WHERE old_slug = $1) \
             ORDER BY CASE WHEN slug = $1 THEN 0 ELSE 1 END LIMIT 1"
        );
        let rows = sqlx::query(&sql)
            .bind(slug)
            .fetch_all(&self.read)
            .await
            .map_err(internal)?;
        Ok(with_debate(&self.read, rows).await?.pop())
    }

    async fn article_owner(&self, id: ArticleId) -> Result<String, StoreError> {
        let row = sqlx::query("SELECT owner FROM articles WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.read)
            .await
            .map_err(internal)?
            .ok_or(StoreError::NotFound)?;
        row.try_get(0).map_err(internal)
    }

    async fn list_articles(
        &self,
        filter: &ArticleFilter,
        page: PageRequest,
        now: DateTime<Utc>,
    ) -> Result<ArticleList, StoreError> {
        let asked = [&filter.section, &filter.tag, &filter.author];
        let asked = [asked[0], asked[1], asked[2], &filter.owner, &filter.words];
        if asked.iter().any(|v| v.as_deref().is_some_and(has_nul)) {
            return Ok(ArticleList {
                items: Vec::new(),
                total: 0,
            });
        }
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
        if let Some(owner) = &filter.owner {
            clauses.push(format!(
                "owner = {}",
                params.push(Param::Text(owner.clone()))
            ));
        }
        if filter.open_claims {
            clauses.push("open_claims > 0".into());
        }
        if filter.corrected {
            clauses.push("corrections <> '[]'".into());
        }
        if let Some(words) = filter
            .words
            .as_deref()
            .map(str::trim)
            .filter(|w| !w.is_empty())
        {
            // LIKE's own marks in the words are matched as themselves.
            let escaped = words
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            let p = params.push(Param::Text(format!("%{escaped}%")));
            clauses.push(format!(
                "(LOWER(headline) LIKE LOWER({p}) ESCAPE '\\' OR LOWER(standfirst) LIKE LOWER({p}) ESCAPE '\\')"
            ));
        }
        let where_sql = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };

        let count_sql = format!("SELECT COUNT(*) FROM articles {where_sql}");
        let total: i64 = params
            .bind(sqlx::query(&count_sql))
            .fetch_one(&self.read)
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
        let newest_first = if filter.by_change {
            "updated_at DESC, id DESC"
        } else {
            newest_first
        };
        let order = if filter.oldest_first {
            newest_first.replace(" DESC", " ASC")
        } else {
            newest_first.to_string()
        };
        let sql = format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles {where_sql} \
             ORDER BY {order} LIMIT {limit} OFFSET {offset}"
        );
        let rows = params
            .bind(sqlx::query(&sql))
            .fetch_all(&self.read)
            .await
            .map_err(internal)?;
        Ok(ArticleList {
            items: with_debate(&self.read, rows).await?,
            total,
        })
    }

    async fn all_articles(&self) -> Result<Vec<Article>, StoreError> {
        let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY id");
        let rows = sqlx::query(&sql)
            .fetch_all(&self.read)
            .await
            .map_err(internal)?;
        with_debate(&self.read, rows).await
    }

    async fn promo_targets(
        &self,
        slugs: &[String],
        now: DateTime<Utc>,
    ) -> Result<Vec<PromoTarget>, StoreError> {
        let slugs: Vec<String> = slugs.iter().filter(|s| !has_nul(s)).cloned().collect();
        if slugs.is_empty() {
            return Ok(Vec::new());
        }
        let mut params = Params::default();
        let list = params.list(&slugs);
        // A promo written with a story's former slug still reaches the story.
        let sql = format!(
            "SELECT slug AS asked, slug, headline, section, status, published_at FROM articles WHERE slug IN ({list}) \
             UNION ALL \
             SELECT r.old_slug, a.slug, a.headline, a.section, a.status, a.published_at \
             FROM slug_redirects r JOIN articles a ON a.id = r.article_id WHERE r.old_slug IN ({list})"
        );
        let rows = params
            .bind(sqlx::query(&sql))
            .fetch_all(&self.read)
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

    async fn import_articles(
        &self,
        items: &[ImportItem],
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let mut tx = self.write.begin().await.map_err(internal)?;
        for item in items {
            let existing = sqlx::query("SELECT id FROM articles WHERE slug = $1")
                .bind(&item.fields.slug)
                .fetch_optional(&mut *tx)
                .await
                .map_err(internal)?;
            match existing {
                Some(row) => {
                    let id = ArticleId(row.try_get(0).map_err(internal)?);
                    update_in(&mut tx, id, None, &item.fields, &item.owner, now).await?;
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

    async fn live_stamps(&self, now: DateTime<Utc>) -> Result<Vec<(ArticleId, i64)>, StoreError> {
        let mut params = Params::default();
        let live = live_condition(&mut params, now);
        let rows = params
            .bind(sqlx::query(&format!(
                "SELECT id, revision FROM articles WHERE {live}"
            )))
            .fetch_all(&self.read)
            .await
            .map_err(internal)?;
        Ok(pairs::<i64, i64>(&rows)?
            .into_iter()
            .map(|(id, revision)| (ArticleId(id), revision))
            .collect())
    }

    async fn sitemap_entries(
        &self,
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
            .fetch_all(&self.read)
            .await
            .map_err(internal)?;
        pairs(&rows)
    }

    async fn story_texts(&self, ids: &[ArticleId]) -> Result<Vec<StoryText>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(ID_CHUNK) {
            let list = id_list(chunk);
            let rows = sqlx::query(&format!(
                "SELECT id, COALESCE(published_at, created_at), revision, headline, standfirst, body, tags, section, authors \
                 FROM articles WHERE id IN ({list})"
            ))
            .fetch_all(&self.read)
            .await
            .map_err(internal)?;
            for r in &rows {
                let tags: String = r.try_get(6).map_err(internal)?;
                let authors: String = r.try_get(8).map_err(internal)?;
                out.push(StoryText {
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

    async fn articles_by_ids(&self, ids: &[ArticleId]) -> Result<Vec<Article>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(ID_CHUNK) {
            let list = id_list(chunk);
            let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN ({list})");
            let rows = sqlx::query(&sql)
                .fetch_all(&self.read)
                .await
                .map_err(internal)?;
            out.extend(with_debate(&self.read, rows).await?);
        }
        Ok(out)
    }

    async fn sections(&self, now: DateTime<Utc>) -> Result<Vec<(String, i64)>, StoreError> {
        let mut params = Params::default();
        let live = live_condition(&mut params, now);
        let sql = format!(
            "SELECT section, COUNT(*) AS n FROM articles WHERE {live} GROUP BY section ORDER BY n DESC, section"
        );
        let rows = params
            .bind(sqlx::query(&sql))
            .fetch_all(&self.read)
            .await
            .map_err(internal)?;
        pairs(&rows)
    }

    async fn publish_due(&self, now: DateTime<Utc>) -> Result<Vec<String>, StoreError> {
        // Asked several times a second by every node: a read through the index first, so the
        // single writer is taken only when a story is due.
        let due = sqlx::query(
            "SELECT 1 FROM articles WHERE status = 'scheduled' AND published_at <= $1 LIMIT 1",
        )
        .bind(millis(now))
        .fetch_optional(&self.read)
        .await
        .map_err(internal)?;
        if due.is_none() {
            return Ok(Vec::new());
        }
        let mut tx = self.write.begin().await.map_err(internal)?;
        let rows = sqlx::query(
            "UPDATE articles SET status = 'published', revision = revision + 1 \
             WHERE status = 'scheduled' AND published_at <= $1 RETURNING slug",
        )
        .bind(millis(now))
        .fetch_all(&mut *tx)
        .await
        .map_err(internal)?;
        if !rows.is_empty() {
            bump_revision(&mut tx).await?;
        }
        tx.commit().await.map_err(internal)?;
        rows.iter()
            .map(|r| r.try_get::<String, _>(0).map_err(internal))
            .collect()
    }
}

impl SqlStore {
    /// Reads back what was just written through the writer, which has seen the commit.
    async fn load_written(&self, id: ArticleId) -> Result<Article, StoreError> {
        find_by_id(&self.write, id)
            .await?
            .ok_or(StoreError::NotFound)
    }
}
