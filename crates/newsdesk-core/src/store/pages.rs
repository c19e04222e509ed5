//! Site pages: written by the newsroom, read at `/{slug}` and in every page's footer.

use super::StoreError;
use crate::ids::PageId;
use crate::pages::{PageFields, SitePage};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[async_trait]
pub trait PageStore: Send + Sync {
    /// Every page, published or not, in footer order.
    async fn site_pages(&self) -> Result<Vec<SitePage>, StoreError>;
    /// The published pages marked for the footer, in order: (slug, title).
    async fn footer_pages(&self) -> Result<Vec<(String, String)>, StoreError>;
    async fn site_page(&self, slug: &str) -> Result<Option<SitePage>, StoreError>;
    async fn site_page_by_id(&self, id: PageId) -> Result<Option<SitePage>, StoreError>;
    /// Adds a page; a slug in use is `Conflict::Slug`.
    async fn create_site_page(
        &self,
        f: &PageFields,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<PageId, StoreError>;
    async fn update_site_page(
        &self,
        id: PageId,
        f: &PageFields,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    async fn delete_site_page(&self, id: PageId) -> Result<(), StoreError>;
}
