//! Who may act in the newsroom: accounts, their sessions and failed logins, and API tokens.

use super::StoreError;
use crate::ids::UserId;
use crate::moderation::User;
use crate::role::Role;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: i64,
    pub role: Role,
    pub label: String,
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
    /// The account and its password hash.
    async fn find_user_by_email(&self, email: &str) -> Result<Option<(User, String)>, StoreError>;
    async fn create_session(
        &self,
        id_hash: &str,
        user: UserId,
        csrf: &str,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// The session's user and CSRF token, if the session exists and has not expired.
    async fn find_session(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(User, String)>, StoreError>;
    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError>;
    /// Failed logins in a row under `key` and the time of the last.
    async fn login_failures(&self, key: &str) -> Result<(i64, DateTime<Utc>), StoreError>;
    async fn record_login_failure(&self, key: &str, now: DateTime<Utc>) -> Result<(), StoreError>;
    async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError>;
    /// Keeps an API token, by its hash only.
    async fn create_token(
        &self,
        token_hash: &str,
        role: Role,
        label: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError>;
    async fn find_token(&self, token_hash: &str) -> Result<Option<TokenRecord>, StoreError>;
}
