//! Rendered public pages, kept in memory until the site changes (the middleware that serves
//! them is `cache_layer`).
//!
//! Every write to a story moves the store's site revision on; every change to a story's
//! conversation marks its thread as changed. This node drops the affected pages at once after
//! a write it served itself (so a reader sees their change on the next request), and a poller
//! drops them within a fraction of a second after a write made by another node or the CLI.
//!
//! A page with debate forms holds a placeholder where each visitor's own form stamp goes; it
//! is filled in per request, so one cached copy serves every reader.

use super::replace::replace_all;
use super::representation::{whole_seconds, Representation};
use crate::services::readers::STAMP_PLACEHOLDER;
use axum::body::Bytes;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::response::Response;
use newsdesk_core::Store;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

/// Pages also age out, since they show times such as "today".
const MAX_AGE: Duration = Duration::from_secs(30);
/// The memory the pages may take, so a large archive cannot push the process past its budget.
const MAX_TOTAL_BYTES: usize = 64 * 1024 * 1024;
pub(super) const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;
/// The query parameters that choose a different page; any others are ignored by the pages.
const PAGE_PARAMS: [&str; 5] = ["page", "cpage", "sort", "question", "rpage"];
/// The addresses whose last change time is remembered, so `Last-Modified` holds across
/// re-renders of the same bytes; past it the memory starts again.
const MAX_VALIDATORS: usize = 20_000;
const MAX_VALIDATOR_KEY: usize = 256;

/// The query parameters an old WordPress site's links carry.
const OLD_SITE_PARAMS: [&str; 6] = ["p", "page_id", "cat", "tag", "author", "feed"];

/// One version of a page: the same bytes for every reader, in each encoding.
pub(super) struct Page {
    pub(super) headers: HeaderMap,
    /// The same with the headers every response carries, ready for the fast path.
    pub(super) served_headers: HeaderMap,
    body: Representation,
    last_modified: Option<SystemTime>,
    made: Instant,
    /// The bytes of this page the cache counts against its budget; changed only under the
    /// cache's write lock, so the cache's total is always the sum of its pages' counts.
    counted: AtomicUsize,
}

impl Page {
    /// A page as every reader gets it: the debate forms' stamps are left empty (a reader's
    /// stamp reaches the form when it is first used, see `routes::site::stamp`).
    /// `changed_at` tells when the page's bytes (named by their tag) first appeared.
    pub(super) fn new(
        headers: HeaderMap,
        body: Bytes,
        changed_at: impl FnOnce(&str) -> Option<SystemTime>,
    ) -> Page {
        let body = Representation::new(without_stamps(body), headers.get(header::CONTENT_TYPE));
        let last_modified = changed_at(body.tag());
        let mut headers = headers;
        // Written once per version, not per answer.
        if let Some(v) =
            last_modified.and_then(|at| HeaderValue::from_str(&httpdate::fmt_http_date(at)).ok())
        {
            headers.insert(header::LAST_MODIFIED, v);
        }
        let mut served_headers = headers.clone();
        for (name, value) in super::headers::EVERY_ANSWER {
            served_headers.insert(name, value);
        }
        Page {
            last_modified,
            body,
            served_headers,
            headers,
            made: Instant::now(),
            counted: AtomicUsize::new(0),
        }
    }

    /// The bytes the page holds: its own and each compressed copy made so far (copies are made
    /// on demand, once per version).
    fn held(&self) -> usize {
        self.body.held()
    }

    /// Counts what the page holds now, under the cache's write lock; answers the count.
    fn count(&self) -> usize {
        let held = self.held();
        self.counted.store(held, Ordering::Relaxed);
        held
    }

    fn counted(&self) -> usize {
        self.counted.load(Ordering::Relaxed)
    }

    /// Whether the page is young enough to serve (pages show times such as "today").
    pub(super) fn is_fresh(&self) -> bool {
        self.made.elapsed() < MAX_AGE
    }

    /// The answer to one request, with the headers given (the stored ones, or those the
    /// fast path adds too).
    pub(super) fn answer(&self, request: &HeaderMap, headers: &HeaderMap) -> Response {
        self.body
            .answer(request, headers.clone(), self.last_modified)
    }
}

/// The page with every form stamp left empty.
fn without_stamps(body: Bytes) -> Bytes {
    match replace_all(&body, STAMP_PLACEHOLDER.as_bytes(), b"") {
        Some(out) => Bytes::from(out),
        None => body,
    }
}

#[derive(Default)]
struct Pages {
    by_key: HashMap<String, Arc<Page>>,
    bytes: usize,
    /// When pages past their age were last dropped.
    swept: Option<Instant>,
}

