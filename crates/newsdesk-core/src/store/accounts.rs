//! Who may act in the newsroom: accounts, their sessions and failed logins, and API tokens.

use super::StoreError;
use crate::ids::UserId;
use crate::moderation::User;
use crate::role::Role;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A token that may be used now: not revoked, not expired, its owner (if any) active, and
/// its role still within its owner's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: i64,
    pub role: Role,
    pub label: String,
    /// The person it belongs to; `None` for tokens made for a system with `newsdesk token create`.
    pub owner: Option<UserId>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// Where a session was started from, shown to its owner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionOrigin {
    pub ip: String,
    pub user_agent: String,
}

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// A newsroom account; `Conflict::Email` when the email is taken.
    async fn create_user(
        &self,
        email: &str,
        password_hash: &str,
        role: Role,
        queue_emails: bool,
        now: DateTime<Utc>,
    ) -> Result<User, StoreError>;
    /// The active account and its password hash.
    async fn find_user_by_email(&self, email: &str) -> Result<Option<(User, String)>, StoreError>;
    #[allow(clippy::too_many_arguments)]
    async fn create_session(
        &self,
        id_hash: &str,
        user: UserId,
        csrf: &str,
        origin: &SessionOrigin,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// The session's user and CSRF token, if the session exists, has not expired and its
    /// account is active.
    async fn find_session(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(User, String)>, StoreError>;
    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError>;
    /// Failed logins in a row under `key` and the time of the last.
    async fn login_failures(&self, key: &str) -> Result<(i64, DateTime<Utc>), StoreError>;
    async fn record_login_failure(&self, key: &str, now: DateTime<Utc>) -> Result<(), StoreError>;
    /// Counts one attempt under `key` if the count is still `seen` (compare and set): of
    /// attempts racing each other, one wins and the rest are refused, so parallel guesses
    /// cannot all slip through between a check and a count.
    async fn count_login_attempt(
        &self,
        key: &str,
        seen: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError>;
    /// Keeps an API token, by its hash only.
    #[allow(clippy::too_many_arguments)]
    async fn create_token(
        &self,
        token_hash: &str,
        role: Role,
        label: &str,
        owner: Option<UserId>,
        expires: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError>;
    /// The token, if it may be used at `now`.
    async fn find_token(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<TokenRecord>, StoreError>;
    /// Notes that the token was used.
    async fn touch_token(&self, id: i64, now: DateTime<Utc>) -> Result<(), StoreError>;
}
