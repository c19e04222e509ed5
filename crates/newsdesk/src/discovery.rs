//! Keeps this node's discovery indexes (more like this, search) in step with the store: each
//! time the site revision moves, both hear which stories are live and when each last changed.

use crate::related::Related;
use crate::search::Search;
use newsdesk_core::{ArticleId, Store};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

/// Passes this large are logged as they go, so an operator sees a first start progress.
const LOGGED_PASS: u64 = 2_000;

pub async fn keep_fresh(
    store: Arc<dyn Store>,
    related: Arc<Related>,
    search: Arc<Search>,
    every: Duration,
) {
    let mut seen: Option<i64> = None;
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let revision = match store.site_revision().await {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the site revision");
                continue;
            }
        };
        if seen == Some(revision) {
            continue;
        }
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
        let related_ok = related
            .refresh(store.as_ref(), &live)
            .await
            .inspect_err(|e| tracing::warn!(error = %e, "cannot update the related-stories index"))
            .is_ok();
        if related_ok && search_ok {
            seen = Some(revision);
        }
    }
}

/// What an index must do to match the live stories: the stories to index (new, or changed
/// since their indexed stamp) and the stories to drop (no longer live).
pub fn changes(
    known: &HashMap<ArticleId, i64>,
    live: &[(ArticleId, i64)],
) -> (Vec<ArticleId>, Vec<ArticleId>) {
    let alive: HashSet<ArticleId> = live.iter().map(|(id, _)| *id).collect();
    let changed = live
        .iter()
        .filter(|(id, stamp)| known.get(id) != Some(stamp))
        .map(|(id, _)| *id)
        .collect();
    let gone = known
        .keys()
        .filter(|id| !alive.contains(id))
        .copied()
        .collect();
    (changed, gone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_name_new_changed_and_gone_stories_and_nothing_else() {
        let known = HashMap::from([(ArticleId(1), 5), (ArticleId(2), 7), (ArticleId(3), 1)]);
        let live = [(ArticleId(1), 5), (ArticleId(2), 8), (ArticleId(4), 1)];
        let (mut changed, gone) = changes(&known, &live);
        changed.sort();
        assert_eq!(changed, vec![ArticleId(2), ArticleId(4)]);
        assert_eq!(gone, vec![ArticleId(3)]);
    }
}
