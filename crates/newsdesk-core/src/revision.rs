//! A story's revisions: the whole story as it stood after each save, who saved it and when,
//! so the newsroom can compare any two and restore one.

use crate::article::{ArticleStatus, Claim, Correction, Hero};
use crate::input::{ArticleFields, ArticleInput};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Every field a writer controls, as saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Snapshot {
    pub slug: String,
    pub headline: String,
    pub standfirst: String,
    pub body: String,
    pub section: String,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    pub status: ArticleStatus,
    pub published_at: Option<DateTime<Utc>>,
    pub hero: Option<Hero>,
    pub claims: Vec<Claim>,
    /// The debate questions' texts, in order.
    pub debate: Vec<String>,
    pub corrections: Vec<Correction>,
}

/// Which revision, saved when and by whom.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RevisionInfo {
    pub revision: i64,
    pub saved_at: DateTime<Utc>,
    /// `user:ana@example.org`, `token:7`, `import`.
    pub saved_by: String,
}

impl Snapshot {
    pub fn of(f: &ArticleFields) -> Snapshot {
        Snapshot {
            slug: f.slug.clone(),
            headline: f.headline.clone(),
            standfirst: f.standfirst.clone(),
            body: f.body.clone(),
            section: f.section.clone(),
            tags: f.tags.clone(),
            authors: f.authors.clone(),
            status: f.status,
            published_at: f.published_at,
            hero: f.hero.clone(),
            claims: f.claims.clone(),
            debate: f.debate.clone(),
            corrections: f.corrections.clone(),
        }
    }

    /// The snapshot as a change that makes a story read as it did, at its current address.
    pub fn into_input(self) -> ArticleInput {
        ArticleInput {
            slug: None,
            headline: Some(self.headline),
            standfirst: Some(self.standfirst),
            body: Some(self.body),
            section: Some(self.section),
            tags: Some(self.tags),
            authors: Some(self.authors),
            status: Some(self.status),
            published_at: Some(self.published_at),
            hero: Some(self.hero),
            claims: Some(self.claims),
            debate: Some(self.debate),
            corrections: Some(self.corrections),
        }
    }
}
