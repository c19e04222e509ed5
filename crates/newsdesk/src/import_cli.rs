//! The import commands that read another platform's export: a progress bar on a terminal, the
//! report on standard output, and an error (naming the file and line) when nothing was written.

use crate::store_args::StoreArgs;
use clap::Subcommand;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import every story file (*.md) of a folder, all or nothing.
    Stories {
        dir: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Import a WordPress export (Tools → Export → All content): posts, pages, authors,
    /// comments and pictures, all or nothing; again with a newer export, only what changed.
    Wordpress {
        /// The export file (WXR).
        file: PathBuf,
        /// A copy of the site's wp-content/uploads folder: pictures found there are kept here.
        #[arg(long)]
        uploads: Option<PathBuf>,
        /// Print the report and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Make a newsroom account (author, no password yet) for each author with an email.
        #[arg(long)]
        staff: bool,
        /// The most pixels a picture may have, in megapixels.
        #[arg(long, env = "NEWSDESK_MAX_PICTURE_MEGAPIXELS", default_value_t = 60)]
        max_picture_megapixels: u64,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Import a Disqus export's comments onto the stories they belong to (found by identifier
    /// or address, old or new); threads whose story is not here are listed, not guessed.
    Disqus {
        /// The export file (Disqus admin → Export).
        file: PathBuf,
        /// Print the report and change nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Write every story, drafts included, as a story file into a folder.
    Stories {
        dir: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Write the whole site as a WordPress export (WXR 1.2): stories, pages, authors,
    /// sections as categories, tags and every comment with its thread and state.
    Wordpress {
        file: PathBuf,
        /// The site's address, as links in the file give it.
        #[arg(
            long,
            env = "NEWSDESK_BASE_URL",
            default_value = "http://localhost:8080"
        )]
        base_url: String,
        /// The site's name, as the file's title.
        #[arg(long, env = "NEWSDESK_SITE_NAME", default_value = "The Avel Courier")]
        site_name: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

pub async fn wordpress(
    options: &crate::wordpress::Options,
    store_args: &StoreArgs,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let bar = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(0).with_style(
            indicatif::ProgressStyle::with_template(
                "{elapsed_precise} [{bar:40}] {pos}/{len} items, {per_sec}, {eta} left",
            )?
            .progress_chars("=> "),
        )
    } else {
        indicatif::ProgressBar::hidden()
    };
    let store = store_args.open().await?;
    let result =
        crate::wordpress::import(&store, options, |n| bar.set_length(n), || bar.inc(1)).await;
    bar.finish_and_clear();
    if let Ok(done) = &result {
        if let Some(o) = &done.outcome {
            record(&store, options.file.display(), o).await;
        }
    }
    store.close().await;
    let done = result.map_err(|e| anyhow::anyhow!("nothing was imported: {e:#}"))?;
    say(&done.report.render(done.outcome.as_ref()));
    for email in &done.accounts {
        sayln(format!(
            "  account made (no password yet; send a link from /admin/people): {email}"
        ));
    }
    if options.dry_run {
        say("Dry run: nothing was changed.\n");
    } else {
        sayln(format!(
            "Imported in {:.1} s.",
            started.elapsed().as_secs_f64()
        ));
    }
    Ok(())
}

pub async fn disqus(
    options: &crate::disqus::Options,
    store_args: &StoreArgs,
) -> anyhow::Result<()> {
    let store = store_args.open().await?;
    let result = crate::disqus::import(&store, options).await;
    if let Ok(done) = &result {
        if let Some(o) = &done.outcome {
            record(&store, options.file.display(), o).await;
        }
    }
    store.close().await;
    let done = result.map_err(|e| anyhow::anyhow!("nothing was imported: {e:#}"))?;
    say(&done.report.render(done.outcome.as_ref()));
    if options.dry_run {
        say("Dry run: nothing was changed.\n");
    }
    Ok(())
}

/// An import in the audit log: which file, and what it did.
async fn record(
    store: &dyn newsdesk_core::Store,
    file: impl std::fmt::Display,
    o: &newsdesk_core::import::ImportOutcome,
) {
    let detail = format!(
        "stories {}+{}, pages {}+{}, comments {}+{} (new+updated)",
        o.stories.added,
        o.stories.updated,
        o.pages.added,
        o.pages.updated,
        o.comments.added,
        o.comments.updated
    );
    crate::services::audit::record_in(
        store,
        &crate::services::audit::Who::new("cli", ""),
        newsdesk_core::audit::AuditAction::SiteImported,
        &file.to_string(),
        &detail,
    )
    .await;
}

pub async fn export_wordpress(
    file: &std::path::Path,
    base_url: &str,
    site_name: &str,
    store_args: &StoreArgs,
) -> anyhow::Result<()> {
    let store = store_args.open().await?;
    // The site's own name, as admins set it, wins over the flag's default.
    let name = newsdesk_core::Store::settings(&store)
        .await?
        .into_iter()
        .find(|(k, _)| k == "site_name")
        .map_or_else(|| site_name.to_string(), |(_, v)| v);
    let result = crate::wordpress::export::export(&store, file, base_url, &name).await;
    store.close().await;
    let w = result?;
    sayln(format!(
        "Exported {} stories, {} pages, {} comments and {} authors to {}.",
        w.posts,
        w.pages,
        w.comments,
        w.authors,
        file.display()
    ));
    Ok(())
}

/// Writes to standard output; a reader that went away (`| head`) is not an error.
fn say(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().write_all(text.as_bytes());
}

fn sayln(text: String) {
    say(&text);
    say("\n");
}
