//! The server loop: accepts connections, at most so many at once from one address (an IPv6
//! /64 counts as one), and serves each over HTTP/1.1 (a CDN or proxy in front speaks HTTP/2
//! to browsers) with a deadline for every request head, which also closes a kept-alive
//! connection left idle, so slow clients (slowloris) cannot hold the server; stops gracefully
//! on shutdown.

use crate::services::limits::address_key;
use axum::extract::{ConnectInfo, Request};
use axum::response::Response;
use hyper::server::conn::http1::Builder;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tower::{Service, ServiceExt};

/// How a connection is held to account.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionRules {
    /// A request's head (line and headers) must arrive within this; a kept-alive connection
    /// with no new request in this time is closed.
    pub header_timeout: Duration,
    /// Connections one address may hold open at once; 0: no cap (behind a proxy, whose own
    /// address every connection has).
    pub per_address: usize,
}

/// How long open connections are given to finish at shutdown.
const DRAIN: Duration = Duration::from_secs(10);

/// Open connections per address.
#[derive(Default)]
struct Open {
    by_address: Mutex<HashMap<String, usize>>,
}

/// One admitted connection; its address's count goes down when it is dropped.
struct Admitted {
    open: Arc<Open>,
    key: String,
}

impl Open {
    fn admit(self: &Arc<Self>, key: String, cap: usize) -> Option<Admitted> {
        let mut by = self.by_address.lock().unwrap_or_else(|e| e.into_inner());
        let n = by.entry(key.clone()).or_default();
        if cap > 0 && *n >= cap {
            return None;
        }
        *n += 1;
        Some(Admitted {
            open: self.clone(),
            key,
        })
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut by = self
            .open
            .by_address
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(n) = by.get_mut(&self.key) {
            *n -= 1;
            if *n == 0 {
                by.remove(&self.key);
            }
        }
    }
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets open connections finish
/// (for up to ten seconds).
pub async fn serve<S>(
    listener: TcpListener,
    app: S,
    rules: ConnectionRules,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    let open = Arc::new(Open::default());
    let graceful = GracefulShutdown::new();
    let mut builder = Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(rules.header_timeout);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let key = address_key(&peer.ip().to_canonical().to_string());
        let Some(admitted) = open.admit(key, rules.per_address) else {
            metrics::counter!("newsdesk_connections_refused_total").increment(1);
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = app
            .clone()
            .map_request(move |req: hyper::Request<hyper::body::Incoming>| {
                let mut req = req.map(axum::body::Body::new);
                req.extensions_mut().insert(ConnectInfo(peer));
                req
            });
        let service = TowerToHyperService::new(service);
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::trace!(error = %e, "a connection ended with an error");
            }
            drop(admitted);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN) => {
            tracing::warn!("connections still open after {} s of shutdown", DRAIN.as_secs());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_holds_at_most_its_cap_and_a_closed_connection_frees_a_place() {
        let open = Arc::new(Open::default());
        let first = open.admit("192.0.2.1".into(), 2).unwrap();
        let _second = open.admit("192.0.2.1".into(), 2).unwrap();
        assert!(open.admit("192.0.2.1".into(), 2).is_none());
        assert!(open.admit("192.0.2.2".into(), 2).is_some());
        drop(first);
        assert!(open.admit("192.0.2.1".into(), 2).is_some());
        assert!(open.admit("192.0.2.1".into(), 0).is_some(), "0: no cap");
    }
}
