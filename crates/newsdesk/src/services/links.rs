//! Every address the site builds for its own pages, in one place: stories, comments,
//! sections, tags, authors, media and the API's story addresses.

use crate::state::AppState;
use newsdesk_core::comment::Comment;
use newsdesk_core::{Article, StoreError};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// A story's page.
pub fn article_path(slug: &str) -> String {
    format!("/news/{slug}")
}

/// A comment's own page (its permalink).
pub fn comment_path(slug: &str, id: impl std::fmt::Display) -> String {
    format!("/news/{slug}/comments/{id}")
}

/// A story's newest comments as RSS.
pub fn comments_feed_path(slug: &str) -> String {
    format!("/news/{slug}/comments.xml")
}

/// Where a debate question's poll answers are sent.
pub fn poll_path(slug: &str, question: impl std::fmt::Display) -> String {
    format!("/news/{slug}/debate/{question}/vote")
}

/// A story's comments that answer one debate question.
pub fn question_comments_path(slug: &str, question: impl std::fmt::Display) -> String {
    format!("/news/{slug}?question={question}#comments")
}

/// Where readers propose a debate question.
pub fn propose_path(slug: &str) -> String {
    format!("/news/{slug}/debate/propose")
}

/// A section's list of stories.
pub fn section_path(slug: &str) -> String {
    format!("/section/{slug}")
}

/// What a tag keeps as it is in its address: letters, digits and `-._~` (RFC 3986's
/// unreserved characters); the rest is percent-encoded, since tags are free text.
const TAG: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A tag's list of stories, as story pages link to it.
pub fn tag_path(tag: &str) -> String {
    format!("/tag/{}", utf8_percent_encode(tag, TAG))
}

/// A tag's list of stories as its own page and feeds name themselves (canonical links, feed
/// ids): every character but letters and digits encoded. Kept as it has always been, since a
/// feed whose id changes is a new feed to every reader subscribed to it.
pub fn tag_canonical_path(tag: &str) -> String {
    format!("/tag/{}", utf8_percent_encode(tag, NON_ALPHANUMERIC))
}

/// An author's list of stories, by the author's slug.
pub fn author_path(slug: &str) -> String {
    format!("/author/{slug}")
}

/// A stored picture.
pub fn media_path(name: &str) -> String {
    format!("/media/{name}")
}

/// The card a story without a hero shares with, made from the site's name; its address
/// changes with the name, so caches never show an old one.
pub fn share_card_path(site_name: &str) -> String {
    format!(
        "/share-card.png?v={}",
        crate::services::settings::card::version(site_name)
    )
}

/// A story in the API.
pub fn api_article_path(slug: &str) -> String {
    format!("/api/v1/articles/{slug}")
}

/// The address a mistyped one stands for: lower case, without a trailing slash (but the
/// newsroom's home, whose address ends in one). `None` when it is canonical already.
pub fn canonical_path(path: &str) -> Option<String> {
    // `//host` and `/\host` are read by browsers as another site: never redirect to them.
    if path.starts_with("//") || path.contains('\\') || path.chars().any(char::is_control) {
        return None;
    }
    let mut canonical = path.to_ascii_lowercase();
    while canonical.len() > 1 && canonical.ends_with('/') {
        canonical.pop();
    }
    if canonical == NEWSROOM_HOME.trim_end_matches('/') {
        canonical = NEWSROOM_HOME.to_string();
    }
    (canonical != path).then_some(canonical)
}

/// A story in the newsroom's editor.
pub fn newsroom_story_path(slug: &str) -> String {
    format!("/admin/stories/{slug}")
}

/// Each newsroom member's home.
pub const NEWSROOM_HOME: &str = "/admin/";

/// The moderators' held comments.
pub const MODERATION_HELD: &str = "/admin/moderation?kind=held";

/// Where a comment reads in its story: the page of the conversation that holds it (oldest
/// first, as the page opens) and its anchor.
pub async fn comment_link(
    state: &AppState,
    article: &Article,
    c: &Comment,
) -> Result<String, StoreError> {
    let before = state.store.threads_up_to(article.id, c.root_id).await?;
    let page = (before.max(1) - 1) / state.config.comments_per_page.max(1) + 1;
    let base = article_path(&article.slug);
    Ok(if page > 1 {
        format!("{base}?cpage={page}#comment-{}", c.id)
    } else {
        format!("{base}#comment-{}", c.id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mistyped_address_stands_for_its_lower_case_form_without_a_trailing_slash() {
        assert_eq!(
            canonical_path("/News/Some-Story/").unwrap(),
            "/news/some-story"
        );
        assert_eq!(
            canonical_path("/section/sport//").unwrap(),
            "/section/sport"
        );
        assert_eq!(canonical_path("/ADMIN").unwrap(), "/admin/");
        assert_eq!(canonical_path("/admin/"), None);
        assert_eq!(canonical_path("/"), None);
        assert_eq!(canonical_path("/news/a"), None);
        assert_eq!(
            canonical_path("//EVIL.example/"),
            None,
            "never off the site"
        );
        assert_eq!(canonical_path("/\\evil.example/"), None);
    }

    #[test]
    fn a_tag_keeps_its_hyphens_and_encodes_what_an_address_cannot_hold() {
        assert_eq!(tag_path("women-in-sport"), "/tag/women-in-sport");
        assert_eq!(tag_path("a/b c&d"), "/tag/a%2Fb%20c%26d");
        assert_eq!(tag_path("café"), "/tag/caf%C3%A9");
        assert_eq!(
            tag_canonical_path("women-in-sport"),
            "/tag/women%2Din%2Dsport"
        );
    }
}
