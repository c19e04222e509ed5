//! `newsdesk import disqus`: a Disqus export's comments attached to the site's stories, each
//! thread found by its identifier (a WordPress post imported here, or a slug) or by its address
//! (a story's new one, or an old one an import brought); threads whose story is not found are
//! listed, never guessed. Applied in one transaction, keyed by Disqus's ids.

pub mod read;

use crate::wordpress::addresses::path_of;
use crate::wordpress::comments::comment_text;
use crate::wordpress::text::digest;
use chrono::{DateTime, Utc};
use newsdesk_core::comment::CommentStatus;
use newsdesk_core::import::{
    old_address_key, CommentHome, ImportOutcome, ImportPlan, ImportedComment, OldTarget,
};
use newsdesk_core::slug::is_valid_slug;
use newsdesk_core::{ArticleId, Store, StoreError};
use read::{Post, Thread};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;
use std::path::PathBuf;

pub struct Options {
    pub file: PathBuf,
    pub dry_run: bool,
}

#[derive(Debug, Default)]
pub struct Report {
    pub file: String,
    pub threads_found: usize,
    /// Threads whose story is not on the site: what they said, and their comment counts.
    pub unknown: Vec<String>,
    pub comments: BTreeMap<&'static str, usize>,
    pub skipped: Vec<String>,
}

impl Report {
    fn skip(&mut self, why: String) {
        self.skipped.push(why);
    }

    pub fn render(&self, outcome: Option<&ImportOutcome>) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Disqus export {}:", self.file);
        let _ = writeln!(out, "  threads attached to stories: {}", self.threads_found);
        let states = crate::wordpress::report::states_tail(&self.comments);
        match outcome {
            Some(o) => {
                for k in &o.kept {
                    let _ = writeln!(out, "  kept: {k}");
                }
                let t = o.comments;
                let _ = writeln!(
                    out,
                    "  comments: {} ({} new, {} updated, {} unchanged{states})",
                    t.total(),
                    t.added,
                    t.updated,
                    t.unchanged
                );
            }
            None => {
                let n: usize = self.comments.values().sum();
                let _ = writeln!(out, "  comments: {n} to import{states}");
            }
        }
        if !self.unknown.is_empty() {
            let _ = writeln!(
                out,
                "Threads whose story is not on this site ({}), left out:",
                self.unknown.len()
            );
            for u in &self.unknown {
                let _ = writeln!(out, "  {u}");
            }
        }
        if !self.skipped.is_empty() {
            let _ = writeln!(out, "Not imported ({}):", self.skipped.len());
            for s in &self.skipped {
                let _ = writeln!(out, "  {s}");
            }
        }
        out
    }
}

pub struct Done {
    pub report: Report,
    pub outcome: Option<ImportOutcome>,
}

/// The slug of a live or unpublished story by its id.
async fn slug_of_id(store: &dyn Store, id: ArticleId) -> Result<Option<String>, StoreError> {
    Ok(store
        .articles_by_ids(&[id])
        .await?
        .into_iter()
        .next()
        .map(|a| a.slug))
}

/// An address's host without `www.`, lower-cased; empty for a path.
fn host_of(url: &str) -> String {
    url.split_once("://")
        .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(""))
        .unwrap_or("")
        .to_lowercase()
        .trim_start_matches("www.")
        .to_string()
}

/// The story an address names: its new address (`/news/slug`) or an old one an import kept.
/// An address on another host than the sites imported here names nothing.
async fn by_address(
    store: &dyn Store,
    url: &str,
    hosts: &HashSet<String>,
) -> Result<Option<String>, StoreError> {
    let host = host_of(url);
    if !host.is_empty() && !hosts.is_empty() && !hosts.contains(&host) {
        return Ok(None);
    }
    let Some((path, query)) = path_of(url) else {
        return Ok(None);
    };
    if let Some(slug) = path.strip_prefix("/news/") {
        let slug = slug.trim_end_matches('/');
        if let Some(a) = store.find_article(slug).await? {
            return Ok(Some(a.slug));
        }
    }
    match store
        .old_address(&old_address_key(&path, query.as_deref()))
        .await?
    {
        Some(OldTarget::Story(id)) => slug_of_id(store, id).await,
        _ => Ok(None),
    }
}

