//! Each node's "more like this" index, kept in step with the store: whenever the site revision
//! moves, the stories that changed, appeared or went are indexed again (see `discovery`), so a
//! new story is related within a second. It starts from the copy kept in the data folder when
//! there is one (see `disk`), else it is built from the live stories in the background.

use super::disk;
use newsdesk_core::related::{RelatedIndex, StoryText};
use newsdesk_core::{ArticleId, Store, StoreError};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// Stories indexed again under one hold of the write lock.
const UPSERT_BATCH: usize = 16;
/// Stories read from the store at a time while the index is first built.
const BUILD_CHUNK: usize = 1_000;
/// How often, at most, a changed index is written to disk: what a crash loses is only made
/// up on the next start by indexing again the stories changed since.
const SAVE_EVERY: Duration = Duration::from_secs(60);
/// A changed story's most related stories whose own lists it may have joined (the measure is
/// symmetric, so a story shown under another is among that one's closest).
const TOUCHED_PER_STORY: usize = 20;
/// Changed stories in one pass whose neighbours' pages are named for purging; past it (an
/// import), those lists reach shared caches when their pages expire there.
const TOUCHED_STORIES: usize = 256;

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
    /// Whether a worn index is being built again in the background; the old one serves and
    /// takes new stories meanwhile.
    rebuilding: Arc<AtomicBool>,
    /// Moves whenever the lists change, so pages and API answers made from older lists are
    /// dropped (they may have been made in the moment between a new story and its indexing).
    version: AtomicU64,
    /// Counts the builds swapped in.
    builds: AtomicU64,
    /// Stories whose lists may have changed since `take_touched` was last asked, so their
    /// pages in shared caches can be purged.
    touched: Mutex<Vec<ArticleId>>,
    /// Whether anyone asks for `touched` (a purge hook is set): finding the stories near
    /// each changed one costs a query apiece, wasted on a node with no shared cache.
    tracks_touched: AtomicBool,
}

impl Related {
    /// An index kept in `data_dir` between runs.
    pub fn kept_in(data_dir: &std::path::Path) -> Related {
        Related {
            kept_at: Some(disk::path_in(data_dir)),
            ..Default::default()
        }
    }

    /// Moves whenever the related lists may have changed.
    pub fn version(&self) -> u64 {
        self.version.load(Ordering::Acquire)
    }

    /// The stories most like `story`, best first, or `None` while the index is first being
    /// built. A story the index does not hold yet (published a moment ago) is related by its
    /// text at once. An empty list is the caller's to fill (`pick` shows the simpler list).
    pub fn of(&self, story: &StoryText, limit: usize) -> Option<Vec<ArticleId>> {
        let guard = self.index.read().unwrap_or_else(|e| e.into_inner());
        let index = guard.as_ref()?;
        Some(
            index
                .related_to(story, limit)
                .into_iter()
                .map(|(id, _)| id)
                .collect(),
        )
    }

