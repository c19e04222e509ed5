//! The middleware around every route: request ids, a tracing span per request, the headers
//! every answer carries, the request body's limit and timeout, and compression.

use super::headers::{EVERY_ANSWER, REQUEST_ID};
use crate::config::ServeConfig;
use axum::http::Request;
use axum::Router;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// The longest wait for the next part of a request's body.
const BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// Wraps the whole router in the shell every request passes: request ids, tracing, the
/// headers every answer carries and the body limit.
pub fn wrap(
    router: Router,
    config: &ServeConfig,
    pages: std::sync::Arc<super::page_cache::PageCache>,
) -> Router {
    let [csp, nosniff, referrer, frame] = EVERY_ANSWER;
    let security_headers = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::if_not_present(csp.0, csp.1))
        .layer(SetResponseHeaderLayer::overriding(nosniff.0, nosniff.1))
        .layer(SetResponseHeaderLayer::overriding(referrer.0, referrer.1))
        .layer(SetResponseHeaderLayer::overriding(frame.0, frame.1));
    router.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, super::request_id::CountingIds))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(|req: &Request<_>| {
                        let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                        tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
                    })
                    // Refusals and failures are logged with their request id; successes only
                    // at debug, so a busy site's log is not one line per page view.
                    .on_response(|res: &axum::http::Response<_>, latency: Duration, _span: &tracing::Span| {
                        let status = res.status().as_u16();
                        let ms = latency.as_secs_f64() * 1000.0;
                        if status >= 400 {
                            tracing::info!(status, latency_ms = ms, "request refused or failed");
                        } else {
                            tracing::debug!(status, latency_ms = ms, "request answered");
                        }
                    }),
            )
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(security_headers)
            .layer(axum::extract::DefaultBodyLimit::max(config.max_body_bytes))
            // A body that stops arriving is given up, so a trickle cannot hold a connection.
            .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(BODY_TIMEOUT))
            .layer(tower_http::map_request_body::MapRequestBodyLayer::new(
                axum::body::Body::new,
            ))
            .layer(axum::middleware::from_fn(super::body_deadline::within_deadline))
            .layer(axum::middleware::from_fn_with_state(
                pages,
                super::compression::compress_answers,
            )),
    )
}

/// Answers every request with dates in the site's time zone (a setting).
pub async fn site_time_zone(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let tz = state.settings.site().time_zone;
    crate::render::format::in_time_zone(tz, next.run(req)).await
}