/// The story a thread belongs to, found by its identifier first, then by its address.
async fn home_of(
    store: &dyn Store,
    t: &Thread,
    hosts: &HashSet<String>,
) -> Result<Option<String>, StoreError> {
    let ident = t.identifier.trim();
    if let Some((id, url)) = ident.split_once(' ') {
        // The WordPress plugin's identifier: the post's id and its short address.
        if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
            let origin = url
                .split_once("://")
                .map(|(_, rest)| rest.split('/').next().unwrap_or(""))
                .unwrap_or("")
                .to_lowercase();
            for scheme in ["http", "https"] {
                let source = format!("wordpress:{scheme}://{origin}");
                if let Some(local) = store.imported_id(&source, "story", id).await? {
                    if let Some(slug) = slug_of_id(store, ArticleId(local)).await? {
                        return Ok(Some(slug));
                    }
                }
            }
        }
    }
    if is_valid_slug(ident) {
        if let Some(a) = store.find_article(ident).await? {
            return Ok(Some(a.slug));
        }
    }
    if ident.starts_with("http") || ident.starts_with('/') {
        if let Some(slug) = by_address(store, ident, hosts).await? {
            return Ok(Some(slug));
        }
    }
    by_address(store, &t.link, hosts).await
}

/// Posts of one thread, parents before their replies, each in time order.
fn in_thread_order<'a>(posts: &[&'a Post]) -> Vec<&'a Post> {
    let ids: HashSet<&str> = posts.iter().map(|p| p.dsq_id.as_str()).collect();
    let mut children: HashMap<Option<&str>, Vec<&'a Post>> = HashMap::new();
    for p in posts {
        let parent = p
            .parent
            .as_deref()
            .filter(|id| ids.contains(id) && *id != p.dsq_id);
        children.entry(parent).or_default().push(p);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| a.created_at.cmp(&b.created_at));
    }
    let mut out = Vec::with_capacity(posts.len());
    let mut stack: Vec<&'a Post> = children.get(&None).cloned().unwrap_or_default();
    stack.reverse();
    let mut seen = HashSet::new();
    while let Some(p) = stack.pop() {
        if !seen.insert(p.dsq_id.as_str()) {
            continue;
        }
        out.push(p);
        if let Some(kids) = children.get(&Some(p.dsq_id.as_str())) {
            stack.extend(kids.iter().rev());
        }
    }
    // A loop of parents leaves posts unreached: they join at the top.
    for p in posts {
        if !seen.contains(p.dsq_id.as_str()) {
            out.push(p);
        }
    }
    out
}

fn comment(
    p: &Post,
    slug: &str,
    thread: &HashSet<&str>,
    report: &mut Report,
    file: &str,
) -> Option<ImportedComment> {
    let status = if p.spam {
        CommentStatus::Spam
    } else if p.deleted {
        CommentStatus::Deleted
    } else {
        CommentStatus::Published
    };
    let Ok(created_at) = DateTime::parse_from_rfc3339(p.created_at.trim()) else {
        report.skip(format!(
            "{file}:{}: post {}: its time '{}' cannot be read",
            p.line, p.dsq_id, p.created_at
        ));
        return None;
    };
    let body = comment_text(&p.message);
    if body.is_empty() && status == CommentStatus::Published {
        report.skip(format!("{file}:{}: post {}: it is empty", p.line, p.dsq_id));
        return None;
    }
    let name: String = [p.name.trim(), p.username.trim()]
        .into_iter()
        .find(|n| !n.is_empty())
        .unwrap_or("Anonymous")
        .chars()
        .filter(|c| !c.is_control())
        .take(80)
        .collect();
    let email = crate::wordpress::text::clean_field(&p.email)
        .filter(|e| e.contains('@') && e.len() < 200)
        .map(str::to_string);
    *report.comments.entry(status.as_str()).or_default() += 1;
    Some(ImportedComment {
        external_id: p.dsq_id.clone(),
        digest: digest(&[
            &name,
            &body,
            status.as_str(),
            email.as_deref().unwrap_or(""),
        ]),
        home: CommentHome::Slug(slug.to_string()),
        // A reply answers a post of its own thread, or joins it at the top.
        parent: p.parent.clone().filter(|id| thread.contains(id.as_str())),
        name,
        url: None,
        email,
        body,
        status,
        created_at: created_at.with_timezone(&Utc),
        archive_id: None,
    })
}

