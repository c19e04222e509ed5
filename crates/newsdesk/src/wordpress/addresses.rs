//! The addresses a WordPress site answered, each kept with what it now stands for: every
//! post and page by the link the export gives and by the other permalink forms WordPress
//! answers (`/YYYY/MM/DD/slug/`, `/YYYY/MM/slug/`, `/slug/`, `/?p=ID`, `/archives/ID`),
//! their feeds, categories, tags, authors and the site's feeds.

use super::wxr::{Item, Wxr};
use crate::services::links;
use newsdesk_core::import::{old_address_key, AddressTarget, OldAddress};
use newsdesk_core::newsroom::author_slug;
use std::collections::{HashMap, HashSet};

/// The path and query of an address on the old site.
pub fn path_of(url: &str) -> Option<(String, Option<String>)> {
    let rest = url.trim();
    let rest = rest
        .strip_prefix("https://")
        .or_else(|| rest.strip_prefix("http://"))
        .map(|r| r.find('/').map_or("/", |i| &r[i..]))
        .unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let rest = rest.split('#').next().unwrap_or(rest);
    Some(match rest.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (rest.to_string(), None),
    })
}

/// Collects addresses, the first claim on an address winning.
#[derive(Default)]
pub struct Addresses {
    kept: Vec<OldAddress>,
    seen: HashSet<String>,
}

impl Addresses {
    fn add(&mut self, path: &str, query: Option<&str>, target: AddressTarget) {
        let key = old_address_key(path, query);
        // The site's home stays the home, and its own addresses (and their near misses, such
        // as a trailing slash) stay its own, whatever an old link said.
        if key == "/" || is_own_address(&key) || !self.seen.insert(key.clone()) {
            return;
        }
        self.kept.push(OldAddress { key, target });
    }

    /// Keeps an address already made.
    pub fn keep(&mut self, address: OldAddress) {
        if self.seen.insert(address.key.clone()) {
            self.kept.push(address);
        }
    }

    pub fn add_url(&mut self, url: &str, target: AddressTarget) {
        if let Some((p, q)) = path_of(url) {
            self.add(&p, q.as_deref(), target);
        }
    }

    pub fn into_vec(self) -> Vec<OldAddress> {
        self.kept
    }
}

/// Whether a key falls where this site's own routes answer (a story's page, a section, the
/// newsroom, the API, files, feeds and maps): an old address there would shadow this site.
fn is_own_address(key: &str) -> bool {
    const PREFIXES: [&str; 8] = [
        "/news/",
        "/section/",
        "/media/",
        "/admin",
        "/api/",
        "/static/",
        "/sitemaps/",
        "/healthz",
    ];
    const FILES: [&str; 9] = [
        "/feed.xml",
        "/atom.xml",
        "/feed.json",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/robots.txt",
        "/corrections",
        "/corrections.xml",
        "/search",
    ];
    let path = key.split('?').next().unwrap_or(key);
    PREFIXES.iter().any(|p| path.starts_with(p)) || FILES.contains(&path)
}

/// The path the old site lived under (`/blog` for `http://x.example/blog`), or nothing.
fn base_path(wxr: &Wxr) -> String {
    let base = if wxr.base_blog_url.is_empty() {
        &wxr.link
    } else {
        &wxr.base_blog_url
    };
    path_of(base)
        .map(|(p, _)| p.trim_end_matches('/').to_string())
        .unwrap_or_default()
}

