//! The page cache's middleware: the fast path for plain addresses, cached public pages (the
//! same bytes for every reader, compressed once per version, with validators and their
//! surrogate keys), per-visitor pages with their form stamps filled in, and the API's writes
//! clearing this node's pages.

use super::page_cache::{cache_key, plain_path, Page, PageCache, MAX_PAGE_BYTES};
use super::render_flights::waited_on;
use super::replace::replace_all;
use crate::services::page_keys::{Keys, PERSONAL_PAGE};
use crate::services::readers::STAMP_PLACEHOLDER;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// The most a page is buffered to: pages are rendered whole into memory before they reach
/// this layer, so buffering them costs nothing more; this only stops a body that streams.
const BUFFER_LIMIT: usize = 64 * 1024 * 1024;

/// Middleware for the public pages: answers from the cache, or renders and keeps a 200.
pub async fn serve_cached(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(key) = cache_key(&req) else {
        return serve_uncached(State(state), req, next).await;
    };
    if let Some(page) = state.pages.get(&key) {
        metrics::counter!("newsdesk_page_cache_total", "result" => "hit").increment(1);
        return state
            .pages
            .answer(&key, &page, req.headers(), &page.headers);
    }
    metrics::counter!("newsdesk_page_cache_total", "result" => "miss").increment(1);
    let pages = &state.pages;
    // No page dropped since this reader arrived: nothing acknowledged since (see
    // `render_flights`).
    let arrived = pages.generation.load(Ordering::SeqCst);
    let flight = pages.flights.of(&key);
    let mut last = flight.lock().await;
    let rendered_since = last
        .as_ref()
        // A render kept for a reader who then left is not served past a page's age.
        .filter(|(started, page)| *started >= arrived && page.is_fresh())
        .map(|(_, page)| page.clone());
    if !waited_on(&flight) {
        *last = None;
    }
    if let Some(page) = rendered_since {
        return pages.answer(&key, &page, req.headers(), &page.headers);
    }
    let asked = req.headers().clone();
    let generation = pages.generation.load(Ordering::SeqCst);
    let reader = state.readers.reader(req.headers());
    let response = next.run(req).await;
    // A page that sets a cookie is one reader's; it is never kept.
    if response.status() != StatusCode::OK || response.headers().contains_key(header::SET_COOKIE) {
        return fill_stamps(&state, reader.as_ref(), response).await;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, BUFFER_LIMIT).await {
        Ok(bytes) => bytes,
        Err(e) => return too_large(e),
    };
    if bytes.len() > MAX_PAGE_BYTES {
        // Pages are bounded by design; one past the cache's limit is still served, to this
        // reader alone, and never kept.
        tracing::warn!(bytes = bytes.len(), "a page is too large to keep");
        let mut response = Response::from_parts(parts, Body::from(bytes));
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, PERSONAL_PAGE);
        return fill_stamps(&state, reader.as_ref(), response).await;
    }
    let keys = parts.extensions.remove::<Keys>().unwrap_or_default();
    keys.apply(&mut parts.headers);
    let page = Arc::new(Page::new(parts.headers, bytes, |tag| {
        pages.last_modified(&key, tag)
    }));
    let answer = page.answer(&asked, &page.headers);
    if waited_on(&flight) {
        *last = Some((generation, page.clone()));
    }
    pages.put(key, generation, page);
    answer
}

/// The outermost layer: a plain address already in the cache is answered at once, with the
/// headers the other layers would add and a request id, without building a key. Only the
/// public site's pages are ever in the cache, so nothing else can be answered here.
pub async fn fast_path(State(pages): State<Arc<PageCache>>, req: Request, next: Next) -> Response {
    let Some((path, page)) = plain_path(&req).and_then(|p| Some((p, pages.get(p)?))) else {
        return next.run(req).await;
    };
    let started = std::time::Instant::now();
    metrics::counter!("newsdesk_page_cache_total", "result" => "hit").increment(1);
    let mut response = pages.answer(path, &page, req.headers(), &page.served_headers);
    // Answered before routing: counted under one name rather than its route.
    super::metrics::observe("(page cache)".into(), "GET", response.status(), started);
    response
        .headers_mut()
        .insert(super::headers::REQUEST_ID, super::request_id::next_id());
    response
}

/// Middleware for pages made for one visitor (their own comment, a form with their text):
/// never kept, by this node or any shared cache, with their own form stamps filled in.
pub async fn serve_uncached(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let reader = state.readers.reader(req.headers());
    let mut response = next.run(req).await;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, PERSONAL_PAGE);
    fill_stamps(&state, reader.as_ref(), response).await
}

/// An HTML answer with this visitor's form stamp wherever a form holds one.
async fn fill_stamps(
    state: &AppState,
    reader: Option<&newsdesk_core::ReaderId>,
    response: Response,
) -> Response {
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if !is_html {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, BUFFER_LIMIT).await {
        Ok(bytes) => bytes,
        Err(e) => return too_large(e),
    };
    let stamp = state.readers.stamp(reader, chrono::Utc::now().timestamp());
    let body = match replace_all(&bytes, STAMP_PLACEHOLDER.as_bytes(), stamp.as_bytes()) {
        Some(filled) => Body::from(filled),
        None => Body::from(bytes),
    };
    Response::from_parts(parts, body)
}

fn too_large(e: axum::Error) -> Response {
    tracing::error!(error = %e, "a page could not be buffered");
    Response::builder()
        .status(StatusCode::INTERNAL_SERVER_ERROR)
        .body(Body::empty())
        .unwrap_or_default()
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