    /// Brings the index in step with the store's live stories, given with their change stamps.
    /// Answers whether it is settled: `false` while a rebuild runs in the background, whose
    /// result misses what changed meanwhile until the next refresh after it.
    pub async fn refresh(
        self: &Arc<Self>,
        store: &Arc<dyn Store>,
        stamps: &[(ArticleId, i64)],
    ) -> Result<bool, StoreError> {
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
                self.version.fetch_add(1, Ordering::AcqRel);
                tracing::info!(
                    stories,
                    ms = started.elapsed().as_millis() as u64,
                    "loaded the kept related-stories index"
                );
            }
        }
        // A build swapped in while this pass worked makes its result incomplete: not settled.
        let builds = self.builds.load(Ordering::Acquire);
        let Some((known, worn)) = self.known() else {
            self.build(store.as_ref(), stamps).await?;
            self.save(true).await;
            return Ok(true);
        };
        if worn {
            self.rebuild_in_background(store.clone(), stamps.to_vec());
        }
        let (changed, gone) = crate::services::discovery::changes::changes(&known, stamps);
        if from_disk && changed.len() + gone.len() > (stamps.len() / 4).max(256) {
            tracing::info!(
                changed = changed.len(),
                gone = gone.len(),
                "the kept related-stories index is far behind the store; building it again"
            );
            self.build(store.as_ref(), stamps).await?;
            self.save(true).await;
            return Ok(true);
        }
        if !changed.is_empty() || !gone.is_empty() {
            let texts = store.story_texts(&changed).await?;
            let this = self.clone();
            // Off the async workers, and a few stories at a time, so pages asking for related
            // stories wait at most for a few insertions, never for a whole import.
            let track = self.tracks_touched.load(Ordering::Relaxed);
            let touched = tokio::task::spawn_blocking(move || {
                let mut guard = this.index.write().unwrap_or_else(|e| e.into_inner());
                if let Some(index) = guard.as_mut() {
                    for id in gone {
                        index.remove(id);
                    }
                }
                drop(guard);
                for batch in texts.chunks(UPSERT_BATCH) {
                    let mut guard = this.index.write().unwrap_or_else(|e| e.into_inner());
                    if let Some(index) = guard.as_mut() {
                        for t in batch {
                            index.upsert(t);
                        }
                    }
                }
                // Gone stories need nothing here: the pages showing them name them already.
                let guard = this.index.read().unwrap_or_else(|e| e.into_inner());
                let mut touched = Vec::new();
                if let Some(index) = guard.as_ref().filter(|_| track) {
                    for t in texts.iter().take(TOUCHED_STORIES) {
                        let near = index.related(t.id, TOUCHED_PER_STORY);
                        touched.extend(near.into_iter().map(|(id, _)| id));
                    }
                }
                touched
            })
            .await
            .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
            let mut pending = self.touched.lock().unwrap_or_else(|e| e.into_inner());
            pending.extend(touched);
            pending.sort_unstable();
            pending.dedup();
            drop(pending);
            self.lists_changed();
        }
        self.save(false).await;
        Ok(!self.rebuilding.load(Ordering::Acquire)
            && builds == self.builds.load(Ordering::Acquire))
    }

    /// From now on, notes the stories whose lists may change (see `take_touched`).
    pub fn track_touched(&self) {
        self.tracks_touched.store(true, Ordering::Relaxed);
    }

    /// The stories whose lists may have changed since this was last asked (the stories most
    /// like those that appeared or changed).
    pub fn take_touched(&self) -> Vec<ArticleId> {
        std::mem::take(&mut *self.touched.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Each indexed story's change stamp and whether the index is so worn that building it
    /// again pays, or `None` when there is no index.
    fn known(&self) -> Option<(std::collections::HashMap<ArticleId, i64>, bool)> {
        self.index
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(|i| (i.stamps(), i.worn()))
    }

    /// Builds the index again from the stories without holding up the one serving: at
    /// 100,000 stories a build takes a minute, and new stories must be related within a second.
    fn rebuild_in_background(
        self: &Arc<Self>,
        store: Arc<dyn Store>,
        stamps: Vec<(ArticleId, i64)>,
    ) {
        if self.rebuilding.swap(true, Ordering::AcqRel) {
            return;
        }
        let this = self.clone();
        tokio::spawn(async move {
            if let Err(e) = this.build(store.as_ref(), &stamps).await {
                tracing::warn!(error = %e, "cannot build the related-stories index again");
            }
            this.rebuilding.store(false, Ordering::Release);
        });
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
        index.shrink();
        let stories = index.len();
        *self.index.write().unwrap_or_else(|e| e.into_inner()) = Some(index);
        self.builds.fetch_add(1, Ordering::AcqRel);
        tracing::info!(
            stories,
            ms = started.elapsed().as_millis() as u64,
            "built the related-stories index"
        );
        self.lists_changed();
        Ok(())
    }

    /// The lists changed: pages made from them go, and the file is written again in time.
    fn lists_changed(&self) {
        self.version.fetch_add(1, Ordering::AcqRel);
        self.mark_changed();
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
            // The index is held only while its bytes are written out, not while they reach
            // the disk: new stories wait for the hold.
            let written = {
                let guard = this.index.read().unwrap_or_else(|e| e.into_inner());
                match guard.as_ref() {
                    Some(index) => disk::write(index, &path),
                    None => return Ok(()),
                }
            };
            written.and_then(disk::Written::keep).map_err(|e| (e, path))
        })
        .await;
        if let Ok(Err((e, path))) = written {
            tracing::warn!(path = %path.display(), error = %e, "cannot keep the related-stories index on disk");
            self.mark_changed();
        }
    }
}
