//! What every page's frame needs: the site name, the section navigation, today's date.

use crate::state::AppState;
use chrono::{DateTime, Utc};
use newsdesk_core::slug::title_from_slug;
use newsdesk_core::StoreError;

pub struct NavSection {
    pub slug: String,
    pub title: String,
}

pub struct Layout {
    /// The site's description (a setting); empty: none given.
    pub description: String,
    /// The site's logo's address (a setting); empty: the name alone.
    pub logo: String,
    pub site_name: String,
    pub sections: Vec<NavSection>,
    /// The section the page belongs to, empty on the front page.
    pub current_section: String,
    pub today: String,
    pub asset_version: &'static str,
    /// The site pages linked from the footer (About, Contact…): slug and title.
    pub pages: Vec<(String, String)>,
}

impl Layout {
    pub async fn load(
        state: &AppState,
        current_section: &str,
        now: DateTime<Utc>,
    ) -> Result<Layout, StoreError> {
        let (listed, footer) = state
            .sections
            .with_footer(state.store.as_ref(), now)
            .await?;
        let mut sections: Vec<NavSection> = listed
            .iter()
            .map(|(slug, _)| NavSection {
                title: title_from_slug(slug),
                slug: slug.clone(),
            })
            .collect();
        sections.sort_by(|a, b| a.slug.cmp(&b.slug));
        let site = state.settings.site();
        let pages = footer.as_ref().clone();
        Ok(Layout {
            pages,
            site_name: site.site_name.clone(),
            description: site.description.clone(),
            logo: site.logo.clone(),
            sections,
            current_section: current_section.to_string(),
            today: now
                .with_timezone(&site.time_zone)
                .format("%A %-d %B %Y")
                .to_string(),
            asset_version: crate::render::assets::asset_version(),
        })
    }
}
