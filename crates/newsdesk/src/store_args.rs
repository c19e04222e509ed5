//! Where a command finds its database: the data folder or a PostgreSQL URL.

use crate::config::sqlite_url;
use anyhow::Context;
use clap::Args;
use newsdesk_store::SqlStore;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct StoreArgs {
    /// The folder for the embedded SQLite database and stored media; made on first run.
    #[arg(long, env = "NEWSDESK_DATA", default_value = "data")]
    pub data: PathBuf,
    /// Use this PostgreSQL database (postgres://user@host/db) instead of SQLite.
    #[arg(long, env = "NEWSDESK_DATABASE")]
    pub database: Option<String>,
}

impl StoreArgs {
    pub async fn open(&self) -> anyhow::Result<SqlStore> {
        let url = match &self.database {
            Some(url) => url.clone(),
            None => {
                crate::data_dir::create_private(&self.data).with_context(|| {
                    format!("cannot create the data folder {}", self.data.display())
                })?;
                sqlite_url(&self.data)
            }
        };
        SqlStore::connect(&url)
            .await
            .context("cannot open the database")
    }
}
