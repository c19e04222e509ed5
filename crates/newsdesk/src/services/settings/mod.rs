//! Site settings admins change at `/admin/settings`: kept in the database, applied on every
//! node within a second of a save (each node reloads them when the site revision moves), and
//! overridden by a flag or `NEWSDESK_…` variable (or the config file) wherever one is given.

pub mod card;
mod values;

use arc_swap::ArcSwap;
use newsdesk_core::discussion::DiscussionRules;
use newsdesk_core::{Store, StoreError};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;
pub use values::{SettingKey, SiteSettings};

/// The settings in force on this node.
pub struct Settings {
    /// What the configuration gives, before any saved setting.
    base: SiteSettings,
    base_rules: DiscussionRules,
    /// Settings a flag, variable or config file gives: saved values do not replace them.
    pinned: BTreeSet<SettingKey>,
    current: ArcSwap<SiteSettings>,
    rules: ArcSwap<DiscussionRules>,
    seen_revision: AtomicI64,
}

impl Settings {
    pub fn new(
        base: SiteSettings,
        rules: DiscussionRules,
        pinned: BTreeSet<SettingKey>,
    ) -> Settings {
        Settings {
            current: ArcSwap::from_pointee(base.clone()),
            rules: ArcSwap::from_pointee(rules.clone()),
            base,
            base_rules: rules,
            pinned,
            seen_revision: AtomicI64::new(-1),
        }
    }

    pub fn site(&self) -> Arc<SiteSettings> {
        self.current.load_full()
    }

    /// The reader debate's rules with the saved comment defaults and words applied.
    pub fn rules(&self) -> Arc<DiscussionRules> {
        self.rules.load_full()
    }

    pub fn is_pinned(&self, key: SettingKey) -> bool {
        self.pinned.contains(&key)
    }

    /// Reads the saved settings and puts them in force (those not pinned).
    pub async fn reload(&self, store: &dyn Store) -> Result<(), StoreError> {
        let saved = store.settings().await?;
        let site = self.base.with_saved(&saved, &self.pinned);
        let mut rules = self.base_rules.clone();
        site.apply_to(&mut rules, &self.pinned);
        self.current.store(Arc::new(site));
        self.rules.store(Arc::new(rules));
        Ok(())
    }
}

/// Reloads the settings whenever the site revision moves (a save on any node moves it), then
/// drops cached pages: one rendered between the revision's move and the reload would show the
/// old settings.
pub async fn keep_fresh(
    store: Arc<dyn Store>,
    settings: Arc<Settings>,
    pages: Arc<crate::http::page_cache::PageCache>,
    every: Duration,
) {
    loop {
        match store.site_revision().await {
            Ok(rev) if rev != settings.seen_revision.load(Ordering::Relaxed) => {
                match settings.reload(store.as_ref()).await {
                    Ok(()) => {
                        settings.seen_revision.store(rev, Ordering::Relaxed);
                        pages.clear();
                    }
                    Err(e) => tracing::warn!(error = %e, "cannot reload the site settings"),
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "cannot read the site revision"),
        }
        tokio::time::sleep(every).await;
    }
}
