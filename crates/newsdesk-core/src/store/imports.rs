//! Imports from other platforms, applied whole, and the old addresses they leave behind.

use super::StoreError;
use crate::import::{ImportOutcome, ImportPlan, OldTarget};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[async_trait]
pub trait ImportStore: Send + Sync {
    /// Applies a whole plan in one transaction: all of it, or (on any error) none of it.
    /// Items seen before with the same digest are left alone; changed ones are updated.
    async fn apply_import(
        &self,
        plan: &ImportPlan,
        now: DateTime<Utc>,
    ) -> Result<ImportOutcome, StoreError>;
    /// The local id of an item an earlier import brought, by its source and id there.
    async fn imported_id(
        &self,
        source: &str,
        kind: &str,
        external_id: &str,
    ) -> Result<Option<i64>, StoreError>;
    /// Every source an import brought items from (`wordpress:http://x.example`).
    async fn import_sources(&self) -> Result<Vec<String>, StoreError>;
    /// The comment of a story that had `archive_id` on the site it was imported from.
    async fn archived_comment(
        &self,
        article: crate::ids::ArticleId,
        archive_id: &str,
    ) -> Result<Option<crate::ids::CommentId>, StoreError>;
    /// Every comment in any state, by id after `after`, at most `limit`: for an export.
    async fn comments_for_export(
        &self,
        after: crate::ids::CommentId,
        limit: i64,
    ) -> Result<Vec<crate::comment::Comment>, StoreError>;
    /// What an old address (in `old_address_key` form) stands for now.
    async fn old_address(&self, key: &str) -> Result<Option<OldTarget>, StoreError>;
}