/// Every address of the posts and pages taken, and of the terms and authors they use.
pub fn collect(
    wxr: &Wxr,
    stories: &[(&Item, String)],
    pages: &[(&Item, String)],
    sections: &HashMap<String, String>,
    bylines: &HashMap<String, String>,
) -> Vec<OldAddress> {
    let base = base_path(wxr);
    let mut a = Addresses::default();
    // Pages first: on WordPress, a page's /slug/ wins over a post's.
    for (item, _) in pages {
        let target = || AddressTarget::Page(item.post_id.clone());
        a.add_url(&item.link, target());
        a.add(
            &format!("{base}/"),
            Some(&format!("page_id={}", item.post_id)),
            target(),
        );
        a.add(&format!("{base}/{}", item.post_name), None, target());
    }
    for (item, _) in stories {
        let id = &item.post_id;
        let story = || AddressTarget::Story(id.clone());
        let comments = || AddressTarget::StoryComments(id.clone());
        let mut forms = Vec::new();
        if let Some((p, q)) = path_of(&item.link) {
            if q.is_none() {
                forms.push(p.trim_end_matches('/').to_string());
            }
            a.add(&p, q.as_deref(), story());
        }
        a.add(&format!("{base}/"), Some(&format!("p={id}")), story());
        if !item.post_name.is_empty() {
            let date = item.post_date.get(..10).unwrap_or("").replace('-', "/");
            if date.len() == 10 && date.bytes().all(|b| b.is_ascii_digit() || b == b'/') {
                forms.push(format!("{base}/{date}/{}", item.post_name));
                forms.push(format!("{base}/{}/{}", &date[..7], item.post_name));
            }
            forms.push(format!("{base}/{}", item.post_name));
        }
        forms.push(format!("{base}/archives/{id}"));
        for form in &forms {
            a.add(form, None, story());
            a.add(&format!("{form}/feed"), None, comments());
            a.add(&format!("{form}/feed/rss2"), None, comments());
            a.add(&format!("{form}/comments/feed"), None, comments());
        }
    }
    let mut used_tags: HashSet<&str> = HashSet::new();
    let mut categories: HashMap<&str, &str> = HashMap::new();
    let mut authors: HashSet<&str> = HashSet::new();
    for (item, _) in stories {
        authors.insert(&item.creator);
        for t in &item.terms {
            match t.domain.as_str() {
                "category" => {
                    categories.insert(&t.slug, &t.name);
                }
                "post_tag" => {
                    used_tags.insert(&t.name);
                }
                _ => {}
            }
        }
    }
    for (slug, name) in categories {
        let path = match sections.get(slug) {
            Some(section) => links::section_path(section),
            None => links::tag_path(&super::text::plain(name).to_lowercase()),
        };
        // Nested categories answer under their parents' path too; the last part names them.
        for cat in wxr.categories.iter().filter(|c| c.slug == slug) {
            let full = category_path(wxr, &cat.slug);
            a.add(
                &format!("{base}/category/{full}"),
                None,
                AddressTarget::Path(path.clone()),
            );
            a.add(
                &format!("{base}/category/{full}/feed"),
                None,
                AddressTarget::Path(format!("{path}/feed.xml")),
            );
        }
        a.add(
            &format!("{base}/category/{slug}"),
            None,
            AddressTarget::Path(path.clone()),
        );
        a.add(
            &format!("{base}/category/{slug}/feed"),
            None,
            AddressTarget::Path(format!("{path}/feed.xml")),
        );
    }
    for t in &wxr.tags {
        if used_tags.contains(t.name.as_str()) {
            let path = links::tag_path(&super::text::plain(&t.name).to_lowercase());
            a.add(
                &format!("{base}/tag/{}", t.slug),
                None,
                AddressTarget::Path(path.clone()),
            );
            a.add(
                &format!("{base}/tag/{}/feed", t.slug),
                None,
                AddressTarget::Path(format!("{path}/feed.xml")),
            );
        }
    }
    for author in &wxr.authors {
        if !authors.contains(author.login.as_str()) {
            continue;
        }
        let Some(byline) = bylines.get(&author.login) else {
            continue;
        };
        let path = links::author_path(&author_slug(byline));
        let nicename = newsdesk_core::slug::slugify(&author.login, 100);
        a.add(
            &format!("{base}/author/{nicename}"),
            None,
            AddressTarget::Path(path.clone()),
        );
        a.add(
            &format!("{base}/author/{nicename}/feed"),
            None,
            AddressTarget::Path(format!("{path}/feed.xml")),
        );
        a.add(
            &format!("{base}/"),
            Some(&format!("author={}", author.id)),
            AddressTarget::Path(path),
        );
    }
    for (old, new) in [
        ("feed", "/feed.xml"),
        ("feed/rss2", "/feed.xml"),
        ("feed/rss", "/feed.xml"),
        ("feed/atom", "/atom.xml"),
        ("comments/feed", "/feed.xml"),
    ] {
        a.add(
            &format!("{base}/{old}"),
            None,
            AddressTarget::Path(new.into()),
        );
    }
    for (feed, new) in [
        ("rss2", "/feed.xml"),
        ("rss", "/feed.xml"),
        ("atom", "/atom.xml"),
    ] {
        a.add(
            &format!("{base}/"),
            Some(&format!("feed={feed}")),
            AddressTarget::Path(new.into()),
        );
    }
    a.into_vec()
}

/// A category's path with its parents' slugs before its own (`news/local`).
fn category_path(wxr: &Wxr, slug: &str) -> String {
    let mut parts = vec![slug.to_string()];
    let mut current = slug.to_string();
    for _ in 0..10 {
        let Some(parent) = wxr
            .categories
            .iter()
            .find(|c| c.slug == current)
            .map(|c| c.parent.clone())
            .filter(|p| !p.is_empty())
        else {
            break;
        };
        parts.push(parent.clone());
        current = parent;
    }
    parts.reverse();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_old_address_never_shadows_one_of_this_sites_own() {
        let mut a = Addresses::default();
        for path in [
            "/news/existing-story/",
            "/feed.xml/",
            "/admin/",
            "/2026/05/14/quay/",
        ] {
            a.add(path, None, AddressTarget::Story("1".into()));
        }
        let kept: Vec<String> = a.into_vec().into_iter().map(|k| k.key).collect();
        assert_eq!(kept, ["/2026/05/14/quay"]);
    }

    #[test]
    fn an_address_is_read_as_its_path_and_query() {
        assert_eq!(
            path_of("http://news.example.org/2026/05/14/quay/#comment-3"),
            Some(("/2026/05/14/quay/".into(), None))
        );
        assert_eq!(
            path_of("http://news.example.org/?p=12"),
            Some(("/".into(), Some("p=12".into())))
        );
        assert_eq!(path_of("http://news.example.org"), Some(("/".into(), None)));
    }
}
