//! An import from another platform (WordPress, Disqus) as one plan the store applies in one
//! transaction: what to add or update, keyed by the source's own ids, and the old addresses
//! that must keep working.

use crate::comment::CommentStatus;
use crate::input::ArticleFields;
use crate::pages::PageFields;
use chrono::{DateTime, Utc};

/// Everything one import brings, in the order the store must write it.
#[derive(Debug, Clone, Default)]
pub struct ImportPlan {
    /// Where it comes from, such as `wordpress:http://news.example.org`: ids are unique within it.
    pub source: String,
    /// Who the new stories belong to (`import:wordpress`).
    pub owner: String,
    pub stories: Vec<ImportedStory>,
    pub pages: Vec<ImportedPage>,
    /// Parents before their replies.
    pub comments: Vec<ImportedComment>,
    pub addresses: Vec<OldAddress>,
}

/// An item and the hash of its content as the source had it, to tell a change from a repeat.
#[derive(Debug, Clone)]
pub struct ImportedStory {
    pub external_id: String,
    pub digest: String,
    pub fields: ArticleFields,
}

#[derive(Debug, Clone)]
pub struct ImportedPage {
    pub external_id: String,
    pub digest: String,
    pub fields: PageFields,
}

/// Where a comment belongs: a story of this plan's source, or one already on the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentHome {
    /// A story imported from this source, by its id there.
    Imported(String),
    /// A story of the site, by its current slug.
    Slug(String),
}

#[derive(Debug, Clone)]
pub struct ImportedComment {
    pub external_id: String,
    pub digest: String,
    pub home: CommentHome,
    /// The parent's id in the same source.
    pub parent: Option<String>,
    pub name: String,
    pub url: Option<String>,
    /// Kept private, as the site keeps every commenter's address.
    pub email: Option<String>,
    pub body: String,
    pub status: CommentStatus,
    pub created_at: DateTime<Utc>,
    /// The number old links use in `#comment-N`.
    pub archive_id: Option<String>,
}

/// What an old address stands for now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressTarget {
    /// A story of this source, by its id there.
    Story(String),
    /// A story's comments feed.
    StoryComments(String),
    Page(String),
    /// A fixed path on this site, such as `/section/sport` or `/feed.xml`.
    Path(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldAddress {
    /// The path with its query, as `old_address_key` normalises it.
    pub key: String,
    pub target: AddressTarget,
}

/// How an old address resolves when a reader follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OldTarget {
    Story(crate::ids::ArticleId),
    StoryComments(crate::ids::ArticleId),
    Page(crate::ids::PageId),
    Path(String),
}

/// What one import did, by kind of item.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl Tally {
    pub fn total(&self) -> usize {
        self.added + self.updated + self.unchanged
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    pub stories: Tally,
    pub pages: Tally,
    pub comments: Tally,
    pub addresses: usize,
    /// Items written under another slug than they had, because the site already used theirs.
    pub renamed: Vec<(String, String)>,
    /// Items left as they are here: deleted or changed in the newsroom since an earlier import.
    pub kept: Vec<String>,
}

/// The form an old address is kept and looked up in: the path lower-cased, without a trailing
/// slash (but `/`), and only the query parameters that name content (`p`, `page_id`, `cat`,
/// `tag`, `author`, `feed`), in that order.
pub fn old_address_key(path: &str, query: Option<&str>) -> String {
    let mut p = path.trim().to_lowercase();
    while p.len() > 1 && p.ends_with('/') {
        p.pop();
    }
    if p.is_empty() {
        p.push('/');
    }
    let kept: Vec<String> = ["p", "page_id", "cat", "tag", "author", "feed"]
        .iter()
        .filter_map(|name| {
            query?.split('&').find_map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                (k == *name && !v.is_empty()).then(|| format!("{k}={}", v.to_lowercase()))
            })
        })
        .collect();
    if kept.is_empty() {
        p
    } else {
        format!("{p}?{}", kept.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_old_address_is_kept_without_its_trailing_slash_and_with_only_the_queries_that_name_content(
    ) {
        assert_eq!(
            old_address_key("/2026/05/14/Harbour-Works/", None),
            "/2026/05/14/harbour-works"
        );
        assert_eq!(old_address_key("/", Some("p=12&utm_source=x")), "/?p=12");
        assert_eq!(old_address_key("/", Some("utm_source=x")), "/");
        assert_eq!(
            old_address_key("/", Some("page_id=7&p=3")),
            "/?p=3&page_id=7"
        );
    }
}
