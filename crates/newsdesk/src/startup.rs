//! Building and running the server: `Application::build(config)` opens the store, fills the
//! demo site if asked, binds the port (0 in tests) and wires the middleware.

use crate::config::ServeConfig;
use crate::http::page_cache::PageCache;
use crate::routes;
use crate::services::limits::Limits;
use crate::services::readers::ReaderKeys;
use crate::services::standing::StandingCache;
use crate::state::{AppState, Shared};
use anyhow::Context;
use axum::Router;
use newsdesk_core::store::prelude::*;
use newsdesk_core::Store;
use newsdesk_store::SqlStore;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::Layer;

pub struct Application {
    listener: TcpListener,
    router: Router,
    store: SqlStore,
    config: Arc<ServeConfig>,
    pages: Arc<PageCache>,
    limits: Arc<Limits>,
    standing: Arc<StandingCache>,
    state: AppState,
    mailer: Option<Arc<crate::services::mail::Mailer>>,
}

impl Application {
    pub async fn build(config: ServeConfig) -> anyhow::Result<Application> {
        if config.database_url.is_none() {
            crate::data_dir::create_private(&config.data_dir).with_context(|| {
                format!(
                    "cannot create the data folder {}",
                    config.data_dir.display()
                )
            })?;
        }
        crate::data_dir::create_private(&config.data_dir.join("media")).with_context(|| {
            format!(
                "cannot create the media folder in {}",
                config.data_dir.display()
            )
        })?;
        // A mail server address that cannot work is refused at start, not at the first email.
        let mailer = match &config.smtp_url {
            Some(url) => Some(Arc::new(crate::services::mail::Mailer::new(
                url,
                &config.mail_from,
            )?)),
            None => None,
        };
        let store = SqlStore::connect(&config.database())
            .await
            .context("cannot open the database")?;
        if config.database_url.is_none() {
            crate::data_dir::keep_database_private(&config.data_dir)
                .context("cannot make the database readable by its owner only")?;
        }
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
            .shared_secret("reader_keys", &crate::services::readers::new_secret())
            .await
            .context("cannot read the reader cookie key")?;
        let readers = Arc::new(ReaderKeys::new(&secret, config.secure_cookies())?);
        crate::routes::admin::seal_notices_with(readers.notice_key());
        let limits = Arc::new(Limits::new(
            config.comments_per_minute,
            config.reports_per_hour,
            config.new_readers_per_hour,
        ));
        let standing = Arc::new(StandingCache::default());
        standing
            .refresh(&store, true)
            .await
            .context("cannot read bans and comment modes")?;
        let settings = Arc::new(crate::services::settings::Settings::new(
            crate::services::settings::SiteSettings::from_config(
                &config.site_name,
                &config.discussion,
            ),
            config.discussion.clone(),
            config.pinned_settings.clone(),
        ));
        settings
            .reload(&store)
            .await
            .context("cannot read the site settings")?;
        let config = Arc::new(config);
        let pages = Arc::new(PageCache::default());
        let state = AppState::new(Shared {
            store: Arc::new(store.clone()) as Arc<dyn Store>,
            settings,
            config: config.clone(),
            base_url,
            pages: pages.clone(),
            readers,
            limits: limits.clone(),
            standing: standing.clone(),
            related: Arc::new(crate::services::related::index::Related::kept_in(
                &config.data_dir,
            )),
            search: Arc::new(crate::services::search::index::Search::open(
                &config.data_dir,
            )?),
            sections: Arc::default(),
            pictures: Arc::default(),
            purger: {
                let (purger, sender) = crate::services::purge::Purger::start(config.purge.clone());
                if let Some(sender) = sender {
                    tokio::spawn(sender);
                }
                purger
            },
        });
        let router =
            crate::http::middleware::wrap(routes::router(state.clone()), &config, pages.clone());
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
            self.config.schedule_interval,
            self.limits.clone(),
            self.state.purger.clone(),
        ));
        crate::services::metrics::handle();
        let gauges = tokio::spawn(crate::services::metrics::keep_gauges(
            self.store.clone(),
            Duration::from_secs(5),
        ));
        let watcher = tokio::spawn(crate::http::page_cache::watch_revision(
            Arc::new(self.store.clone()),
            self.pages.clone(),
            Duration::from_millis(250),
        ));
        let mut mail_tasks = Vec::new();
        if let Some(mailer) = self.mailer.clone() {
            mail_tasks.push(tokio::spawn(crate::services::mail::send_outbox(
                Arc::new(self.store.clone()),
                mailer,
            )));
        }
        if !self.config.queue_email_every.is_zero() {
            mail_tasks.push(tokio::spawn(crate::services::mail::queue_digests(
                self.state.clone(),
                self.config.queue_email_every,
            )));
        }
        let discovery = tokio::spawn(crate::services::discovery::keep_fresh(
            Arc::new(self.store.clone()),
            self.state.related.clone(),
            self.state.search.clone(),
            self.pages.clone(),
            self.state.purger.clone(),
            Duration::from_millis(250),
        ));
        let standing = tokio::spawn(crate::services::standing::keep_fresh(
            Arc::new(self.store.clone()),
            self.standing.clone(),
            Duration::from_secs(1),
        ));
        let settings = tokio::spawn(crate::services::settings::keep_fresh(
            Arc::new(self.store.clone()),
            self.state.settings.clone(),
            self.pages.clone(),
            Duration::from_millis(250),
        ));
        let variants = tokio::spawn(crate::services::pictures::finish_variants(
            Arc::new(self.store.clone()),
            self.state.pictures.clone(),
            Duration::from_secs(60),
        ));
        let trim = tokio::spawn(crate::memory::give_back_freed(Duration::from_secs(30)));
        tracing::info!(addr = %self.listener.local_addr()?, "newsdesk is serving");
        // Cached pages are answered before routing: the fast path wraps the whole router, and
        // the https rules wrap it.
        let https = crate::http::https::HttpsPolicy {
            always: self.config.secure_cookies(),
            trust_proxy: self.config.trust_proxy,
        };
        let app = axum::middleware::from_fn_with_state(
            self.pages.clone(),
            crate::http::cache_layer::fast_path,
        )
        .layer(self.router);
        let app = axum::middleware::from_fn_with_state(https, crate::http::https::secure_answers)
            .layer(app);
        let rules = crate::http::server::ConnectionRules {
            header_timeout: self.config.header_timeout,
            // Behind a proxy every connection has the proxy's address.
            per_address: if self.config.trust_proxy {
                0
            } else {
                self.config.connections_per_address
            },
        };
        crate::http::server::serve(self.listener, app, rules, shutdown).await?;
        scheduler.abort();
        gauges.abort();
        watcher.abort();
        standing.abort();
        discovery.abort();
        // What changed since the index was last kept, kept now: the next start is quicker.
        self.state.related.keep_now().await;
        variants.abort();
        settings.abort();
        trim.abort();
        for t in mail_tasks {
            t.abort();
        }
        self.store.close().await;
        tracing::info!("newsdesk stopped");
        Ok(())
    }
}

