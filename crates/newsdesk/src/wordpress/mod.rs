//! `newsdesk import wordpress`: a WordPress export (WXR) read, planned and applied in one
//! transaction, with a report of everything taken, changed on the way, or left out.

pub mod addresses;
pub mod body;
pub mod comments;
pub mod export;
pub mod plan;
pub mod report;
pub mod text;
pub mod uploads;
pub mod wxr;

use chrono::Utc;
use newsdesk_core::import::{ImportOutcome, ImportPlan};
use newsdesk_core::newsroom::author_slug;
use newsdesk_core::people::AuthorProfile;
use newsdesk_core::{Conflict, Role, Store, StoreError};
use report::Report;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

pub struct Options {
    pub file: PathBuf,
    pub uploads: Option<PathBuf>,
    pub dry_run: bool,
    /// Make a newsroom account without a password for each author with an email.
    pub staff: bool,
    pub max_pixels: u64,
}

/// What a run did: its report, and (unless it was a dry run) what the store wrote.
pub struct Done {
    pub report: Report,
    pub outcome: Option<ImportOutcome>,
    pub accounts: Vec<String>,
}

/// Reads, plans and (unless `dry_run`) applies an export. `tick` is called once per item.
pub async fn import(
    store: &dyn Store,
    options: &Options,
    total: impl Fn(u64),
    tick: impl Fn(),
) -> anyhow::Result<Done> {
    let bytes = std::fs::read(&options.file)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", options.file.display()))?;
    let wxr = wxr::parse(&bytes)
        .map_err(|e| anyhow::anyhow!("{}:{}: {}", options.file.display(), e.line, e.message))?;
    total(wxr.items.len() as u64);
    let (plan, mut report) = make_plan(store, &wxr, options, tick).await?;
    report.addresses = plan.addresses.len();
    if options.dry_run {
        return Ok(Done {
            report,
            outcome: None,
            accounts: Vec::new(),
        });
    }
    let outcome = store.apply_import(&plan, Utc::now()).await?;
    let accounts = if options.staff {
        make_accounts(store, &wxr, &mut report).await?
    } else {
        Vec::new()
    };
    Ok(Done {
        report,
        outcome: Some(outcome),
        accounts,
    })
}

