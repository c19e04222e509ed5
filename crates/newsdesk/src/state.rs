//! What every handler shares: the store and the configuration.

use crate::config::ServeConfig;
use crate::http::page_cache::PageCache;
use crate::services::limits::Limits;
use crate::services::readers::ReaderKeys;
use newsdesk_core::discussion::DiscussionRules;
use newsdesk_core::Store;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub config: Arc<ServeConfig>,
    /// The reader debate's rules (screening, lengths, edit window, closing), built from the
    /// configuration's settings: what every debate write goes through.
    pub debate: Arc<DiscussionRules>,
    /// The site's public address without a trailing slash, such as `https://news.example`.
    pub base_url: Arc<str>,
    /// Rendered public pages, dropped whenever the site changes.
    pub pages: Arc<PageCache>,
    /// Signs reader cookies and form stamps.
    pub readers: Arc<ReaderKeys>,
    /// Rate limits on the reader debate.
    pub limits: Arc<Limits>,
    /// Bans, comment modes and the classifier, as moderators left them.
    pub standing: Arc<crate::services::standing::StandingCache>,
    /// "More like this", chosen by content.
    pub related: Arc<crate::services::related::index::Related>,
    /// Full-text search over the live stories, this node's own index.
    pub search: Arc<crate::services::search::index::Search>,
    /// The sections every page lists, kept per site revision.
    pub sections: Arc<crate::services::sections::SectionList>,
}

impl AppState {
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}