impl Pages {
    /// Drops the pages past their age and counts the rest again; answers whether `size` more
    /// bytes now fit.
    fn make_room(&mut self, size: usize) -> bool {
        self.by_key.retain(|_, p| p.is_fresh());
        self.bytes = self.by_key.iter().map(|(k, p)| k.len() + p.count()).sum();
        self.swept = Some(Instant::now());
        self.bytes + size <= MAX_TOTAL_BYTES
    }

    /// Drops the pages past their age once they could all have aged: pages no reader asks
    /// for again would otherwise stay until the budget is full (a soak saw the process grow
    /// by that much over its first 18 minutes).
    fn sweep_now_and_then(&mut self) {
        if self.swept.is_none_or(|at| at.elapsed() >= MAX_AGE) {
            self.make_room(0);
        }
    }

    /// Tells `/metrics` what the pages hold.
    fn report(&self) {
        metrics::gauge!("newsdesk_page_cache_bytes").set(self.bytes as f64);
        metrics::gauge!("newsdesk_page_cache_pages").set(self.by_key.len() as f64);
    }
}

#[derive(Default)]
pub struct PageCache {
    pages: RwLock<Pages>,
    /// Moves on with every clear; a page rendered before a clear is not stored after it.
    pub(super) generation: AtomicU64,
    /// The store revision the pages belong to.
    revision: AtomicI64,
    /// Renders in progress, shared by the readers waiting for them.
    pub(super) flights: super::render_flights::RenderFlights<Page>,
    /// Each address's last bytes (their tag), when they first appeared, and whether that
    /// date names them alone (no earlier version appeared in the same second).
    validators: Mutex<HashMap<String, (String, SystemTime, bool)>>,
    /// The parts of story pages their conversations do not change.
    pub parts: super::page_parts::PageParts,
}

impl PageCache {
    pub fn clear(&self) {
        let mut pages = self.pages.write().unwrap_or_else(|e| e.into_inner());
        // The parts first: a render that sees the new generation must not find an old part
        // (readers who arrive after the clear may take that render, see `render_flights`).
        self.parts.clear();
        self.generation.fetch_add(1, Ordering::SeqCst);
        *pages = Pages::default();
        pages.report();
    }

    /// Drops the pages of one story (all its comment pages and sort orders), as after a new
    /// comment or vote.
    pub fn forget_story(&self, slug: &str) {
        let path = format!("/news/{slug}");
        let mut pages = self.pages.write().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::SeqCst);
        let mut freed = 0;
        pages.by_key.retain(|k, p| {
            let keep = !(k == &path
                || k.strip_prefix(path.as_str())
                    .is_some_and(|rest| rest.starts_with(['?', '/'])));
            if !keep {
                freed += k.len() + p.counted();
            }
            keep
        });
        pages.bytes -= freed;
        pages.report();
    }

    /// When the bytes with this tag first appeared at this address: a page rendered again
    /// with the same bytes keeps its `Last-Modified`. `None` for an address too long to
    /// remember, and for bytes that replaced others within the same second (a date with
    /// whole seconds cannot tell them apart, so they are revalidated by their tag alone) until
    /// they are made again in a later second.
    pub fn last_modified(&self, key: &str, tag: &str) -> Option<SystemTime> {
        if key.len() > MAX_VALIDATOR_KEY {
            return None;
        }
        let mut known = self.validators.lock().unwrap_or_else(|e| e.into_inner());
        let now = whole_seconds(SystemTime::now());
        if let Some((t, at, exact)) = known.get_mut(key) {
            if t == tag {
                if !*exact && *at < now {
                    // Seen again in a later second: these bytes alone have held the address
                    // since the second after they appeared, a date that tells them apart.
                    *at += std::time::Duration::from_secs(1);
                    *exact = true;
                }
                return exact.then_some(*at);
            }
            let alone = *at < now;
            *t = tag.to_string();
            *at = now;
            *exact = alone;
            return alone.then_some(now);
        }
        if known.len() >= MAX_VALIDATORS {
            known.clear();
        }
        known.insert(key.to_string(), (tag.to_string(), now, true));
        Some(now)
    }

    /// Drops every page when the store has moved past the revision they were made at.
    pub fn observe(&self, revision: i64) {
        if self.revision.swap(revision, Ordering::SeqCst) != revision {
            self.clear();
        }
    }

    pub(super) fn get(&self, key: &str) -> Option<Arc<Page>> {
        let pages = self.pages.read().unwrap_or_else(|e| e.into_inner());
        pages.by_key.get(key).filter(|p| p.is_fresh()).cloned()
    }

    pub(super) fn put(&self, key: String, generation: u64, page: Arc<Page>) {
        let mut pages = self.pages.write().unwrap_or_else(|e| e.into_inner());
        if self.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        pages.sweep_now_and_then();
        let size = key.len() + page.count();
        if pages.bytes + size > MAX_TOTAL_BYTES && !pages.make_room(size) {
            return;
        }
        let key_len = key.len();
        match pages.by_key.insert(key, page) {
            // The old page's count is in the total, so this cannot underflow.
            Some(old) => pages.bytes = pages.bytes + size - key_len - old.counted(),
            None => pages.bytes += size,
        }
        pages.report();
    }

    /// The answer to one request from a page of the cache's (or one just rendered for it). A
    /// compressed copy made for this answer is counted against the budget at once, and makes
    /// room as a new page would.
    pub(super) fn answer(
        &self,
        key: &str,
        page: &Arc<Page>,
        request: &HeaderMap,
        headers: &HeaderMap,
    ) -> Response {
        let response = page.answer(request, headers);
        if page.held() != page.counted() {
            let mut pages = self.pages.write().unwrap_or_else(|e| e.into_inner());
            // A page no longer kept holds its copy alone, and is freed with its last answer.
            if pages
                .by_key
                .get(key)
                .is_some_and(|kept| Arc::ptr_eq(kept, page))
            {
                let before = page.counted();
                pages.bytes = pages.bytes - before + page.count();
                if pages.bytes > MAX_TOTAL_BYTES && !pages.make_room(0) {
                    pages.bytes -= key.len() + page.counted();
                    pages.by_key.remove(key);
                }
                pages.report();
            }
        }
        response
    }
}

