//! The import commands that read another platform's export: a progress bar on a terminal, the
//! report on standard output, and an error (naming the file and line) when nothing was written.

use crate::store_args::StoreArgs;
use std::io::IsTerminal;

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
