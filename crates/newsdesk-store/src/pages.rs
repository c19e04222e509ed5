//! Site pages (About, Contact…): their rows, and the site revision each change moves on.

use crate::rows::time;
use crate::site::bump_revision;
use crate::{conflict_as, has_nul, internal, millis, SqlStore};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use newsdesk_core::pages::{PageFields, SitePage};
use newsdesk_core::store::PageStore;
use newsdesk_core::{Conflict, PageId, StoreError};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

const PAGE_COLUMNS: &str =
    "id, slug, title, body, published, in_footer, position, created_at, updated_at, updated_by";

fn page_from_row(r: &AnyRow) -> Result<SitePage, StoreError> {
    Ok(SitePage {
        id: PageId(r.try_get(0).map_err(internal)?),
        slug: r.try_get(1).map_err(internal)?,
        title: r.try_get(2).map_err(internal)?,
        body: r.try_get(3).map_err(internal)?,
        published: r.try_get::<i64, _>(4).map_err(internal)? != 0,
        in_footer: r.try_get::<i64, _>(5).map_err(internal)? != 0,
        position: r.try_get(6).map_err(internal)?,
        created_at: time(r.try_get(7).map_err(internal)?),
        updated_at: time(r.try_get(8).map_err(internal)?),
        updated_by: r.try_get(9).map_err(internal)?,
    })
}

/// Adds a page inside a transaction (the newsroom's own, or an import's).
pub(crate) async fn insert_page_in(
    tx: &mut Transaction<'static, Any>,
    f: &PageFields,
    by: &str,
    now: DateTime<Utc>,
) -> Result<PageId, StoreError> {
    let row = sqlx::query(
        "INSERT INTO site_pages (slug, title, body, published, in_footer, position, created_at, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING id",
    )
    .bind(&f.slug)
    .bind(&f.title)
    .bind(&f.body)
    .bind(i64::from(f.published))
    .bind(i64::from(f.in_footer))
    .bind(f.position)
    .bind(millis(now))
    .bind(by)
    .fetch_one(&mut **tx)
    .await
    .map_err(conflict_as(Conflict::Slug(f.slug.clone())))?;
    Ok(PageId(row.try_get(0).map_err(internal)?))
}

pub(crate) async fn update_page_in(
    tx: &mut Transaction<'static, Any>,
    id: PageId,
    f: &PageFields,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE site_pages SET slug = $1, title = $2, body = $3, published = $4, in_footer = $5, \
         position = $6, updated_at = $7, updated_by = $8 WHERE id = $9",
    )
    .bind(&f.slug)
    .bind(&f.title)
    .bind(&f.body)
    .bind(i64::from(f.published))
    .bind(i64::from(f.in_footer))
    .bind(f.position)
    .bind(millis(now))
    .bind(by)
    .bind(id.0)
    .execute(&mut **tx)
    .await
    .map_err(conflict_as(Conflict::Slug(f.slug.clone())))?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

#[async_trait]
impl PageStore for SqlStore {
    async fn site_pages(&self) -> Result<Vec<SitePage>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {PAGE_COLUMNS} FROM site_pages ORDER BY position, id"
        ))
        .fetch_all(&self.read)
        .await
        .map_err(internal)?;
        rows.iter().map(page_from_row).collect()
    }

    async fn footer_pages(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT slug, title FROM site_pages WHERE published = 1 AND in_footer = 1 ORDER BY position, id",
        )
        .fetch_all(&self.read)
        .await
        .map_err(internal)?;
        crate::rows::pairs(&rows)
    }

    async fn site_page(&self, slug: &str) -> Result<Option<SitePage>, StoreError> {
        if has_nul(slug) {
            return Ok(None);
        }
        let row = sqlx::query(&format!(
            "SELECT {PAGE_COLUMNS} FROM site_pages WHERE slug = $1"
        ))
        .bind(slug)
        .fetch_optional(&self.read)
        .await
        .map_err(internal)?;
        row.as_ref().map(page_from_row).transpose()
    }

    async fn site_page_by_id(&self, id: PageId) -> Result<Option<SitePage>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {PAGE_COLUMNS} FROM site_pages WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&self.read)
        .await
        .map_err(internal)?;
        row.as_ref().map(page_from_row).transpose()
    }

    async fn create_site_page(
        &self,
        f: &PageFields,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<PageId, StoreError> {
        let mut tx = self.write.begin().await.map_err(internal)?;
        let id = insert_page_in(&mut tx, f, by, now).await?;
        bump_revision(&mut tx).await?;
        tx.commit().await.map_err(internal)?;
        Ok(id)
    }

    async fn update_site_page(
        &self,
        id: PageId,
        f: &PageFields,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await.map_err(internal)?;
        update_page_in(&mut tx, id, f, by, now).await?;
        bump_revision(&mut tx).await?;
        tx.commit().await.map_err(internal)?;
        Ok(())
    }

    async fn delete_site_page(&self, id: PageId) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await.map_err(internal)?;
        let done = sqlx::query("DELETE FROM site_pages WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        // Old addresses that led to the page now lead nowhere, not to a later page with its id.
        sqlx::query("DELETE FROM old_addresses WHERE kind = 'page' AND target_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        bump_revision(&mut tx).await?;
        tx.commit().await.map_err(internal)?;
        Ok(())
    }
}
