//! The parts of pages that a conversation does not change (a story's text, pictures, related
//! stories and site layout), kept so that a page dropped for a new comment is made again
//! from its conversation alone. Every part is dropped with the whole page cache (any change to
//! a story or the site, on this node or another) and is never older than `MAX_AGE`.

use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Parts kept at most: the stories being read at the moment, not the archive.
const MAX_PARTS: usize = 256;
/// Parts also hold what changes with time alone (dates, the layout, picture variants made in
/// the background), so they are made again as often as the pages themselves.
const MAX_AGE: Duration = Duration::from_secs(30);

type Part = Arc<dyn Any + Send + Sync>;

#[derive(Default)]
pub struct PageParts {
    parts: Mutex<HashMap<String, (Instant, Part)>>,
    /// Moves on with every clear, so a part made before a clear is not kept after it.
    generation: AtomicU64,
}

impl PageParts {
    /// The generation to hand back to `put` with a part made from now on.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    pub fn get<T: Any + Send + Sync>(&self, key: &str) -> Option<Arc<T>> {
        let parts = self.parts.lock().unwrap_or_else(|e| e.into_inner());
        let (made, part) = parts.get(key)?;
        if made.elapsed() >= MAX_AGE {
            return None;
        }
        part.clone().downcast::<T>().ok()
    }

    /// Keeps `part`, made from what the store held at `generation`, unless the site changed
    /// since.
    pub fn put<T: Any + Send + Sync>(&self, key: &str, generation: u64, part: Arc<T>) {
        let mut parts = self.parts.lock().unwrap_or_else(|e| e.into_inner());
        if self.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        if parts.len() >= MAX_PARTS && !parts.contains_key(key) {
            let oldest = parts
                .iter()
                .min_by_key(|(_, (made, _))| *made)
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                parts.remove(&oldest);
            }
        }
        parts.insert(key.to_string(), (Instant::now(), part));
    }

    pub fn clear(&self) {
        let mut parts = self.parts.lock().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::SeqCst);
        parts.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_made_before_a_clear_is_not_kept() {
        let parts = PageParts::default();
        let before = parts.generation();
        parts.clear();
        parts.put("story", before, Arc::new(1_u32));
        assert!(parts.get::<u32>("story").is_none());
        parts.put("story", parts.generation(), Arc::new(2_u32));
        assert_eq!(parts.get::<u32>("story").as_deref(), Some(&2));
        assert!(
            parts.get::<String>("story").is_none(),
            "another type is not this part"
        );
    }

    #[test]
    fn the_parts_kept_are_bounded() {
        let parts = PageParts::default();
        for i in 0..MAX_PARTS + 10 {
            parts.put(&i.to_string(), parts.generation(), Arc::new(i));
        }
        assert_eq!(parts.parts.lock().unwrap().len(), MAX_PARTS);
        assert!(parts.get::<usize>(&(MAX_PARTS + 9).to_string()).is_some());
    }
}
