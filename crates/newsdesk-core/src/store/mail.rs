//! Email: the outbox every node sends from, opt-outs, and the moderators' queue digest.

use super::StoreError;
use crate::ids::ReaderId;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// An email waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundEmail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// For the `List-Unsubscribe` header of reply emails.
    pub unsubscribe_url: Option<String>,
}

#[async_trait]
pub trait MailStore: Send + Sync {
    /// Puts an email in the outbox; it survives a crash and is sent by whichever node claims it.
    async fn enqueue_email(
        &self,
        recipient: &str,
        subject: &str,
        body: &str,
        unsubscribe_url: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError>;
    /// Claims up to `limit` unsent emails for this node; a claim lapses after a minute, so an
    /// email a crashed node claimed is sent by another.
    async fn claim_emails(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<OutboundEmail>, StoreError>;
    /// Records how sending went: sent, or the error (tried again later, five times at most).
    async fn finish_email(
        &self,
        id: i64,
        outcome: Result<(), String>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Notes that `reader` asked for reply emails at this address: `true` when a confirmation
    /// email is to be sent (the first time this reader asks, and not more than once a day to
    /// one address, whoever asks).
    async fn ask_reply_emails(
        &self,
        email: &str,
        reader: &ReaderId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// The address's owner confirmed reply emails about `reader`'s comments; `false` when that
    /// reader never asked.
    async fn confirm_reply_emails(
        &self,
        email: &str,
        reader: &ReaderId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// Takes one of today's reply emails for an address, about a comment of `reader`'s:
    /// `false` (nothing taken) unless the address confirmed them for that reader, has not
    /// opted out, and has had fewer than `per_day` today.
    async fn take_reply_email(
        &self,
        email: &str,
        reader: &ReaderId,
        now: DateTime<Utc>,
        per_day: i64,
    ) -> Result<bool, StoreError>;
    async fn opt_out(&self, email: &str, now: DateTime<Utc>) -> Result<(), StoreError>;
    async fn opted_out(&self, email: &str) -> Result<bool, StoreError>;
    /// Emails waiting to be sent (not given up on): what an operator watches.
    async fn outbox_depth(&self) -> Result<i64, StoreError>;
    /// Moderators who want the queue by email.
    async fn queue_subscribers(&self) -> Result<Vec<String>, StoreError>;
    /// Held comments newer than the last digest: their count and the newest id, if this node
    /// wins the right to send the next digest (one node does, however many there are).
    async fn claim_queue_digest(&self) -> Result<Option<(i64, i64)>, StoreError>;
}
