//! Counting every request by route and status with its latency, and `/metrics`, the
//! Prometheus text, behind the operator's token.

use crate::services::readers::same_secret;
use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Instant;

/// Middleware: one count and one latency sample per request, labelled by its route.
pub async fn record(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "(no route)".into());
    let method = known_method(req.method());
    let started = Instant::now();
    let response = next.run(req).await;
    observe(route, method, response.status(), started);
    response
}

/// The method as a label: anything unusual is `other`, so a client inventing methods cannot
/// make a new series for each.
fn known_method(m: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Records one answered request.
pub fn observe(route: String, method: &str, status: StatusCode, started: Instant) {
    let status = status.as_u16().to_string();
    metrics::counter!(
        "newsdesk_http_requests_total",
        "route" => route.clone(),
        "method" => method.to_string(),
        "status" => status
    )
    .increment(1);
    metrics::histogram!("newsdesk_http_request_duration_seconds", "route" => route)
        .record(started.elapsed().as_secs_f64());
}

/// `GET /metrics`: only with `Authorization: Bearer <--metrics-token>`; without a token
/// set, there is nothing here.
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = state.config.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !same_secret(given, token) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "the metrics need the operator's token\n",
        )
            .into_response();
    }
    let handle = crate::services::metrics::handle();
    handle.run_upkeep();
    (
        [
            (
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        handle.render(),
    )
        .into_response()
}
