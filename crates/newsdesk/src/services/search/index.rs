//! Each node's search index, kept in `DATA/search` and in step with the store's live stories:
//! filled in the background at start (searches answer from what is indexed meanwhile) and
//! then told of every story that changed, appeared or went.

use anyhow::Context;
use newsdesk_core::{ArticleId, Store};
use newsdesk_search::{Found, SearchError, SearchIndex, SearchRequest};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

/// Stories read from the store and committed at a time.
const CHUNK: usize = 500;

pub struct Search {
    index: Arc<SearchIndex>,
    /// Stories still to index in the current pass; zero once the index is in step.
    pending: AtomicU64,
    /// Whether a pass is under way, or the index is empty and its first pass yet to come.
    indexing: AtomicBool,
}

impl Search {
    /// Opens the index in `data_dir/search`. When another process holds that folder (two
    /// nodes started on one data folder), this node keeps its index in memory instead.
    pub fn open(data_dir: &Path) -> anyhow::Result<Search> {
        let dir = data_dir.join("search");
        let index = match SearchIndex::open(&dir) {
            Err(SearchError::Busy(_)) => {
                tracing::warn!(dir = %dir.display(), "the search index folder is in use by another process; this node keeps its index in memory");
                SearchIndex::in_memory()
            }
            other => other,
        }
        .with_context(|| format!("cannot open the search index in {}", dir.display()))?;
        Ok(Self::new(index))
    }

    /// Opens the index in `data_dir/search` for a rebuild, refusing while a server holds it.
    pub fn open_exclusive(data_dir: &Path) -> anyhow::Result<Search> {
        let dir = data_dir.join("search");
        let index = SearchIndex::open(&dir).map_err(|e| match e {
            SearchError::Busy(_) => anyhow::anyhow!(
                "the search index in {} is in use by a running newsdesk, which keeps it in step by itself; stop that server first to rebuild it",
                dir.display()
            ),
            other => anyhow::Error::from(other)
                .context(format!("cannot open the search index in {}", dir.display())),
        })?;
        Ok(Self::new(index))
    }

    fn new(index: SearchIndex) -> Search {
        Search {
            indexing: AtomicBool::new(index.is_empty()),
            index: Arc::new(index),
            pending: AtomicU64::new(0),
        }
    }

    /// Waits for the index's background merges, for a process about to exit.
    pub async fn close(self) -> anyhow::Result<()> {
        match Arc::try_unwrap(self.index) {
            Ok(index) => blocking(move || index.close()).await,
            Err(_) => Ok(()),
        }
    }

    /// Stories still waiting to be indexed, while a pass runs.
    pub fn pending(&self) -> u64 {
        self.pending.load(Ordering::Relaxed)
    }

    /// Whether the index is being filled, so results may miss stories.
    pub fn indexing(&self) -> bool {
        self.indexing.load(Ordering::Relaxed)
    }

    pub async fn find(&self, request: SearchRequest) -> Result<Found, SearchError> {
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || index.search(&request))
            .await
            .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
    }

    /// Brings the index in step with `live` (each live story and its change stamp): stories
    /// that are new or changed are indexed, those no longer live dropped. With `rebuild`,
    /// every story is indexed afresh. `progress` hears (done, to do) after each chunk.
    pub async fn sync(
        &self,
        store: &dyn Store,
        live: &[(ArticleId, i64)],
        rebuild: bool,
        mut progress: impl FnMut(u64, u64),
    ) -> anyhow::Result<()> {
        let known = if rebuild {
            let index = self.index.clone();
            blocking(move || index.clear()).await?;
            Default::default()
        } else {
            let index = self.index.clone();
            blocking(move || index.stamps()).await?
        };
        let (changed, mut gone) = crate::services::discovery::changes::changes(&known, live);
        if changed.is_empty() && gone.is_empty() && !rebuild {
            self.indexing.store(false, Ordering::Relaxed);
            return Ok(());
        }
        let total = changed.len() as u64;
        self.pending.store(total, Ordering::Relaxed);
        self.indexing.store(true, Ordering::Relaxed);
        let mut done = 0u64;
        let mut chunks = changed.chunks(CHUNK).peekable();
        // A rebuild commits at least once, so an emptied index is emptied on disk too.
        let mut first = true;
        while std::mem::take(&mut first) || chunks.peek().is_some() || !gone.is_empty() {
            let ids = chunks.next().unwrap_or(&[]);
            let texts = store.story_texts(ids).await?;
            let removals = std::mem::take(&mut gone);
            let index = self.index.clone();
            blocking(move || index.apply(&texts, &removals)).await?;
            done += ids.len() as u64;
            self.pending.store(total - done, Ordering::Relaxed);
            progress(done, total);
        }
        self.indexing.store(false, Ordering::Relaxed);
        Ok(())
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, SearchError> + Send + 'static,
) -> anyhow::Result<T> {
    Ok(tokio::task::spawn_blocking(work).await??)
}
