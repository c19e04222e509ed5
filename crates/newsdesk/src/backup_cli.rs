//! `newsdesk backup --to DIR` and `newsdesk restore --from DIR --data DIR`: a consistent copy
//! of a running site (its SQLite database, taken while it keeps writing, and the files in its
//! data folder's `media/`), checked by SQLite, and putting one back into an empty data folder.
//! With PostgreSQL the database is `pg_dump`'s to copy (README gives the steps); these commands
//! copy the rest.

use crate::config::sqlite_url;
use crate::store_args::StoreArgs;
use anyhow::{bail, ensure, Context};
use newsdesk_store::{sqlite_integrity, SqlStore};
use std::path::{Path, PathBuf};

const DB_FILE: &str = "newsdesk.db";

pub async fn backup(to: &Path, store: &StoreArgs) -> anyhow::Result<()> {
    ensure!(
        !to.join(DB_FILE).exists() && !to.join("media").exists(),
        "--to: {} holds a backup already; give an empty or new folder",
        to.display()
    );
    std::fs::create_dir_all(to).with_context(|| format!("--to: cannot create {}", to.display()))?;
    let started = chrono::Utc::now();
    if store.database.is_none() {
        ensure!(
            store.data.join(DB_FILE).exists(),
            "--data: {} holds no newsdesk database",
            store.data.display()
        );
        let db = SqlStore::connect(&sqlite_url(&store.data))
            .await
            .context("cannot open the database")?;
        let result = db.backup_sqlite(&to.join(DB_FILE)).await;
        db.close().await;
        result.context("the database could not be copied")?;
        let said = sqlite_integrity(&to.join(DB_FILE)).await?;
        ensure!(
            said == "ok",
            "the copy failed SQLite's integrity check: {said}"
        );
    } else {
        println!(
            "PostgreSQL: copy the database with\n  pg_dump --format=custom --file {}/newsdesk.pgdump \"$NEWSDESK_DATABASE\"\n(README: Backups). Copying the rest.",
            to.display()
        );
    }
    let files = copy_tree(&store.data.join("media"), &to.join("media"))?;
    std::fs::write(
        to.join("backup.toml"),
        format!(
            "# made by newsdesk backup\nstarted = \"{}\"\ndatabase = \"{}\"\nmedia_files = {files}\n",
            started.to_rfc3339(),
            if store.database.is_none() { "sqlite" } else { "postgres" }
        ),
    )?;
    println!(
        "Backed up to {}: the database as it was at {}, and {files} media files. SQLite's check: ok.",
        to.display(),
        started.format("%Y-%m-%d %H:%M:%S UTC")
    );
    Ok(())
}

pub async fn restore(from: &Path, data: &Path) -> anyhow::Result<()> {
    let copy = from.join(DB_FILE);
    ensure!(
        copy.exists(),
        "--from: {} holds no newsdesk backup ({DB_FILE} is missing)",
        from.display()
    );
    if data.join(DB_FILE).exists() {
        bail!(
            "--data: {} holds a site already; restore into an empty folder, then point the server at it",
            data.display()
        );
    }
    let said = sqlite_integrity(&copy).await?;
    ensure!(
        said == "ok",
        "--from: the backup fails SQLite's integrity check: {said}"
    );
    crate::data_dir::create_private(data)
        .with_context(|| format!("--data: cannot create {}", data.display()))?;
    // Copied under a temporary name and renamed: a crash never leaves half a database.
    let tmp = data.join(format!(".{DB_FILE}.restoring"));
    std::fs::copy(&copy, &tmp).context("cannot copy the database")?;
    std::fs::File::open(&tmp)?.sync_all()?;
    std::fs::rename(&tmp, data.join(DB_FILE))?;
    crate::data_dir::keep_database_private(data)?;
    let files = copy_tree(&from.join("media"), &data.join("media"))?;
    // Opening it brings its schema up to this version's.
    let store = SqlStore::connect(&sqlite_url(data))
        .await
        .context("the restored database does not open")?;
    store.close().await;
    println!(
        "Restored {} into {} with {files} media files; start the server on it (its search index is rebuilt at start).",
        from.display(),
        data.display()
    );
    Ok(())
}

/// Copies the files of `from` (if it exists) into `to`; answers how many.
fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<usize> {
    if !from.exists() {
        return Ok(0);
    }
    std::fs::create_dir_all(to)?;
    let mut n = 0;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target: PathBuf = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            n += copy_tree(&entry.path(), &target)?;
        } else if !entry.file_name().to_string_lossy().starts_with('.') {
            std::fs::copy(entry.path(), &target)?;
            n += 1;
        }
    }
    Ok(n)
}
