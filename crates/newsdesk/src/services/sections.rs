//! The live sections every page lists, with their story counts, kept per site revision.

use chrono::{DateTime, Utc};
use newsdesk_core::{Store, StoreError};
use std::sync::Arc;

/// The live sections with their story counts, and the site pages the footer links, kept until
/// the site revision moves: every page shows them, and counting a large archive's stories per
/// page view would cost more than the page.
#[derive(Default)]
pub struct SectionList {
    /// The site revision the lists were read at, and the lists.
    cached: std::sync::RwLock<Option<(i64, Sections, Footer)>>,
}

/// Each live section's slug and story count, largest first.
pub type Sections = Arc<Vec<(String, i64)>>;

/// The footer's site pages: slug and title, in order.
pub type Footer = Arc<Vec<(String, String)>>;

impl SectionList {
    pub async fn get(&self, store: &dyn Store, now: DateTime<Utc>) -> Result<Sections, StoreError> {
        Ok(self.with_footer(store, now).await?.0)
    }

    /// The sections and the footer's pages, read together once per site revision.
    pub async fn with_footer(
        &self,
        store: &dyn Store,
        now: DateTime<Utc>,
    ) -> Result<(Sections, Footer), StoreError> {
        let revision = store.site_revision().await?;
        if let Some((at, list, footer)) = self
            .cached
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
        {
            if *at == revision {
                return Ok((list.clone(), footer.clone()));
            }
        }
        let list = Arc::new(store.sections(now).await?);
        let footer = Arc::new(store.footer_pages().await?);
        *self.cached.write().unwrap_or_else(|e| e.into_inner()) =
            Some((revision, list.clone(), footer.clone()));
        Ok((list, footer))
    }
}
