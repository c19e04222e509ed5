//! The process's Prometheus recorder (the `metrics` crates): every count and timing the
//! server records goes to it, and `/metrics` renders it. The gauges that are read rather than
//! counted (database pools, the mail outbox) are brought up to date every few seconds.

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use newsdesk_core::Store;
use newsdesk_store::SqlStore;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

const SECONDS: [f64; 14] = [
    0.0002, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];
const BATCH_SIZES: [f64; 10] = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0];

/// The recorder, installed once for the process (tests run several servers in one process;
/// they share it).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &SECONDS)
            .and_then(|b| {
                b.set_buckets_for_metric(Matcher::Suffix("_batch_size".into()), &BATCH_SIZES)
            })
            .expect("bucket lists are not empty");
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder is installed; /metrics shows nothing");
        }
        handle
    })
}

/// Keeps the read gauges current and the histograms trimmed, until the server stops.
pub async fn keep_gauges(store: SqlStore, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let store = Arc::new(store);
    loop {
        tick.tick().await;
        handle().run_upkeep();
        for (pool, open, idle) in store.pool_use() {
            metrics::gauge!("newsdesk_db_connections", "pool" => pool, "state" => "open")
                .set(open as f64);
            metrics::gauge!("newsdesk_db_connections", "pool" => pool, "state" => "idle")
                .set(idle as f64);
        }
        if let Some(bytes) = store.sqlite_memory_bytes() {
            metrics::gauge!("newsdesk_sqlite_memory_bytes").set(bytes as f64);
        }
        match (store.as_ref() as &dyn Store).outbox_depth().await {
            Ok(n) => metrics::gauge!("newsdesk_outbox_depth").set(n as f64),
            Err(e) => tracing::warn!(error = %e, "cannot count the mail outbox"),
        }
    }
}
