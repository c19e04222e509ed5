//! Each node's "more like this" index, built from the live stories in the background at start
//! and kept in step with the store: whenever the site revision moves, the stories that changed,
//! appeared or went are indexed again (see `discovery`), so a new story is related within a
//! second.

use newsdesk_core::related::RelatedIndex;
use newsdesk_core::{ArticleId, Store, StoreError};
use std::sync::RwLock;

/// Stories read from the store at a time while the index is first built.
const BUILD_CHUNK: usize = 1_000;

#[derive(Default)]
pub struct Related {
    /// `None` until the first build finishes; pages fall back to a simpler list meanwhile.
    index: RwLock<Option<RelatedIndex>>,
}

impl Related {
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
        &self,
        store: &dyn Store,
        stamps: &[(ArticleId, i64)],
    ) -> Result<(), StoreError> {
        let known = self
            .index
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .filter(|i| !i.worn())
            .map(|i| i.stamps());
        let Some(known) = known else {
            // Two passes over slices of the archive, so its text is never all in memory.
            let ids: Vec<ArticleId> = stamps.iter().map(|(id, _)| *id).collect();
            // The counting runs off the async workers, so pages are served meanwhile.
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
            *self.index.write().unwrap_or_else(|e| e.into_inner()) = Some(index);
            return Ok(());
        };
        let (changed, gone) = crate::services::discovery::changes::changes(&known, stamps);
        if gone.is_empty() && changed.is_empty() {
            return Ok(());
        }
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
        Ok(())
    }
}
