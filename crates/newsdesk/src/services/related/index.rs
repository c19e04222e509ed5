//! Each node's "more like this" index, kept in step with the store: whenever the site revision
//! moves, the stories that changed, appeared or went are indexed again (see `discovery`), so a
//! new story is related within a second. It starts from the copy kept in the data folder when
//! there is one (see `disk`), else it is built from the live stories in the background.

use super::disk;
use newsdesk_core::related::RelatedIndex;
use newsdesk_core::{ArticleId, Store, StoreError};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// Stories read from the store at a time while the index is first built.
const BUILD_CHUNK: usize = 1_000;
/// How often, at most, a changed index is written to disk: what a crash loses is only made
/// up on the next start by indexing again the stories changed since.
const SAVE_EVERY: Duration = Duration::from_secs(60);

#[derive(Default)]
pub struct Related {
    /// `None` until the first build finishes; pages fall back to a simpler list meanwhile.
    index: RwLock<Option<RelatedIndex>>,
    /// Where the index is kept between runs, if anywhere.
    kept_at: Option<PathBuf>,
    /// Whether the kept copy was tried, which happens once per run.
    tried_kept: AtomicBool,
    /// When the index last reached the disk, and whether it changed since.
    saved: Mutex<Option<(Instant, bool)>>,
}

impl Related {
    /// An index kept in `data_dir` between runs.
    pub fn kept_in(data_dir: &std::path::Path) -> Related {
        Related {
            kept_at: Some(disk::path_in(data_dir)),
            ..Default::default()
        }
    }

    /// The stories most like `id`, best first, or `None` while the index is being built or
    /// does not hold the story yet (it was published a moment ago).
    pub fn of(&self, id: ArticleId, limit: usize) -> Option<Vec<ArticleId>> {
        let guard = self.index.read().unwrap_or_else(|e| e.into_inner());
        let index = guard.as_ref().filter(|i| i.contains(id))?;
        Some(
            index
                .related(id, limit)
                .into_iter()
                .map(|(id, _)| id)
                .collect(),
        )
    }

    /// Brings the index in step with the store's live stories, given with their change stamps.
    pub async fn refresh(
        self: &Arc<Self>,
        store: &dyn Store,
        stamps: &[(ArticleId, i64)],
    ) -> Result<(), StoreError> {
        let mut from_disk = false;
        let empty = self
            .index
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .is_none();
        // Only at the first pass of a run: an index worn later is built from the stories.
        if empty && !self.tried_kept.swap(true, Ordering::Relaxed) {
            let started = Instant::now();
            if let Some(index) = self.load_kept().await {
                let stories = index.len();
                *self.index.write().unwrap_or_else(|e| e.into_inner()) = Some(index);
                from_disk = true;
                tracing::info!(
                    stories,
                    ms = started.elapsed().as_millis() as u64,
                    "loaded the kept related-stories index"
                );
            }
        }
        let Some(known) = self.known() else {
            self.build(store, stamps).await?;
            self.save(true).await;
            return Ok(());
        };
        let (changed, gone) = crate::services::discovery::changes::changes(&known, stamps);
        if from_disk && changed.len() + gone.len() > (stamps.len() / 4).max(256) {
            tracing::info!(
                changed = changed.len(),
                gone = gone.len(),
                "the kept related-stories index is far behind the store; building it again"
            );
            self.build(store, stamps).await?;
            self.save(true).await;
            return Ok(());
        }
        if !changed.is_empty() || !gone.is_empty() {
            let texts = store.story_texts(&changed).await?;
            let mut guard = self.index.write().unwrap_or_else(|e| e.into_inner());
            if let Some(index) = guard.as_mut() {
                for id in gone {
                    index.remove(id);
                }
                for t in &texts {
                    index.upsert(t);
                }
            }
            drop(guard);
            self.mark_changed();
        }
        self.save(false).await;
        Ok(())
    }

    /// Each indexed story's change stamp, or `None` when there is no index or it is so worn
    /// that building it again pays.
    fn known(&self) -> Option<std::collections::HashMap<ArticleId, i64>> {
        self.index
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .filter(|i| !i.worn())
            .map(|i| i.stamps())
    }

    async fn load_kept(&self) -> Option<RelatedIndex> {
        let path = self.kept_at.clone()?;
        tokio::task::spawn_blocking(move || disk::load(&path))
            .await
            .ok()
            .flatten()
    }

    /// Builds the index from the store in two passes over slices of the archive, so its text
    /// is never all in memory; the counting runs off the async workers.
    async fn build(
        &self,
        store: &dyn Store,
        stamps: &[(ArticleId, i64)],
    ) -> Result<(), StoreError> {
        let started = Instant::now();
        let ids: Vec<ArticleId> = stamps.iter().map(|(id, _)| *id).collect();
        let mut index = RelatedIndex::default();
        for pass in [RelatedIndex::count, RelatedIndex::add_counted] {
            for chunk in ids.chunks(BUILD_CHUNK) {
                let texts = store.story_texts(chunk).await?;
                index = tokio::task::spawn_blocking(move || {
                    for text in &texts {
                        pass(&mut index, text);
                    }
                    index
                })
                .await
                .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
            }
        }
        let stories = index.len();
        *self.index.write().unwrap_or_else(|e| e.into_inner()) = Some(index);
        tracing::info!(
            stories,
            ms = started.elapsed().as_millis() as u64,
            "built the related-stories index"
        );
        self.mark_changed();
        Ok(())
    }

    fn mark_changed(&self) {
        let mut saved = self.saved.lock().unwrap_or_else(|e| e.into_inner());
        match saved.as_mut() {
            Some((_, changed)) => *changed = true,
            None => *saved = Some((Instant::now() - SAVE_EVERY, true)),
        }
    }

    /// Writes the index to its file if it changed since it was last written.
    pub async fn keep_now(self: &Arc<Self>) {
        self.save(true).await;
    }

    /// Writes the index to its file when it changed since the last write, at once if `now`,
    /// else once `SAVE_EVERY` has passed. A failure is logged and costs only a slower start.
    async fn save(self: &Arc<Self>, now: bool) {
        let Some(path) = self.kept_at.clone() else {
            return;
        };
        {
            let mut saved = self.saved.lock().unwrap_or_else(|e| e.into_inner());
            match saved.as_mut() {
                Some((at, changed)) if *changed && (now || at.elapsed() >= SAVE_EVERY) => {
                    *at = Instant::now();
                    *changed = false;
                }
                _ => return,
            }
        }
        let this = self.clone();
        let written = tokio::task::spawn_blocking(move || {
            let guard = this.index.read().unwrap_or_else(|e| e.into_inner());
            match guard.as_ref() {
                Some(index) => disk::save(index, &path).map_err(|e| (e, path)),
                None => Ok(()),
            }
        })
        .await;
        if let Ok(Err((e, path))) = written {
            tracing::warn!(path = %path.display(), error = %e, "cannot keep the related-stories index on disk");
            self.mark_changed();
        }
    }
}
