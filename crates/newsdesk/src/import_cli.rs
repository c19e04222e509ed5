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
    store.close().await;
    let done = result.map_err(|e| anyhow::anyhow!("nothing was imported: {e:#}"))?;
    print!("{}", done.report.render(done.outcome.as_ref()));
    for email in &done.accounts {
        println!("  account made (no password yet; send a link from /admin/people): {email}");
    }
    if options.dry_run {
        println!("Dry run: nothing was changed.");
    } else {
        println!("Imported in {:.1} s.", started.elapsed().as_secs_f64());
    }
    Ok(())
}
