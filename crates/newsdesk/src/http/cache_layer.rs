//! The page cache's middleware: the fast path for plain addresses, cached and per-visitor
//! pages with their form stamps filled in, and the API's writes clearing this node's pages.

use super::page_cache::{cache_key, plain_path, Page, PageCache, MAX_PAGE_BYTES};
use crate::services::readers::ReaderKeys;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// Middleware for the public pages: answers from the cache, or renders and keeps a 200.
pub async fn serve_cached(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let key = cache_key(&req);
    serve(state, key, req, next).await
}

/// What the fast path needs, behind one `Arc`, so each request clones one pointer.
pub struct FastPath {
    pub pages: Arc<PageCache>,
    pub readers: Arc<ReaderKeys>,
}

/// The outermost layer: a plain address already in the cache is answered at once, with the
/// headers the other layers would add and a request id, without building a key. Only the
/// public site's pages are ever in the cache, so nothing else can be answered here.
pub async fn fast_path(State(state): State<Arc<FastPath>>, req: Request, next: Next) -> Response {
    let Some(page) = plain_path(&req).and_then(|p| state.pages.get(p)) else {
        return next.run(req).await;
    };
    let reader = state.readers.reader(req.headers());
    let mut response = Response::new(page.body_for(&state.readers, reader.as_ref()));
    let headers = response.headers_mut();
    *headers = page.served_headers.clone();
    headers.insert(super::headers::REQUEST_ID, super::request_id::next_id());
    response
}

/// Middleware for pages made for one visitor (their own comment, a form with their text):
/// never kept, but their form stamps are filled in all the same.
pub async fn serve_uncached(State(state): State<AppState>, req: Request, next: Next) -> Response {
    serve(state, None, req, next).await
}

async fn serve(state: AppState, key: Option<String>, req: Request, next: Next) -> Response {
    let cache = &state.pages;
    if let Some(page) = key.as_deref().and_then(|k| cache.get(k)) {
        let reader = state.readers.reader(req.headers());
        let mut response = Response::new(page.body_for(&state.readers, reader.as_ref()));
        *response.headers_mut() = page.headers.clone();
        return response;
    }
    // Only the reader matters for the stamp; find them now, since the request goes on.
    let reader = state.readers.reader(req.headers());
    let generation = cache.generation.load(Ordering::SeqCst);
    let response = next.run(req).await;
    let is_html = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if !is_html && (key.is_none() || response.status() != StatusCode::OK) {
        return response;
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => {
            let page = Page::new(parts.headers.clone(), bytes);
            let body = page.body_for(&state.readers, reader.as_ref());
            if let (Some(key), StatusCode::OK) = (key, parts.status) {
                cache.put(key, generation, page);
            }
            Response::from_parts(parts, body)
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
