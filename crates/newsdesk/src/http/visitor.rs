//! Who is asking: the reader cookie (if any) and the client's address, as an extractor, and
//! setting a new reader's cookie on an answer.

use crate::services::readers::ReaderKeys;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::HeaderValue;
use newsdesk_core::ReaderId;
use std::convert::Infallible;
use std::net::SocketAddr;

/// Who is asking: their reader cookie (if any) and address.
pub struct Visitor {
    pub reader: Option<ReaderId>,
    pub ip: String,
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Visitor {
            reader: state.readers.reader(&parts.headers),
            ip: client_ip(parts, state),
        })
    }
}

/// The client's address: the connection's, or behind a trusted proxy the last
/// `X-Forwarded-For` entry.
pub fn client_ip(parts: &Parts, state: &AppState) -> String {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        // An IPv4 client of a dual-stack listener is itself, not `::ffff:…`.
        .map(|c| c.0.ip().to_canonical().to_string())
        .unwrap_or_else(|| "unknown".into());
    let forwarded = state.config.trust_proxy.then(|| {
        parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            // `::ffff:192.0.2.1` is the IPv4 client it names, not a /64 shared by all of them.
            .and_then(|ip| ip.trim().parse::<std::net::IpAddr>().ok())
            .map(|ip| ip.to_canonical().to_string())
    });
    forwarded.flatten().unwrap_or(peer)
}

/// Where an API call came from, for the audit log.
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        Ok(ClientIp(client_ip(parts, state)))
    }
}

impl Visitor {
    /// The reader's id, making a new one (and the cookie to send) on a first visit.
    pub fn reader_or_new(&self, keys: &ReaderKeys) -> (ReaderId, Option<HeaderValue>) {
        match &self.reader {
            Some(r) => (r.clone(), None),
            None => {
                let (id, cookie) = keys.new_reader();
                (id, Some(cookie))
            }
        }
    }
}

pub fn set_cookie(response: &mut axum::response::Response, cookie: Option<HeaderValue>) {
    if let Some(c) = cookie {
        response.headers_mut().append(SET_COOKIE, c);
    }
}