async fn make_plan(
    store: &dyn Store,
    wxr: &wxr::Wxr,
    options: &Options,
    tick: impl Fn(),
) -> anyhow::Result<(ImportPlan, Report)> {
    let now = Utc::now();
    let mut report = Report {
        file: options.file.display().to_string(),
        ..Default::default()
    };
    let ctx = plan::Context::new(wxr);
    let mut out = plan::empty(wxr);
    let secret = store
        .shared_secret("reader_keys", &crate::services::readers::new_secret())
        .await?;
    let key = crate::services::readers::ReaderKeys::new(&secret, false)?
        .mail_key()
        .to_vec();
    let mut uploads = uploads::Uploads::new(
        options.uploads.clone(),
        store,
        key,
        options.max_pixels,
        options.dry_run,
    );
    // Page slugs the site uses for pages this source did not bring.
    let mut taken: HashSet<String> = HashSet::new();
    let ours = pages_of_source(store, &out.source, wxr).await?;
    for p in store.site_pages().await? {
        if !ours.contains(&p.id.0) {
            taken.insert(p.slug);
        }
    }
    let mut stories = Vec::new();
    let mut pages = Vec::new();
    let mut sections: HashMap<String, String> = HashMap::new();
    let mut ids_seen: HashSet<&str> = HashSet::new();
    for item in &wxr.items {
        tick();
        if !ids_seen.insert(item.post_id.as_str()) {
            let name = report.name(item);
            report.skip(format!(
                "{name}: another item of the file has the id {}",
                item.post_id
            ));
            continue;
        }
        match item.post_type.as_str() {
            "post" => match plan::story(item, &ctx, &mut uploads, &mut report, now).await {
                Ok(s) => {
                    if let Some(cat) = item.terms.iter().find(|t| t.domain == "category") {
                        sections.insert(cat.slug.clone(), s.fields.section.clone());
                    }
                    stories.push((item, s.external_id.clone()));
                    out.stories.push(s);
                }
                Err(why) => {
                    let name = report.name(item);
                    report.skip(format!("{name}: {why}"));
                }
            },
            "page" => match plan::page(item, &ctx, &mut uploads, &mut report, &taken).await {
                Ok(p) => {
                    taken.insert(p.fields.slug.clone());
                    pages.push((item, p.external_id.clone()));
                    out.pages.push(p);
                }
                Err(why) => {
                    let name = report.name(item);
                    report.skip(format!("{name}: {why}"));
                }
            },
            "attachment" => report.attachments += 1,
            other => *report.other_kinds.entry(other.to_string()).or_default() += 1,
        }
    }
    report.posts = out.stories.len();
    report.pages = out.pages.len();
    out.comments = comments::comments(&stories, &mut report);
    let skipped_items: Vec<&wxr::Item> = wxr
        .items
        .iter()
        .filter(|i| i.post_type == "post" && !stories.iter().any(|(s, _)| s.post_id == i.post_id))
        .collect();
    for item in skipped_items {
        let n = item.comments.len();
        if n > 0 {
            let name = report.name(item);
            report.skip(format!("{name}: its {n} comment(s), with the post"));
        }
    }
    out.addresses = addresses::collect(wxr, &stories, &pages, &sections, &ctx.bylines);
    // An attachment's own page leads to the story it belongs to; a picture's old file to the
    // picture here, when it was taken from the uploads folder.
    let mut more = addresses::Addresses::default();
    for kept in &out.addresses {
        more.keep(kept.clone());
    }
    for item in wxr.items.iter().filter(|i| i.post_type == "attachment") {
        if stories.iter().any(|(s, _)| s.post_id == item.post_parent) {
            more.add_url(
                &item.link,
                newsdesk_core::import::AddressTarget::Story(item.post_parent.clone()),
            );
        }
    }
    for (old, new) in uploads.moved() {
        more.add_url(&old, newsdesk_core::import::AddressTarget::Path(new));
    }
    out.addresses = more.into_vec();
    report.pictures = uploads.taken;
    Ok((out, report))
}

/// The local ids of the pages an earlier import of this source brought.
async fn pages_of_source(
    store: &dyn Store,
    source: &str,
    wxr: &wxr::Wxr,
) -> Result<HashSet<i64>, StoreError> {
    let mut ids = HashSet::new();
    for item in wxr.items.iter().filter(|i| i.post_type == "page") {
        if let Some(id) = store.imported_id(source, "page", &item.post_id).await? {
            ids.insert(id);
        }
    }
    Ok(ids)
}

/// Newsroom accounts, without a password, for the export's authors who wrote a story taken;
/// an admin sends each a link from the newsroom's people page.
async fn make_accounts(
    store: &dyn Store,
    wxr: &wxr::Wxr,
    report: &mut Report,
) -> anyhow::Result<Vec<String>> {
    let ctx = plan::Context::new(wxr);
    let writers: HashSet<&str> = wxr
        .items
        .iter()
        .filter(|i| i.post_type == "post")
        .map(|i| i.creator.as_str())
        .collect();
    let mut made = Vec::new();
    for a in &wxr.authors {
        if !writers.contains(a.login.as_str()) {
            continue;
        }
        let email = a.email.trim();
        if !email.contains('@') {
            report.note(format!(
                "author {}: no account, since the export gives no email",
                a.login
            ));
            continue;
        }
        match store
            .create_user(email, "", Role::Author, false, Utc::now())
            .await
        {
            Ok(user) => {
                let name = ctx.bylines.get(&a.login).cloned().unwrap_or_default();
                let profile = AuthorProfile {
                    name: name.clone(),
                    ..Default::default()
                };
                if let Err(e) = store
                    .set_profile(user.id, &profile, &author_slug(&name))
                    .await
                {
                    report.note(format!(
                        "author {}: the byline could not be claimed: {e}",
                        a.login
                    ));
                }
                made.push(email.to_string());
            }
            Err(StoreError::Conflict(Conflict::Email(_))) => {
                report.note(format!(
                    "author {}: {email} has an account already",
                    a.login
                ));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(made)
}
