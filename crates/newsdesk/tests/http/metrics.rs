//! `/metrics`: the Prometheus text an operator scrapes, behind their token.

use crate::helpers::{story, Backend, Reader, TestApp};
use serde_json::json;

async fn scrape(app: &TestApp, token: Option<&str>) -> (u16, String) {
    let mut req = app.client.get(app.url("/metrics"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn the_operator_reads_requests_latency_caches_batches_pools_lag_and_outbox(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.metrics_token = Some("scrape-me".into())).await;
    assert_eq!(scrape(&app, None).await.0, 401);
    assert_eq!(scrape(&app, Some("guess")).await.0, 401);
    app.create(story("Tram line opens early")).await;
    for _ in 0..3 {
        assert_eq!(app.get("/news/tram-line-opens-early").await.status(), 200);
    }
    assert_eq!(
        app.get("/api/v1/articles/no-such-story").await.status(),
        404
    );
    let mut reader = Reader::new(&app);
    let (status, _) = reader
        .post_json(
            "/api/v1/articles/tram-line-opens-early/comments",
            &json!({"name": "Ida", "body": "Counted."}),
        )
        .await;
    assert_eq!(status, 201);
    let (status, text) = scrape(&app, Some("scrape-me")).await;
    assert_eq!(status, 200);
    for expected in [
        r#"newsdesk_http_requests_total{route="/api/v1/articles/{slug}",method="GET",status="404"}"#,
        r#"newsdesk_http_request_duration_seconds_bucket{route="/api/v1/articles/{slug}/comments",le="0.005"}"#,
        r#"newsdesk_page_cache_total{result="hit"}"#,
        r#"newsdesk_page_cache_total{result="miss"}"#,
        "newsdesk_comment_batch_size_count",
        r#"newsdesk_db_connections{pool="write",state="open"}"#,
        "newsdesk_outbox_depth",
        "newsdesk_index_lag_seconds",
    ] {
        assert!(
            text.contains(expected),
            "/metrics lacks {expected}:\n{text}"
        );
    }
    // Without a token set, there is no /metrics at all.
    let other = TestApp::spawn(Backend::Sqlite).await;
    assert_eq!(scrape(&other, Some("scrape-me")).await.0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_reads_requests_latency_caches_batches_pools_lag_and_outbox_on_sqlite() {
    the_operator_reads_requests_latency_caches_batches_pools_lag_and_outbox(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_reads_requests_latency_caches_batches_pools_lag_and_outbox_on_postgres() {
    the_operator_reads_requests_latency_caches_batches_pools_lag_and_outbox(Backend::Postgres)
        .await;
}
