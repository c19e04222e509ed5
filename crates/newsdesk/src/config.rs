//! The server's typed configuration, filled from flags and `NEWSDESK_…` variables by `cli`.

use newsdesk_core::discussion::DiscussionRules;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Where to listen; port 0 picks a free port (as tests do).
    pub addr: SocketAddr,
    /// The folder holding the SQLite database and stored media.
    pub data_dir: PathBuf,
    /// `postgres://…` to use PostgreSQL instead of the embedded SQLite database.
    pub database_url: Option<String>,
    /// Fill an empty site with the demo stories.
    pub demo: bool,
    /// The address readers reach the site at, used in links that leave the site.
    pub base_url: Option<String>,
    pub site_name: String,
    /// The largest request body accepted, in bytes (pictures have their own limits).
    pub max_body_bytes: usize,
    /// The largest picture taken, in bytes and in pixels.
    pub pictures: PictureLimits,
    /// How often scheduled stories are checked for publication: often enough that a story
    /// and the pages listing it go live within a second of its time.
    pub schedule_interval: std::time::Duration,
    /// The rules of the reader debate: screening, lengths, edit window, closing.
    pub discussion: DiscussionRules,
    /// Comments (and other debate writes) one address or one reader may make a minute; 0: no limit.
    pub comments_per_minute: u32,
    /// Reports of comments one address may make an hour; 0: no limit.
    pub reports_per_hour: u32,
    /// New reader cookies one address may be given an hour; 0: no limit.
    pub new_readers_per_hour: u32,
    /// The least time between showing a comment form and accepting it, against bots.
    pub comment_min_seconds: u64,
    /// Top-level comments on one page of a thread.
    pub comments_per_page: i64,
    /// Take the client's address from the last `X-Forwarded-For` entry (behind a proxy).
    pub trust_proxy: bool,
    /// A request's head must arrive within this, and a kept-alive connection idle this long
    /// is closed: slow clients cannot hold connections.
    pub header_timeout: std::time::Duration,
    /// Connections one address (an IPv6 /64) may hold open at once; 0: no cap. Not applied
    /// behind `--trust-proxy`, where every connection is the proxy's.
    pub connections_per_address: usize,
    /// Where mail goes out: `smtp://host:port`, `smtp://host?tls=required`, `smtps://…`.
    /// Without it, emails wait in the outbox.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// The most addresses one sitemap file holds (50,000 by the sitemap protocol); past it,
    /// `/sitemap.xml` becomes an index of several files.
    pub sitemap_urls: i64,
    /// How often moderators who asked get the queue by email; zero turns digests off.
    pub queue_email_every: std::time::Duration,
    /// Settings a flag, variable or config file gave: the settings page cannot change them.
    pub pinned_settings: std::collections::BTreeSet<crate::services::settings::SettingKey>,
    /// Where purges of changed pages go (a CDN's API, Varnish); none without it.
    pub purge: Option<crate::services::purge::PurgeHook>,
    /// The bearer token `/metrics` asks for; without it there is no `/metrics`.
    pub metrics_token: Option<String>,
}

impl ServeConfig {
    pub fn new(addr: SocketAddr, data_dir: PathBuf) -> Self {
        ServeConfig {
            addr,
            data_dir,
            database_url: None,
            demo: false,
            base_url: None,
            site_name: "The Avel Courier".into(),
            max_body_bytes: 1024 * 1024,
            pictures: Default::default(),
            schedule_interval: std::time::Duration::from_millis(250),
            discussion: DiscussionRules::default(),
            comments_per_minute: 5,
            reports_per_hour: 10,
            new_readers_per_hour: 30,
            comment_min_seconds: 3,
            comments_per_page: 20,
            trust_proxy: false,
            header_timeout: std::time::Duration::from_secs(10),
            connections_per_address: 256,
            smtp_url: None,
            mail_from: "newsdesk <newsdesk@localhost>".into(),
            queue_email_every: std::time::Duration::from_secs(3600),
            sitemap_urls: 50_000,
            pinned_settings: Default::default(),
            purge: None,
            metrics_token: None,
        }
    }

    /// Whether readers reach the site over TLS, so cookies must be `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.base_url
            .as_deref()
            .is_some_and(|b| b.starts_with("https://"))
    }

    /// The database to open: the given URL, or SQLite inside the data folder.
    pub fn database(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => sqlite_url(&self.data_dir),
        }
    }
}

/// Limits an upload is held to; a phone's photo (up to 20 MB, 50 megapixels) fits the defaults.
#[derive(Debug, Clone, Copy)]
pub struct PictureLimits {
    pub max_bytes: usize,
    pub max_pixels: u64,
}

impl Default for PictureLimits {
    fn default() -> Self {
        PictureLimits {
            max_bytes: 25 * 1024 * 1024,
            max_pixels: 60_000_000,
        }
    }
}

pub fn sqlite_url(data_dir: &std::path::Path) -> String {
    format!("sqlite://{}", data_dir.join("newsdesk.db").display())
}
