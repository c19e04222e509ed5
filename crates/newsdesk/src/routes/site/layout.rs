//! What every page's frame needs: the site name, the section navigation, today's date.

use crate::state::AppState;
use chrono::{DateTime, Utc};
use newsdesk_core::slug::title_from_slug;
use newsdesk_core::{Store, StoreError};
use std::sync::Arc;

pub struct NavSection {
    pub slug: String,
    pub title: String,
}

pub struct Layout {
    pub site_name: String,
    pub sections: Vec<NavSection>,
    /// The section the page belongs to, empty on the front page.
    pub current_section: String,
    pub today: String,
    pub asset_version: &'static str,
}

impl Layout {
    pub async fn load(
        state: &AppState,
        current_section: &str,
        now: DateTime<Utc>,
    ) -> Result<Layout, StoreError> {
        let mut sections: Vec<NavSection> = state
            .sections
            .get(state.store.as_ref(), now)
            .await?
            .iter()
            .map(|(slug, _)| NavSection {
                title: title_from_slug(slug),
                slug: slug.clone(),
            })
            .collect();
        sections.sort_by(|a, b| a.slug.cmp(&b.slug));
        Ok(Layout {
            site_name: state.config.site_name.clone(),
            sections,
            current_section: current_section.to_string(),
            today: now.format("%A %-d %B %Y").to_string(),
            asset_version: crate::routes::assets::asset_version(),
        })
    }
}

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