/// Reads and (unless `dry_run`) applies a Disqus export.
pub async fn import(store: &dyn Store, options: &Options) -> anyhow::Result<Done> {
    let file = options.file.display().to_string();
    let bytes =
        std::fs::read(&options.file).map_err(|e| anyhow::anyhow!("cannot read {file}: {e}"))?;
    let export = read::parse(&bytes)
        .map_err(|(line, message)| anyhow::anyhow!("{file}:{line}: {message}"))?;
    let mut report = Report {
        file: file.clone(),
        ..Default::default()
    };
    let mut by_thread: HashMap<&str, Vec<&Post>> = HashMap::new();
    for p in &export.posts {
        by_thread.entry(p.thread.as_str()).or_default().push(p);
    }
    let mut plan = ImportPlan {
        source: format!("disqus:{}", export.forum.to_lowercase()),
        owner: "import:disqus".into(),
        ..Default::default()
    };
    // The hosts of the sites imported here: a thread's address must be on one of them.
    let hosts: HashSet<String> = store
        .import_sources()
        .await?
        .iter()
        .filter_map(|s| s.strip_prefix("wordpress:"))
        .map(host_of)
        .filter(|h| !h.is_empty())
        .collect();
    for t in export.threads.iter().filter(|t| !t.deleted) {
        let posts = by_thread.remove(t.dsq_id.as_str()).unwrap_or_default();
        match home_of(store, t, &hosts).await? {
            Some(slug) => {
                report.threads_found += 1;
                let ids: HashSet<&str> = posts.iter().map(|p| p.dsq_id.as_str()).collect();
                for p in in_thread_order(&posts) {
                    if let Some(c) = comment(p, &slug, &ids, &mut report, &file) {
                        plan.comments.push(c);
                    }
                }
            }
            None => report.unknown.push(format!(
                "thread {} \"{}\" at {}{}: {} comment(s)",
                t.dsq_id,
                t.title,
                t.link,
                if t.identifier.is_empty() {
                    String::new()
                } else {
                    format!(" (identifier {})", t.identifier)
                },
                posts.len()
            )),
        }
    }
    for (thread, posts) in by_thread {
        report.skip(format!(
            "{} post(s) of thread {thread}, which the file does not describe (or marks deleted)",
            posts.len()
        ));
    }
    if options.dry_run {
        return Ok(Done {
            report,
            outcome: None,
        });
    }
    let outcome = store.apply_import(&plan, Utc::now()).await?;
    Ok(Done {
        report,
        outcome: Some(outcome),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(id: &str, parent: Option<&str>, at: &str) -> Post {
        Post {
            dsq_id: id.into(),
            parent: parent.map(str::to_string),
            created_at: at.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_host_is_read_without_www_and_its_case() {
        assert_eq!(
            host_of("https://WWW.News.example.org/a/?b"),
            "news.example.org"
        );
        assert_eq!(host_of("/news/a"), "");
    }

    #[test]
    fn replies_come_after_their_parents_whatever_the_file_order() {
        let (a, b, c) = (
            post("3", Some("2"), "3"),
            post("2", Some("1"), "2"),
            post("1", None, "1"),
        );
        let order: Vec<&str> = in_thread_order(&[&a, &b, &c])
            .iter()
            .map(|p| p.dsq_id.as_str())
            .collect();
        assert_eq!(order, ["1", "2", "3"]);
        let (x, y) = (post("8", Some("9"), "1"), post("9", Some("8"), "2"));
        assert_eq!(
            in_thread_order(&[&x, &y]).len(),
            2,
            "a loop still writes every post"
        );
    }
}
