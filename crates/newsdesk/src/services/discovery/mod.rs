//! Keeps this node's discovery indexes (more like this, search) in step with the store: each
//! time the site revision moves, both hear which stories are live and when each last changed.

pub mod changes;

use crate::http::page_cache::PageCache;
use crate::services::page_keys::Keys;
use crate::services::purge::Purger;
use crate::services::related::index::Related;
use crate::services::search::index::Search;
use newsdesk_core::Store;
use std::sync::Arc;
use std::time::Duration;

/// Passes this large are logged as they go, so an operator sees a first start progress.
const LOGGED_PASS: u64 = 2_000;

pub async fn keep_fresh(
    store: Arc<dyn Store>,
    related: Arc<Related>,
    search: Arc<Search>,
    pages: Arc<PageCache>,
    purger: Purger,
    every: Duration,
) {
    if purger.is_active() {
        related.track_touched();
    }
    let mut seen: Option<i64> = None;
    let mut lists_seen = related.version();
    // Since when the indexes have been behind the store, for the index lag metric.
    let mut behind_since: Option<std::time::Instant> = None;
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        // Related lists change after the write that caused them (and after a rebuild in the
        // background): what was made from the older lists in between is dropped.
        let lists = related.version();
        if lists != lists_seen {
            lists_seen = lists;
            pages.clear();
        }
        let revision = match store.site_revision().await {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the site revision");
                continue;
            }
        };
        if seen == Some(revision) {
            metrics::gauge!("newsdesk_index_lag_seconds").set(0.0);
            continue;
        }
        let behind = *behind_since.get_or_insert_with(std::time::Instant::now);
        metrics::gauge!("newsdesk_index_lag_seconds").set(behind.elapsed().as_secs_f64());
        let live = match store.live_stamps(chrono::Utc::now()).await {
            Ok(live) => live,
            Err(e) => {
                tracing::warn!(error = %e, "cannot list the live stories");
                continue;
            }
        };
        // Search first: unlike related stories, it has no simpler list to fall back on.
        let search_ok = search
            .sync(store.as_ref(), &live, false, |done, total| {
                if total >= LOGGED_PASS && (done == total || done % (LOGGED_PASS * 5) == 0) {
                    tracing::info!(done, total, "indexing stories for search");
                }
            })
            .await
            .inspect_err(|e| tracing::warn!(error = %e, "cannot update the search index"))
            .is_ok();
        // Not settled while a rebuild runs: the next tick brings the rebuilt index up to date.
        let related_ok = related
            .refresh(&store, &live)
            .await
            .inspect_err(|e| tracing::warn!(error = %e, "cannot update the related-stories index"))
            .unwrap_or(false);
        purge_lists(&purger, related.take_touched());
        if related_ok && search_ok {
            seen = Some(revision);
            behind_since = None;
            metrics::gauge!("newsdesk_index_lag_seconds").set(0.0);
        }
    }
}

/// Names the story pages whose "more like this" may now show a new or changed story, so
/// shared caches fetch them again (each node names them once its own index has the story;
/// the purger sends each purge twice, after the slowest node too).
fn purge_lists(purger: &Purger, touched: Vec<newsdesk_core::ArticleId>) {
    // A page names at most a few hundred keys; so does one purge.
    for chunk in touched.chunks(100) {
        let mut keys = Keys::new();
        for id in chunk {
            keys.add("related", id.0);
        }
        purger.purge(&keys);
    }
}
