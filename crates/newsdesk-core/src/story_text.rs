//! What the discovery indexes (more like this, search) read of a story: its words, where it
//! sits on the site, and stamps that tell a node when to index it again.

use crate::ids::ArticleId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryText {
    pub id: ArticleId,
    /// Milliseconds since the epoch: the more recent wins among equally related stories.
    pub published_ms: i64,
    /// The story's revision, which every change moves on, so a node can tell which stories
    /// to index again.
    pub stamp: i64,
    pub headline: String,
    pub standfirst: String,
    /// The body as stored (Markdown with promo lines).
    pub body: String,
    pub tags: Vec<String>,
    /// The section's slug.
    pub section: String,
    /// Authors' names, as bylined.
    pub authors: Vec<String>,
}
