//! Site pages: About, Contact, Privacy and the like, at `/{slug}`, outside the news flow.

use crate::ids::PageId;
use crate::slug::is_valid_slug;
use crate::validation::FieldErrors;
use chrono::{DateTime, Utc};

/// Addresses the site's own routes use; a page cannot take them.
pub const RESERVED_SLUGS: &[&str] = &[
    "admin",
    "api",
    "news",
    "section",
    "tag",
    "author",
    "media",
    "search",
    "static",
    "assets",
    "corrections",
    "unsubscribe",
    "healthz",
    "metrics",
    "feed",
    "sitemaps",
    "comments",
];

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_BODY_CHARS: usize = 200_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitePage {
    pub id: PageId,
    pub slug: String,
    pub title: String,
    /// Markdown, rendered like a story's body.
    pub body: String,
    pub published: bool,
    pub in_footer: bool,
    /// The footer's order, lowest first.
    pub position: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

/// What the newsroom (or an import) writes to a page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PageFields {
    pub slug: String,
    pub title: String,
    pub body: String,
    pub published: bool,
    pub in_footer: bool,
    pub position: i64,
}

impl PageFields {
    /// Checks every field, naming each one at fault.
    pub fn check(&self) -> FieldErrors {
        let mut e = FieldErrors::default();
        if !is_valid_slug(&self.slug) {
            e.add(
                "slug",
                "must be lower-case letters, digits and single hyphens, such as about-us",
            );
        } else if RESERVED_SLUGS.contains(&self.slug.as_str()) {
            e.add(
                "slug",
                format!("{} is an address the site itself uses", self.slug),
            );
        }
        if self.title.trim().is_empty() {
            e.add("title", "is required");
        } else if self.title.chars().count() > MAX_TITLE_CHARS {
            e.add(
                "title",
                format!("must be at most {MAX_TITLE_CHARS} characters"),
            );
        }
        if self.body.chars().count() > MAX_BODY_CHARS {
            e.add(
                "body",
                format!("must be at most {MAX_BODY_CHARS} characters"),
            );
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(slug: &str) -> PageFields {
        PageFields {
            slug: slug.into(),
            title: "About us".into(),
            body: "Who we are.".into(),
            published: true,
            in_footer: true,
            position: 0,
        }
    }

    #[test]
    fn a_page_may_not_take_an_address_the_site_uses() {
        assert!(page("about").check().is_empty());
        assert!(!page("admin").check().is_empty());
        assert!(!page("news").check().is_empty());
        assert!(!page("About Us").check().is_empty());
    }
}
