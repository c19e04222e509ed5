//! The audit log: appended to, and read; there is no call that changes or removes a line.

use super::StoreError;
use crate::audit::{AuditEntry, AuditFilter, NewAuditEntry};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[async_trait]
pub trait AuditStore: Send + Sync {
    async fn record_audit(&self, e: &NewAuditEntry, now: DateTime<Utc>) -> Result<(), StoreError>;
    /// Lines matching the filter, newest first, at most `filter.limit`.
    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError>;
}
