//! Stories: writing, reading and listing them, and the shapes of those lists.

use super::StoreError;
use crate::article::ClaimStatus;
use crate::article::{Article, ArticleStatus};
use crate::ids::ArticleId;
use crate::input::ArticleFields;
use crate::revision::{RevisionInfo, Snapshot};
use crate::story_text::StoryText;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Which stories a list holds.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    pub section: Option<String>,
    pub tag: Option<String>,
    /// The author's slug, as in `/author/maya-okafor`.
    pub author: Option<String>,
    /// `Published` also matches scheduled stories whose time has come.
    pub status: Option<ArticleStatus>,
    /// Only what readers may see at `now`.
    pub live_only: bool,
    /// Only stories this principal created (`user:ana@example.org`, `token:7`).
    pub owner: Option<String>,
    /// Only stories with claims still to check (unverified or disputed).
    pub open_claims: bool,
    /// Oldest first instead of newest first.
    pub oldest_first: bool,
    /// Only stories whose headline or standfirst holds these words (as one phrase, any case).
    pub words: Option<String>,
    /// Most recently changed first (the newsroom's list), instead of by publication time.
    pub by_change: bool,
    /// Only stories with corrections or updates in their public log.
    pub corrected: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub offset: i64,
    pub limit: i64,
}

impl PageRequest {
    pub fn page(page: i64, per_page: i64) -> Self {
        // Far past any list's end; a page number from an address can be anything.
        let page = page.clamp(1, 1_000_000);
        PageRequest {
            offset: (page - 1).saturating_mul(per_page),
            limit: per_page,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ArticleList {
    pub items: Vec<Article>,
    pub total: i64,
}

/// What a promo needs of the story it links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromoTarget {
    /// The slug the promo names, which may be a story's former slug.
    pub slug: String,
    /// The story's slug now, for the link.
    pub current_slug: String,
    pub headline: String,
    pub section: String,
    pub live: bool,
}

/// One story of an import batch and who will own it.
#[derive(Debug, Clone)]
pub struct ImportItem {
    pub fields: ArticleFields,
    pub owner: String,
}

#[async_trait]
pub trait StoryStore: Send + Sync {
    /// Adds a story; `Conflict::Slug` when its slug is taken (by a story or an old slug).
    async fn insert_article(
        &self,
        fields: &ArticleFields,
        owner: &str,
        now: DateTime<Utc>,
    ) -> Result<Article, StoreError>;
    /// Replaces a story's fields if it is still at `revision`, as changed `by` a principal;
    /// an old slug keeps redirecting. `Conflict::Slug` when the new slug is taken.
    async fn update_article(
        &self,
        id: ArticleId,
        revision: i64,
        fields: &ArticleFields,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Article, StoreError>;
    async fn delete_article(&self, id: ArticleId) -> Result<(), StoreError>;
    /// Every kept revision of a story, newest first.
    async fn revisions(&self, id: ArticleId) -> Result<Vec<RevisionInfo>, StoreError>;
    /// Notes that `who` has the story open in the editor now; the time they opened it is kept
    /// while they stay (a heartbeat at least every few minutes).
    async fn note_editing(
        &self,
        id: ArticleId,
        who: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Who has the story open in the editor now, and since when, longest first.
    async fn editing(
        &self,
        id: ArticleId,
        now: DateTime<Utc>,
    ) -> Result<Vec<(String, DateTime<Utc>)>, StoreError>;
    /// The claims (words and status) of every kept version readers could see, oldest first:
    /// what a claim's public history is made of, without reading whole revisions.
    async fn live_claim_states(
        &self,
        id: ArticleId,
    ) -> Result<Vec<(RevisionInfo, Vec<(String, ClaimStatus)>)>, StoreError>;
    /// Every kept revision of a story with its fields, oldest first.
    async fn snapshots(&self, id: ArticleId) -> Result<Vec<(RevisionInfo, Snapshot)>, StoreError>;
    /// One kept revision of a story.
    async fn revision(
        &self,
        id: ArticleId,
        revision: i64,
    ) -> Result<Option<(RevisionInfo, Snapshot)>, StoreError>;
    /// A story by its slug, or by a slug it had before.
    async fn find_article(&self, slug: &str) -> Result<Option<Article>, StoreError>;
    /// Who created the story (`token:ID` or `user:ID`), for the "own stories" rule.
    async fn article_owner(&self, id: ArticleId) -> Result<String, StoreError>;
    async fn list_articles(
        &self,
        filter: &ArticleFilter,
        page: PageRequest,
        now: DateTime<Utc>,
    ) -> Result<ArticleList, StoreError>;
    /// Every story, drafts too, in a stable order: what an export writes.
    async fn all_articles(&self) -> Result<Vec<Article>, StoreError>;
    async fn promo_targets(
        &self,
        slugs: &[String],
        now: DateTime<Utc>,
    ) -> Result<Vec<PromoTarget>, StoreError>;
    /// Writes a whole batch of stories in one transaction, replacing stories of the same slug.
    async fn import_articles(
        &self,
        items: &[ImportItem],
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError>;
    /// Every live story's id and revision: what a node compares its related and search
    /// indexes with.
    async fn live_stamps(&self, now: DateTime<Utc>) -> Result<Vec<(ArticleId, i64)>, StoreError>;
    /// A slice of the live stories, oldest first, as (slug, last change in ms): one sitemap file.
    async fn sitemap_entries(
        &self,
        now: DateTime<Utc>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<(String, i64)>, StoreError>;
    /// The text of these stories, for the related-stories index.
    async fn story_texts(&self, ids: &[ArticleId]) -> Result<Vec<StoryText>, StoreError>;
    /// These stories (any that exist), in no particular order.
    async fn articles_by_ids(&self, ids: &[ArticleId]) -> Result<Vec<Article>, StoreError>;
    /// Sections with live stories and how many each has, largest first.
    async fn sections(&self, now: DateTime<Utc>) -> Result<Vec<(String, i64)>, StoreError>;
    /// Turns scheduled stories whose time has come into published ones; idempotent on every
    /// node. Answers the slugs this call published (each story is published by one call).
    async fn publish_due(&self, now: DateTime<Utc>) -> Result<Vec<String>, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_number_from_an_address_never_overflows() {
        let p = PageRequest::page(i64::MAX, 25);
        assert!(p.offset > 0 && p.offset < 100_000_000);
        assert_eq!(PageRequest::page(-5, 25).offset, 0);
    }
}
