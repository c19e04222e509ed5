//! What every handler shares: the store, the configuration and this node's caches.

use crate::config::ServeConfig;
use crate::http::page_cache::PageCache;
use crate::services::limits::Limits;
use crate::services::readers::ReaderKeys;
use newsdesk_core::discussion::DiscussionRules;
use newsdesk_core::Store;
use std::sync::Arc;

/// What every handler shares, behind one reference count: a handler's copy of the state is
/// one atomic increment, not one for each part (a dozen counters shared by both cores, each
/// touched by every request, showed in profiles under load).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub store: Arc<dyn Store>,
    pub config: Arc<ServeConfig>,
    /// The site's settings in force (the configuration's, with what admins saved), and the
    /// reader debate's rules built from them.
    pub settings: Arc<crate::services::settings::Settings>,
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
    /// This node's picture work: one picture made at a time.
    pub pictures: Arc<crate::services::pictures::work::PictureWork>,
    /// The sections every page lists, kept per site revision.
    pub sections: Arc<crate::services::sections::SectionList>,
    /// Sends the pages each change touched to the CDN's purge hook, if there is one.
    pub purger: crate::services::purge::Purger,
}

impl AppState {
    /// The reader debate's rules (screening, lengths, edit window, closing): what every
    /// debate write goes through.
    pub fn debate(&self) -> Arc<DiscussionRules> {
        self.settings.rules()
    }

    /// The site's name as readers see it.
    pub fn site_name(&self) -> String {
        self.settings.site().site_name.clone()
    }

    /// After a story was written: this node's pages go at once, the shared caches' pages
    /// that show the story are purged.
    pub fn changed_story(&self, a: &newsdesk_core::Article) {
        self.pages.clear();
        self.purger
            .purge(&crate::services::page_keys::Keys::story_change(a));
    }

    /// After a story's conversation changed (a comment, a vote, a report).
    pub fn changed_thread(&self, a: &newsdesk_core::Article) {
        self.pages.forget_story(&a.slug);
        self.purger
            .purge(&crate::services::page_keys::Keys::thread(a.id));
    }

    /// After a change that shows on every page (settings, site pages, many stories at once).
    pub fn changed_site(&self) {
        self.pages.clear();
        self.purger.purge_site();
    }

    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}
