//! Compression and validators for the answers the page cache does not keep (the API, the
//! newsroom, pages made for one visitor): each is compressed as the client asks, and a read
//! gets an `ETag` and `Last-Modified` and is answered 304 when the client's copy is current.
//! Streams (media files, exports) and answers that already carry an encoding pass untouched.

use super::page_cache::PageCache;
use super::representation::{compressible, Negotiated, Representation};
use axum::body::HttpBody as _;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum::response::Response;
use std::sync::Arc;

/// Larger answers are sent as they are rather than held in memory whole.
const MAX_BUFFERED_BYTES: u64 = 8 * 1024 * 1024;

pub async fn compress_answers(
    State(pages): State<Arc<PageCache>>,
    req: Request,
    next: Next,
) -> Response {
    let read = matches!(*req.method(), Method::GET | Method::HEAD);
    let asked = req.headers().clone();
    let address = req.uri().to_string();
    let response = next.run(req).await;
    let headers = response.headers();
    // Cached pages and assets come with their encoding chosen and their tag set already.
    let done = response.extensions().get::<Negotiated>().is_some()
        || headers.contains_key(header::CONTENT_ENCODING)
        || !compressible(headers.get(header::CONTENT_TYPE));
    let small = response
        .body()
        .size_hint()
        .exact()
        .is_some_and(|n| n <= MAX_BUFFERED_BYTES);
    if done || !small {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // A read that says nothing of caching is checked with the server each time, never
    // guessed fresh from its `Last-Modified`.
    if !parts.headers.contains_key(header::CACHE_CONTROL) {
        parts
            .headers
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    let bytes = match axum::body::to_bytes(body, MAX_BUFFERED_BYTES as usize).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "an answer could not be buffered");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let status = parts.status;
    let mut representation = Representation::new(bytes, parts.headers.get(header::CONTENT_TYPE));
    if let Some(own) = parts.headers.get(header::ETAG) {
        representation = representation.with_tag(own);
    }
    let whole_read = read && status == StatusCode::OK;
    let changed = whole_read
        .then(|| pages.last_modified(&address, representation.tag()))
        .flatten();
    let mut answer = representation.answer_as(&asked, parts.headers, changed, whole_read);
    if answer.status() != StatusCode::NOT_MODIFIED {
        *answer.status_mut() = status;
    }
    let mut extensions = parts.extensions;
    extensions.insert(Negotiated);
    *answer.extensions_mut() = extensions;
    answer
}
