//! What every handler shares: the store and the configuration.

use crate::cache::PageCache;
use crate::config::ServeConfig;
use crate::limits::Limits;
use crate::reader::ReaderKeys;
use newsdesk_core::Store;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub config: Arc<ServeConfig>,
    /// The site's public address without a trailing slash, such as `https://news.example`.
    pub base_url: Arc<str>,
    /// Rendered public pages, dropped whenever the site changes.
    pub pages: Arc<PageCache>,
    /// Signs reader cookies and form stamps.
    pub readers: Arc<ReaderKeys>,
    /// Rate limits on the reader debate.
    pub limits: Arc<Limits>,
    /// Bans, comment modes and the classifier, as moderators left them.
    pub standing: Arc<crate::standing::StandingCache>,
    /// "More like this", chosen by content.
    pub related: Arc<crate::related::Related>,
    /// Full-text search over the live stories, this node's own index.
    pub search: Arc<crate::search::Search>,
    /// The sections every page lists, kept per site revision.
    pub sections: Arc<crate::routes::site::layout::SectionList>,
}

impl AppState {
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}
