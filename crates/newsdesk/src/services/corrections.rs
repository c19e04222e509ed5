//! The newsroom's public record of its mistakes and updates: every correction and update of
//! the live stories, newest first, for the `/corrections` page and its feed.

use crate::state::AppState;
use chrono::{DateTime, Utc};
use newsdesk_core::{ArticleFilter, CorrectionKind, PageRequest, StoreError};

/// Stories read to gather the latest corrections: far more than one page lists.
const STORIES_READ: i64 = 200;

/// One correction or update as the record lists it.
pub struct Entry {
    pub slug: String,
    pub headline: String,
    pub at: DateTime<Utc>,
    pub kind: CorrectionKind,
    pub note: String,
}

/// The latest corrections and updates of the live stories, newest first.
pub async fn latest(state: &AppState, limit: usize) -> Result<Vec<Entry>, StoreError> {
    let now = Utc::now();
    let filter = ArticleFilter {
        live_only: true,
        corrected: true,
        by_change: true,
        ..Default::default()
    };
    let stories = state
        .store
        .list_articles(&filter, PageRequest::page(1, STORIES_READ), now)
        .await?;
    let mut entries: Vec<Entry> = stories
        .items
        .into_iter()
        .flat_map(|a| {
            let (slug, headline) = (a.slug, a.headline);
            a.corrections.into_iter().map(move |c| Entry {
                slug: slug.clone(),
                headline: headline.clone(),
                at: c.at,
                kind: c.kind,
                note: c.note,
            })
        })
        .collect();
    entries.sort_by(|x, y| y.at.cmp(&x.at).then_with(|| x.slug.cmp(&y.slug)));
    entries.truncate(limit);
    Ok(entries)
}
