//! The live sections every page lists, with their story counts, kept per site revision.

use chrono::{DateTime, Utc};
use newsdesk_core::{Store, StoreError};
use std::sync::Arc;

/// The live sections with their story counts, kept until the site revision moves: every page
/// shows them, and counting a large archive's stories per page view would cost more than the
/// page.
#[derive(Default)]
pub struct SectionList {
    /// The site revision the list was counted at, and the list.
    cached: std::sync::RwLock<Option<(i64, Sections)>>,
}

/// Each live section's slug and story count, largest first.
pub type Sections = Arc<Vec<(String, i64)>>;

impl SectionList {
    pub async fn get(&self, store: &dyn Store, now: DateTime<Utc>) -> Result<Sections, StoreError> {
        let revision = store.site_revision().await?;
        if let Some((at, list)) = self
            .cached
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
        {
            if *at == revision {
                return Ok(list.clone());
            }
        }
        let list = Arc::new(store.sections(now).await?);
        *self.cached.write().unwrap_or_else(|e| e.into_inner()) = Some((revision, list.clone()));
        Ok(list)
    }
}
