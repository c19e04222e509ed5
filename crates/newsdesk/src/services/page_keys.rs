//! What shared caches (a CDN, Varnish) are told about each public page: how long they may
//! keep it, and the surrogate keys that name what it shows, so a change purges exactly the
//! pages it touched (`services::purge` sends the keys a change names).

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::response::Response;
use newsdesk_core::newsroom::author_slug;
use newsdesk_core::{Article, ArticleId};

/// Public pages: browsers ask again each time (a 304 is cheap), shared caches keep them five
/// minutes (purges make changes show at once), serve a stale copy for a minute while they
/// fetch a fresh one, and for a day while the site is down.
pub const PUBLIC_PAGE: HeaderValue = HeaderValue::from_static(
    "public, max-age=0, s-maxage=300, stale-while-revalidate=60, stale-if-error=86400",
);
/// Pages made for one visitor: never kept by anyone.
pub const PERSONAL_PAGE: HeaderValue = HeaderValue::from_static("private, no-store");

/// Fastly's and Varnish's header, space-separated.
pub const SURROGATE_KEY: HeaderName = HeaderName::from_static("surrogate-key");
/// Cloudflare's header, comma-separated.
pub const CACHE_TAG: HeaderName = HeaderName::from_static("cache-tag");

/// The key on every public page: the layout (site name, sections, footer pages, settings).
pub const SITE: &str = "site";
/// The front page.
pub const HOME: &str = "home";
/// Every feed of stories (site, section, tag and author feeds).
pub const FEEDS: &str = "feeds";
pub const SITEMAPS: &str = "sitemaps";
/// The corrections page and its feed.
pub const CORRECTIONS: &str = "corrections";
/// The most keys one page names, under the CDNs' header limits.
const MAX_KEYS: usize = 200;

/// What a page shows, as surrogate keys; a handler puts it in its answer's extensions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keys(Vec<String>);

impl Keys {
    pub fn new() -> Keys {
        Keys::default()
    }

    /// Adds a key such as `story-12`; characters a header list cannot carry become `_`.
    pub fn add(&mut self, kind: &str, name: impl std::fmt::Display) -> &mut Keys {
        let key: String = format!("{kind}-{name}")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .take(128)
            .collect();
        if !self.0.contains(&key) && self.0.len() < MAX_KEYS {
            self.0.push(key);
        }
        self
    }

    /// Adds a key with no name part, such as `home`.
    pub fn add_plain(&mut self, key: &str) -> &mut Keys {
        if !self.0.iter().any(|k| k == key) {
            self.0.push(key.to_string());
        }
        self
    }

    /// Adds the key of each story a page shows (by id).
    pub fn stories(&mut self, ids: impl IntoIterator<Item = i64>) -> &mut Keys {
        for id in ids {
            self.add("story", id);
        }
        self
    }

    /// The keys of everything a change to this story touches: its own pages and every list it
    /// is (or now joins) on. Lists it leaves name the story already.
    pub fn story_change(a: &Article) -> Keys {
        let mut keys = Keys::new();
        keys.add("story", a.id.0).add("slug", &a.slug);
        keys.add("section", &a.section);
        for t in &a.tags {
            keys.add("tag", t.to_lowercase());
        }
        for name in &a.authors {
            keys.add("author", author_slug(name));
        }
        for k in [HOME, FEEDS, SITEMAPS, CORRECTIONS] {
            keys.add_plain(k);
        }
        keys
    }

    /// The keys of a story's conversation: its page, comment pages and comment feed.
    pub fn thread(id: ArticleId) -> Keys {
        let mut keys = Keys::new();
        keys.add("thread", id.0);
        keys
    }

    /// Puts the keys in a page's answer, for the page cache to send.
    pub fn on(self, mut response: Response) -> Response {
        response.extensions_mut().insert(self);
        response
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    /// Sets the public page's cache policy and its keys (with `site`) in both CDNs' forms.
    pub fn apply(&self, headers: &mut HeaderMap) {
        let mut all = vec![SITE];
        all.extend(self.0.iter().map(String::as_str).filter(|k| *k != SITE));
        headers.insert(axum::http::header::CACHE_CONTROL, PUBLIC_PAGE);
        if let Ok(v) = HeaderValue::from_str(&all.join(" ")) {
            headers.insert(SURROGATE_KEY, v);
        }
        if let Ok(v) = HeaderValue::from_str(&all.join(",")) {
            headers.insert(CACHE_TAG, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_named_once_in_both_forms_with_the_site_key_first() {
        let mut keys = Keys::new();
        keys.add("story", 12)
            .add("tag", "climate policy")
            .add("story", 12);
        keys.add_plain("home");
        let mut headers = HeaderMap::new();
        keys.apply(&mut headers);
        assert_eq!(
            headers[SURROGATE_KEY],
            "site story-12 tag-climate_policy home"
        );
        assert_eq!(headers[CACHE_TAG], "site,story-12,tag-climate_policy,home");
        assert!(headers[axum::http::header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("s-maxage="));
    }
}
