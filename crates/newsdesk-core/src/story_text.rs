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

impl From<&crate::Article> for StoryText {
    fn from(a: &crate::Article) -> StoryText {
        StoryText {
            id: a.id,
            published_ms: a.published_at.map_or(0, |t| t.timestamp_millis()),
            stamp: a.revision,
            headline: a.headline.clone(),
            standfirst: a.standfirst.clone(),
            body: a.body.clone(),
            tags: a.tags.clone(),
            section: a.section.clone(),
            authors: a.authors.clone(),
        }
    }
}
