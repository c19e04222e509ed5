//! Imports applied whole: stories, pages and comments keyed by their source's ids (so a repeat
//! adds nothing and a newer export updates what changed, but never what the newsroom changed
//! since), and the old addresses they answer.

mod comments;
mod items;
mod seen;

use crate::debate::recount;
use crate::rows::{Param, Params};
use crate::site::bump_revision;
use crate::{has_nul, internal, SqlStore};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use newsdesk_core::import::{AddressTarget, ImportOutcome, ImportPlan, OldTarget};
use newsdesk_core::store::ImportStore;
use newsdesk_core::{ArticleId, PageId, StoreError};
use sqlx::{Any, Row, Transaction};

type Tx = Transaction<'static, Any>;

#[async_trait]
impl ImportStore for SqlStore {
    async fn apply_import(
        &self,
        plan: &ImportPlan,
        now: DateTime<Utc>,
    ) -> Result<ImportOutcome, StoreError> {
        let mut tx = self.write.begin().await.map_err(internal)?;
        if self.backend == crate::Backend::Sqlite {
            // A whole site in one transaction dirties far more pages than SQLite's usual cache
            // holds; with room for them it writes each page once instead of spilling it again
            // and again (a tenfold difference at 200,000 comments).
            for pragma in ["PRAGMA cache_size = -262144", "PRAGMA temp_store = MEMORY"] {
                sqlx::query(pragma)
                    .execute(&mut *tx)
                    .await
                    .map_err(internal)?;
            }
        }
        let result = self.apply_in(&mut tx, plan, now).await;
        if self.backend == crate::Backend::Sqlite {
            for pragma in ["PRAGMA cache_size = -2000", "PRAGMA temp_store = DEFAULT"] {
                let _ = sqlx::query(pragma).execute(&mut *tx).await;
            }
        }
        let out = result?;
        tx.commit().await.map_err(internal)?;
        Ok(out)
    }

    async fn import_sources(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT DISTINCT source FROM imported_items ORDER BY source")
            .fetch_all(&self.read)
            .await
            .map_err(internal)?;
        rows.iter()
            .map(|r| r.try_get(0).map_err(internal))
            .collect()
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

impl SqlStore {
    /// The import's writes, inside the caller's transaction.
    async fn apply_in(
        &self,
        tx: &mut Tx,
        plan: &ImportPlan,
        now: DateTime<Utc>,
    ) -> Result<ImportOutcome, StoreError> {
        let seen = seen::seen_of(tx, &plan.source).await?;
        let mut out = ImportOutcome::default();
        let mut written = items::Written::default();
        let mut memo = seen::Memo::default();
        items::write_stories(tx, plan, &seen, &mut out, &mut written, &mut memo, now).await?;
        items::write_pages(tx, plan, &seen, &mut out, &mut written, &mut memo, now).await?;
        let touched =
            comments::write_comments(tx, plan, &seen, &written, &mut out, &mut memo).await?;
        for article in touched {
            recount(tx, article, now).await?;
        }
        memo.flush(tx, &plan.source).await?;
        let mut rows: Vec<[Param; 4]> = Vec::with_capacity(plan.addresses.len());
        let mut keys = std::collections::HashSet::new();
        for a in &plan.addresses {
            if !keys.insert(a.key.as_str()) {
                continue;
            }
            let (kind, target_id, target_path, ext) = match &a.target {
                AddressTarget::Story(ext) => (
                    "story",
                    written.stories.get(ext.as_str()).map(|i| i.0),
                    None,
                    Some(("story", ext)),
                ),
                AddressTarget::StoryComments(ext) => (
                    "story_comments",
                    written.stories.get(ext.as_str()).map(|i| i.0),
                    None,
                    Some(("story", ext)),
                ),
                AddressTarget::Page(ext) => (
                    "page",
                    written.pages.get(ext.as_str()).map(|i| i.0),
                    None,
                    Some(("page", ext)),
                ),
                AddressTarget::Path(p) => ("path", None, Some(p.as_str()), None),
            };
            if let (None, Some((what, ext))) = (target_id, ext) {
                // An item deleted here keeps no old address; one the plan lacks is its error.
                if written.gone.contains(&(what, ext.as_str())) {
                    continue;
                }
                return Err(StoreError::Internal(format!(
                    "the old address {} names an item this import does not hold",
                    a.key
                )));
            }
            rows.push([
                Param::Text(a.key.clone()),
                Param::Text(kind.into()),
                target_id.map_or(Param::NullInt, Param::Int),
                target_path.map_or(Param::NullText, |p| Param::Text(p.into())),
            ]);
        }
        out.addresses = rows.len();
        for chunk in rows.chunks(seen::ROWS_PER_WRITE) {
            let mut params = Params::default();
            let values: Vec<String> = chunk
                .iter()
                .map(|row| {
                    let v: Vec<String> = row.iter().map(|p| params.push(p.clone())).collect();
                    format!("({})", v.join(", "))
                })
                .collect();
            let sql = format!(
                "INSERT INTO old_addresses (path, kind, target_id, target_path) VALUES {} \
                 ON CONFLICT (path) DO UPDATE SET kind = excluded.kind, target_id = excluded.target_id, \
                 target_path = excluded.target_path",
                values.join(", ")
            );
            params
                .bind(sqlx::query(&sql))
                .execute(&mut **tx)
                .await
                .map_err(internal)?;
        }
        bump_revision(tx).await?;
        Ok(out)
    }
}
