//! Each node's copy of what moderators decided (bans, comment modes, the classifier), kept
//! fresh to within a second so new comments are judged the same on every node.

use newsdesk_core::discussion::Standing;
use newsdesk_core::{Store, StoreError};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// The classifier's counts are larger and change slowly; they are reloaded less often.
const MODEL_EVERY: Duration = Duration::from_secs(30);

#[derive(Default)]
pub struct StandingCache {
    current: RwLock<Arc<Standing>>,
}

impl StandingCache {
    pub fn get(&self) -> Arc<Standing> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Reloads bans and modes, and the classifier when `with_model`.
    pub async fn refresh(&self, store: &dyn Store, with_model: bool) -> Result<(), StoreError> {
        let bans = store.active_bans(chrono::Utc::now()).await?;
        let modes = store.comment_modes().await?;
        let model = if with_model {
            store.spam_model().await?
        } else {
            self.get().model.clone()
        };
        *self.current.write().unwrap_or_else(|e| e.into_inner()) =
            Arc::new(Standing { bans, modes, model });
        Ok(())
    }
}

pub async fn keep_fresh(store: Arc<dyn Store>, cache: Arc<StandingCache>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut model_loaded: Option<Instant> = None;
    loop {
        tick.tick().await;
        let with_model = model_loaded.is_none_or(|t| t.elapsed() >= MODEL_EVERY);
        match cache.refresh(store.as_ref(), with_model).await {
            Ok(()) if with_model => model_loaded = Some(Instant::now()),
            Ok(()) => {}
            Err(e) => tracing::warn!(error = %e, "cannot reload bans and comment modes"),
        }
    }
}
