//! The server's typed configuration, filled from flags and `NEWSDESK_…` variables by `cli`.

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
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// How often scheduled stories are checked for publication.
    pub schedule_interval_secs: u64,
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
            schedule_interval_secs: 5,
        }
    }

    /// The database to open: the given URL, or SQLite inside the data folder.
    pub fn database(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => sqlite_url(&self.data_dir),
        }
    }
}

pub fn sqlite_url(data_dir: &std::path::Path) -> String {
    format!("sqlite://{}", data_dir.join("newsdesk.db").display())
}
