//! Every address the site builds for its own pages, in one place: stories, comments,
//! sections, tags, authors, media and the API's story addresses.

use crate::state::AppState;
use newsdesk_core::comment::Comment;
use newsdesk_core::{Article, StoreError};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

/// A story's page.
pub fn article_path(slug: &str) -> String {
    format!("/news/{slug}")
}

/// A comment's own page (its permalink).
pub fn comment_path(slug: &str, id: impl std::fmt::Display) -> String {
    format!("/news/{slug}/comments/{id}")
}

/// A section's list of stories.
pub fn section_path(slug: &str) -> String {
    format!("/section/{slug}")
}

/// A tag's list of stories; the tag is percent-encoded, since tags are free text.
pub fn tag_path(tag: &str) -> String {
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

/// A story in the API.
pub fn api_article_path(slug: &str) -> String {
    format!("/api/v1/articles/{slug}")
}

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
