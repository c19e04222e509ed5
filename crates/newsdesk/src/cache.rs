//! Rendered public pages, kept in memory until the site changes.
//!
//! Every write moves the store's site revision on. This node drops its pages at once after a
//! write it served itself (so a reader sees their change on the next request), and a poller
//! drops them within a fraction of a second after a write made by another node or the CLI.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use newsdesk_core::Store;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Pages also age out, since they show times such as "today".
const MAX_AGE: Duration = Duration::from_secs(30);
/// The memory the pages may take, so a large archive cannot push the process past its budget.
const MAX_TOTAL_BYTES: usize = 64 * 1024 * 1024;
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

struct Page {
    headers: HeaderMap,
    body: Bytes,
    made: Instant,
}

#[derive(Default)]
struct Pages {
    by_key: HashMap<String, Arc<Page>>,
    bytes: usize,
}

#[derive(Default)]
pub struct PageCache {
    pages: RwLock<Pages>,
    /// Moves on with every clear; a page rendered before a clear is not stored after it.
    generation: AtomicU64,
    /// The store revision the pages belong to.
    revision: AtomicI64,
}

impl PageCache {
    pub fn clear(&self) {
        let mut pages = self.pages.write().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::SeqCst);
        *pages = Pages::default();
    }

    /// Drops every page when the store has moved past the revision they were made at.
    pub fn observe(&self, revision: i64) {
        if self.revision.swap(revision, Ordering::SeqCst) != revision {
            self.clear();
        }
    }

    fn get(&self, key: &str) -> Option<Arc<Page>> {
        let pages = self.pages.read().unwrap_or_else(|e| e.into_inner());
        pages
            .by_key
            .get(key)
            .filter(|p| p.made.elapsed() < MAX_AGE)
            .cloned()
    }

    fn put(&self, key: String, generation: u64, page: Page) {
        let mut pages = self.pages.write().unwrap_or_else(|e| e.into_inner());
        if self.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        let size = key.len() + page.body.len();
        if pages.bytes + size > MAX_TOTAL_BYTES {
            pages.by_key.retain(|_, p| p.made.elapsed() < MAX_AGE);
            pages.bytes = pages
                .by_key
                .iter()
                .map(|(k, p)| k.len() + p.body.len())
                .sum();
            if pages.bytes + size > MAX_TOTAL_BYTES {
                return;
            }
        }
        let body_len = page.body.len();
        match pages.by_key.insert(key, Arc::new(page)) {
            // The old page's bytes are counted in the total, so this cannot underflow.
            Some(old) => pages.bytes = pages.bytes + body_len - old.body.len(),
            None => pages.bytes += size,
        }
    }
}

/// Only plain addresses and paging are cached, so made-up query strings cannot fill memory.
fn cache_key(req: &Request) -> Option<String> {
    if req.method() != Method::GET
        || req
            .headers()
            .contains_key(axum::http::header::AUTHORIZATION)
    {
        return None;
    }
    let uri = req.uri();
    match uri.query() {
        None => Some(uri.path().to_string()),
        Some(q)
            if q.strip_prefix("page=").is_some_and(|n| {
                !n.is_empty() && n.len() < 7 && n.bytes().all(|b| b.is_ascii_digit())
            }) =>
        {
            Some(format!("{}?{q}", uri.path()))
        }
        Some(_) => None,
    }
}

/// Middleware for the public pages: answers from the cache, or renders and keeps a 200.
pub async fn serve_cached(
    State(cache): State<Arc<PageCache>>,
    req: Request,
    next: Next,
) -> Response {
    let Some(key) = cache_key(&req) else {
        return next.run(req).await;
    };
    if let Some(page) = cache.get(&key) {
        let mut response = Response::new(Body::from(page.body.clone()));
        *response.headers_mut() = page.headers.clone();
        return response;
    }
    let generation = cache.generation.load(Ordering::SeqCst);
    let response = next.run(req).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => {
            cache.put(
                key,
                generation,
                Page {
                    headers: parts.headers.clone(),
                    body: bytes.clone(),
                    made: Instant::now(),
                },
            );
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(e) => {
            tracing::error!(error = %e, "a page could not be buffered");
            Response::builder()
                .status(StatusCode::INTERNAL_SERVER_ERROR)
                .body(Body::empty())
                .unwrap_or_default()
        }
    }
}

/// Middleware for the API: a write that succeeded drops this node's pages before it answers.
pub async fn clear_after_writes(
    State(cache): State<Arc<PageCache>>,
    req: Request,
    next: Next,
) -> Response {
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let response = next.run(req).await;
    if writes && response.status().is_success() {
        cache.clear();
    }
    response
}

/// Watches the store's revision so writes made elsewhere reach this node's pages.
pub async fn watch_revision(store: Arc<dyn Store>, cache: Arc<PageCache>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match store.site_revision().await {
            Ok(revision) => cache.observe(revision),
            Err(e) => {
                // Unsure whether the site changed: serve fresh pages until the store answers.
                tracing::warn!(error = %e, "cannot read the site revision");
                cache.clear();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> Page {
        Page {
            headers: HeaderMap::new(),
            body: Bytes::from(body.to_string()),
            made: Instant::now(),
        }
    }

    #[test]
    fn a_page_rendered_before_a_clear_is_not_kept_after_it() {
        let cache = PageCache::default();
        let generation = cache.generation.load(Ordering::SeqCst);
        cache.clear();
        cache.put("/".into(), generation, page("stale"));
        assert!(cache.get("/").is_none());
    }

    #[test]
    fn a_new_store_revision_drops_every_page() {
        let cache = PageCache::default();
        cache.observe(7);
        cache.put(
            "/a".into(),
            cache.generation.load(Ordering::SeqCst),
            page("a"),
        );
        cache.observe(7);
        assert!(cache.get("/a").is_some());
        cache.observe(8);
        assert!(cache.get("/a").is_none());
    }

    #[test]
    fn replacing_a_page_keeps_the_byte_count_right() {
        let cache = PageCache::default();
        let g = cache.generation.load(Ordering::SeqCst);
        cache.put("/a".into(), g, page("12345"));
        cache.put("/a".into(), g, page("12"));
        assert_eq!(cache.pages.read().unwrap().bytes, "/a".len() + 2);
    }
}
