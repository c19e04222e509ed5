//! Building and running the server: `Application::build(config)` opens the store, fills the
//! demo site if asked, binds the port (0 in tests) and wires the middleware.

use crate::cache::PageCache;
use crate::config::ServeConfig;
use crate::limits::Limits;
use crate::reader::ReaderKeys;
use crate::routes;
use crate::standing::StandingCache;
use crate::state::AppState;
use anyhow::Context;
use axum::http::{header, HeaderName, HeaderValue, Request};
use axum::Router;
use newsdesk_core::store::prelude::*;
use newsdesk_core::Store;
use newsdesk_store::SqlStore;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::{Layer, ServiceBuilder};
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub struct Application {
    listener: TcpListener,
    router: Router,
    store: SqlStore,
    config: Arc<ServeConfig>,
    pages: Arc<PageCache>,
    limits: Arc<Limits>,
    standing: Arc<StandingCache>,
    state: AppState,
    mailer: Option<Arc<crate::mail::Mailer>>,
}

impl Application {
    pub async fn build(config: ServeConfig) -> anyhow::Result<Application> {
        if config.database_url.is_none() {
            std::fs::create_dir_all(&config.data_dir).with_context(|| {
                format!(
                    "cannot create the data folder {}",
                    config.data_dir.display()
                )
            })?;
        }
        std::fs::create_dir_all(config.data_dir.join("media")).with_context(|| {
            format!(
                "cannot create the media folder in {}",
                config.data_dir.display()
            )
        })?;
        // A mail server address that cannot work is refused at start, not at the first email.
        let mailer = match &config.smtp_url {
            Some(url) => Some(Arc::new(crate::mail::Mailer::new(url, &config.mail_from)?)),
            None => None,
        };
        let store = SqlStore::connect(&config.database())
            .await
            .context("cannot open the database")?;
        if config.demo {
            crate::demo::fill_if_empty(&store, &config.data_dir).await?;
        }
        let listener = TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.addr))?;
        let port = listener.local_addr()?.port();
        let base_url: Arc<str> = match &config.base_url {
            Some(b) => b.trim_end_matches('/').into(),
            None => format!("http://{}:{port}", config.addr.ip()).into(),
        };
        let secret = store
            .shared_secret("reader_keys", &crate::reader::new_secret())
            .await
            .context("cannot read the reader cookie key")?;
        let readers = Arc::new(ReaderKeys::new(&secret, config.secure_cookies())?);
        let limits = Arc::new(Limits::per_minute(config.comments_per_minute));
        let standing = Arc::new(StandingCache::default());
        standing
            .refresh(&store, true)
            .await
            .context("cannot read bans and comment modes")?;
        let config = Arc::new(config);
        let pages = Arc::new(PageCache::default());
        let state = AppState {
            store: Arc::new(store.clone()) as Arc<dyn Store>,
            config: config.clone(),
            base_url,
            pages: pages.clone(),
            readers,
            limits: limits.clone(),
            standing: standing.clone(),
            related: Arc::new(crate::related::Related::default()),
            search: Arc::new(crate::search::Search::open(&config.data_dir)?),
            sections: Arc::default(),
        };
        let router = with_middleware(routes::router(state.clone()), &config);
        Ok(Application {
            listener,
            router,
            store,
            config,
            pages,
            limits,
            standing,
            state,
            mailer,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn store(&self) -> Arc<dyn Store> {
        Arc::new(self.store.clone())
    }

    /// Serves until `shutdown` completes, then finishes open requests and closes the database.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let scheduler = tokio::spawn(publish_scheduled(
            self.store.clone(),
            self.config.schedule_interval_secs,
            self.limits.clone(),
        ));
        let watcher = tokio::spawn(crate::cache::watch_revision(
            Arc::new(self.store.clone()),
            self.pages.clone(),
            Duration::from_millis(250),
        ));
        let mut mail_tasks = Vec::new();
        if let Some(mailer) = self.mailer.clone() {
            mail_tasks.push(tokio::spawn(crate::mail::send_outbox(
                Arc::new(self.store.clone()),
                mailer,
            )));
        }
        if !self.config.queue_email_every.is_zero() {
            mail_tasks.push(tokio::spawn(crate::mail::queue_digests(
                self.state.clone(),
                self.config.queue_email_every,
            )));
        }
        let discovery = tokio::spawn(crate::discovery::keep_fresh(
            Arc::new(self.store.clone()),
            self.state.related.clone(),
            self.state.search.clone(),
            Duration::from_millis(250),
        ));
        let standing = tokio::spawn(crate::standing::keep_fresh(
            Arc::new(self.store.clone()),
            self.standing.clone(),
            Duration::from_secs(1),
        ));
        tracing::info!(addr = %self.listener.local_addr()?, "newsdesk is serving");
        // Cached pages are answered before routing: the fast path wraps the whole router.
        let fast = Arc::new(crate::cache::FastPath {
            pages: self.pages.clone(),
            readers: self.state.readers.clone(),
        });
        let app =
            axum::middleware::from_fn_with_state(fast, crate::cache::fast_path).layer(self.router);
        axum::serve(
            self.listener,
            axum::ServiceExt::<axum::extract::Request>::into_make_service_with_connect_info::<
                std::net::SocketAddr,
            >(app),
        )
        .with_graceful_shutdown(shutdown)
        .await?;
        scheduler.abort();
        watcher.abort();
        standing.abort();
        discovery.abort();
        for t in mail_tasks {
            t.abort();
        }
        self.store.close().await;
        tracing::info!("newsdesk stopped");
        Ok(())
    }
}

/// Publishes scheduled stories when their time comes. Every node may run it: it is idempotent.
/// It also trims the rate limiters' memory.
async fn publish_scheduled(store: SqlStore, every_secs: u64, limits: Arc<Limits>) {
    let mut tick = tokio::time::interval(Duration::from_secs(every_secs.max(1)));
    loop {
        tick.tick().await;
        limits.prune();
        match store.publish_due(chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(count = n, "scheduled stories published"),
            Err(e) => tracing::warn!(error = %e, "could not publish scheduled stories"),
        }
    }
}

const CSP: &str = "default-src 'self'; img-src 'self' https: data:; style-src 'self'; \
    script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The headers every response carries; a response that sets its own CSP (stored media) keeps it.
pub const SECURITY_HEADERS: [(HeaderName, HeaderValue); 4] = [
    (
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    ),
    (
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    ),
    (
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    ),
    (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
];

fn with_middleware(router: Router, config: &ServeConfig) -> Router {
    let [csp, nosniff, referrer, frame] = SECURITY_HEADERS;
    let security_headers = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::if_not_present(csp.0, csp.1))
        .layer(SetResponseHeaderLayer::overriding(nosniff.0, nosniff.1))
        .layer(SetResponseHeaderLayer::overriding(referrer.0, referrer.1))
        .layer(SetResponseHeaderLayer::overriding(frame.0, frame.1));
    router.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, crate::request_id::CountingIds))
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
            .layer(axum::extract::DefaultBodyLimit::max(config.max_body_bytes)),
    )
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing open requests");
}