/// How often spent form stamps past their lifetime are forgotten.
const SPENT_STAMPS_SWEEP: Duration = Duration::from_secs(600);

/// Publishes scheduled stories when their time comes, including those whose time passed while
/// the server was down (the first tick is at start). Every node runs it; the store publishes
/// each story once. It also trims the rate limiters' memory every few seconds, and forgets
/// spent form stamps every ten minutes.
async fn publish_scheduled(
    store: SqlStore,
    every: Duration,
    limits: Arc<Limits>,
    purger: crate::services::purge::Purger,
) {
    let every = every.max(Duration::from_millis(50));
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_prune = std::time::Instant::now();
    let mut last_sweep = std::time::Instant::now();
    loop {
        tick.tick().await;
        if last_prune.elapsed() >= Duration::from_secs(5) {
            limits.prune();
            last_prune = std::time::Instant::now();
        }
        if last_sweep.elapsed() >= SPENT_STAMPS_SWEEP {
            if let Err(e) = store.forget_spent_stamps(chrono::Utc::now()).await {
                tracing::warn!(error = %e, "cannot forget expired form stamps");
            }
            last_sweep = std::time::Instant::now();
        }
        match store.publish_due(chrono::Utc::now()).await {
            Ok(slugs) if slugs.is_empty() => {}
            Ok(slugs) => {
                tracing::info!(count = slugs.len(), "scheduled stories published");
                for slug in &slugs {
                    if let Ok(Some(a)) = store.find_article(slug).await {
                        purger.purge(&crate::services::page_keys::Keys::story_change(&a));
                    }
                    crate::services::audit::record_in(
                        &store,
                        &crate::services::audit::Who::system(),
                        newsdesk_core::audit::AuditAction::StoryPublished,
                        slug,
                        "scheduled → published at its time",
                    )
                    .await;
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not publish scheduled stories"),
        }
    }
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
