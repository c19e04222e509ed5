//! Request ids: a random prefix for this process and a counter, so every response carries an
//! id unique across nodes and restarts without asking the kernel for randomness per request.

use axum::http::{HeaderValue, Request};
use rand::RngCore;
use std::sync::atomic::{AtomicU64, Ordering};
use tower_http::request_id::{MakeRequestId, RequestId};

static PREFIX: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("{:016x}", rand::rng().next_u64()));
static NEXT: AtomicU64 = AtomicU64::new(1);

/// A new request id: this process's prefix and the next number.
pub fn next_id() -> HeaderValue {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    HeaderValue::from_str(&format!("{}-{n:x}", *PREFIX)).unwrap_or(HeaderValue::from_static("-"))
}

#[derive(Clone, Default)]
pub struct CountingIds;

impl MakeRequestId for CountingIds {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        Some(RequestId::new(next_id()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_differ_and_carry_the_process_prefix() {
        let req = Request::new(());
        let mut a = CountingIds;
        let first = a.make_request_id(&req).unwrap();
        let second = a.make_request_id(&req).unwrap();
        assert_ne!(first.header_value(), second.header_value());
        assert!(first
            .header_value()
            .to_str()
            .unwrap()
            .starts_with(PREFIX.as_str()));
    }
}
