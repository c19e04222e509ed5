//! The demo site: stories and pictures written for this project, built into the binary and
//! loaded into an empty site by `serve --demo`.

use anyhow::Context;
use chrono::{DateTime, Utc};
use include_dir::{include_dir, Dir};
use newsdesk_core::{newsroom, ArticleFields, ArticleFilter, ArticleStatus, PageRequest, Store};
use std::path::Path;

static DEMO: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../demo");

/// The demo stories, parsed; their dates are moved so the newest story is half an hour old.
pub fn stories(now: DateTime<Utc>) -> anyhow::Result<Vec<ArticleFields>> {
    let dir = DEMO
        .get_dir("stories")
        .context("the demo stories are missing from the build")?;
    let mut files: Vec<_> = dir
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort_by_key(|f| f.path());
    let parsed = crate::storyfile::parse_all(
        files.iter().map(|f| {
            (
                f.path(),
                f.contents_utf8().ok_or_else(|| "not UTF-8".to_string()),
            )
        }),
        now,
    )
    .map_err(|errors| anyhow::anyhow!("demo stories are invalid:\n{}", join(&errors)))?;
    let mut stories: Vec<ArticleFields> = parsed.into_iter().map(|(_, f)| f).collect();
    let newest = stories
        .iter()
        .filter(|s| s.status == ArticleStatus::Published)
        .filter_map(|s| s.published_at)
        .max()
        .unwrap_or(now);
    let shift = (now - chrono::Duration::minutes(30)) - newest;
    for s in &mut stories {
        s.published_at = s.published_at.map(|t| t + shift);
        // Drafts were started a day ago; a story was never created after it was published.
        let created = s
            .created_at
            .map(|t| t + shift)
            .or(s.published_at)
            .unwrap_or(now - chrono::Duration::days(1));
        s.created_at = Some(created.min(s.published_at.unwrap_or(created)));
        s.updated_at = Some(
            s.updated_at
                .map(|t| t + shift)
                .or(s.published_at)
                .unwrap_or(now),
        );
        for c in &mut s.corrections {
            c.at += shift;
        }
    }
    Ok(stories)
}

fn join<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(|i| format!("  {i}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Loads the demo into a site that has no stories yet, and its pictures into `data/media`.
pub async fn fill_if_empty(store: &dyn Store, data_dir: &Path) -> anyhow::Result<()> {
    let media_dir = data_dir.join("media");
    if let Some(media) = DEMO.get_dir("media") {
        for f in media.files() {
            let name = f.path().file_name().context("demo media without a name")?;
            let target = media_dir.join(name);
            if !target.exists() {
                std::fs::write(&target, f.contents())
                    .with_context(|| format!("cannot write {}", target.display()))?;
            }
        }
    }
    let now = Utc::now();
    let any = ArticleFilter::default();
    if store
        .list_articles(&any, PageRequest::page(1, 1), now)
        .await?
        .total
        > 0
    {
        tracing::info!("the site has stories already; demo content not loaded");
        return Ok(());
    }
    let stories = stories(now)?;
    let count = newsroom::import_batch(store, "demo", stories, now)
        .await
        .map_err(|problems| anyhow::anyhow!("demo stories failed to import: {problems:?}"))?;
    tracing::info!(count, "demo stories loaded");
    if store.site_pages().await?.is_empty() {
        for (position, page) in demo_pages().iter().enumerate() {
            let mut page = page.clone();
            page.position = position as i64;
            store.create_site_page(&page, "demo", now).await?;
        }
    }
    Ok(())
}

/// The site pages of the demo: who the paper is, and how to reach it.
fn demo_pages() -> Vec<newsdesk_core::pages::PageFields> {
    let page = |slug: &str, title: &str, body: &str| newsdesk_core::pages::PageFields {
        slug: slug.into(),
        title: title.into(),
        body: body.into(),
        published: true,
        in_footer: true,
        position: 0,
    };
    vec![
        page(
            "about",
            "About us",
            "The Avel Courier reports on Port Avel and the valley towns around it. We are a \
             newsroom of eleven, funded by our readers.\n\n## How we work\n\n\
             * Every claim we check carries its verdict and its sources.\n\
             * When we get something wrong we say so, on the story and on the \
             [corrections page](/corrections).\n\
             * Comments are open to everyone; our moderators keep them civil.",
        ),
        page(
            "contact",
            "Contact",
            "Write to the newsdesk at **desk@courier.example**, or come to the front office at \
             14 Quay Street, open on weekdays from nine to five.\n\n\
             To report a mistake in a story, use the address above with the story's headline.",
        ),
    ]
}