/// A page's cache key without building a string, for the common case of a plain address.
pub(super) fn plain_path(req: &Request) -> Option<&str> {
    (matches!(*req.method(), Method::GET | Method::HEAD)
        && req.uri().query().is_none()
        && !req
            .headers()
            .contains_key(axum::http::header::AUTHORIZATION))
    .then(|| req.uri().path())
}

/// The key a page is kept under: its path and the parameters that change it, in a fixed
/// order. Other parameters (such as a share link's tracking tags) are ignored by the pages,
/// so they share the copy. `None` for what is never cached.
pub(super) fn cache_key(req: &Request) -> Option<String> {
    // A HEAD is answered from the same page as a GET (the server sends no body).
    if !matches!(*req.method(), Method::GET | Method::HEAD)
        || req
            .headers()
            .contains_key(axum::http::header::AUTHORIZATION)
    {
        return None;
    }
    let uri = req.uri();
    let Some(query) = uri.query() else {
        return Some(uri.path().to_string());
    };
    let mut chosen: [Option<&str>; PAGE_PARAMS.len()] = [None; PAGE_PARAMS.len()];
    for pair in query.split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        // An old site's links (`/?p=12`) are answered by a redirect, never by a cached page.
        if OLD_SITE_PARAMS.contains(&name) {
            return None;
        }
        if let Some(i) = PAGE_PARAMS.iter().position(|p| *p == name) {
            let plain = !value.is_empty()
                && value.len() < 9
                && value.bytes().all(|b| b.is_ascii_alphanumeric());
            if !plain || chosen[i].is_some() {
                return None;
            }
            chosen[i] = Some(value);
        }
    }
    let mut key = uri.path().to_string();
    for (name, value) in PAGE_PARAMS.iter().zip(chosen) {
        if let Some(v) = value {
            key.push(if key.contains('?') { '&' } else { '?' });
            key.push_str(name);
            key.push('=');
            key.push_str(v);
        }
    }
    Some(key)
}

/// How far back each poll looks for changed conversations, so a write committed just before
/// the last poll (or stamped by a node whose clock runs a little behind) is still seen.
const THREAD_LOOKBACK_MS: i64 = 5_000;

/// Watches the store's revision so writes made elsewhere reach this node's pages.
pub async fn watch_revision(store: Arc<dyn Store>, cache: Arc<PageCache>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // The change time last acted on for each recently changed conversation.
    let mut seen: HashMap<String, i64> = HashMap::new();
    loop {
        tick.tick().await;
        match store.site_revision().await {
            Ok(revision) => cache.observe(revision),
            Err(e) => {
                // Unsure whether the site changed: serve fresh pages until the store answers.
                tracing::warn!(error = %e, "cannot read the site revision");
                cache.clear();
                continue;
            }
        }
        let since = chrono::Utc::now().timestamp_millis() - THREAD_LOOKBACK_MS;
        match store.threads_changed_since(since).await {
            Ok(changed) => {
                for (slug, at) in changed {
                    if seen.get(&slug) != Some(&at) {
                        cache.forget_story(&slug);
                        seen.insert(slug, at);
                    }
                }
                seen.retain(|_, at| *at >= since - THREAD_LOOKBACK_MS);
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot read changed conversations");
                cache.clear();
            }
        }
    }
}

#[cfg(test)]
#[path = "page_cache_tests.rs"]
mod tests;
