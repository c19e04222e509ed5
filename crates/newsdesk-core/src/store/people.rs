//! The newsroom's people as admins and each person manage them: accounts and their roles,
//! invitations, profiles, sessions, tokens and two-factor secrets.

use super::StoreError;
use crate::ids::UserId;
use crate::people::{AuthorProfile, SessionInfo, StaffAccount, TokenInfo};
use crate::role::Role;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[async_trait]
pub trait PeopleStore: Send + Sync {
    /// Every account, active ones first, then by email.
    async fn staff_accounts(&self) -> Result<Vec<StaffAccount>, StoreError>;
    async fn staff_account(&self, id: UserId) -> Result<Option<StaffAccount>, StoreError>;
    async fn set_role(&self, id: UserId, role: Role) -> Result<bool, StoreError>;
    /// Deactivates an account and, in the same transaction, ends its sessions and revokes its
    /// tokens, so nothing it held works on any node from the next request on.
    async fn deactivate(&self, id: UserId, now: DateTime<Utc>) -> Result<bool, StoreError>;
    async fn reactivate(&self, id: UserId) -> Result<bool, StoreError>;
    /// Sets a password, ends every session of the account but `keep` (the one that set it),
    /// and uses up every invitation link of the account.
    async fn set_password(
        &self,
        id: UserId,
        hash: &str,
        keep: Option<&str>,
    ) -> Result<bool, StoreError>;
    async fn set_profile(
        &self,
        id: UserId,
        profile: &AuthorProfile,
        author_slug: &str,
    ) -> Result<bool, StoreError>;
    /// The profile of the person whose name gives `author_slug`.
    async fn author_profile(&self, author_slug: &str) -> Result<Option<AuthorProfile>, StoreError>;
    async fn sessions_of(
        &self,
        user: UserId,
        now: DateTime<Utc>,
    ) -> Result<Vec<SessionInfo>, StoreError>;
    /// Ends the user's session whose id is `id` (a prefix of its hash); `false` when none is.
    async fn end_session(&self, user: UserId, id: &str) -> Result<bool, StoreError>;
    /// Every token (`owner` None) or a person's, newest first.
    async fn tokens(&self, owner: Option<UserId>) -> Result<Vec<TokenInfo>, StoreError>;
    /// Revokes a token (only the owner's, when `owner` is given); `false` when none was live.
    async fn revoke_token(
        &self,
        id: i64,
        owner: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    async fn create_invite(
        &self,
        token_hash: &str,
        user: UserId,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Uses an invitation once: the account it is for, if it is unused and unexpired.
    async fn take_invite(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<UserId>, StoreError>;
    /// Whether the invitation may still be used, without using it.
    async fn peek_invite(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<UserId>, StoreError>;
    async fn set_totp(&self, user: UserId, secret: Option<&str>) -> Result<(), StoreError>;
    async fn totp_secret(&self, user: UserId) -> Result<Option<String>, StoreError>;
    /// Takes a code's time step for a sign-in, once: `false` when this step (or a later one)
    /// was taken already, so a code seen over a shoulder cannot be used again.
    async fn take_totp_step(&self, user: UserId, step: i64) -> Result<bool, StoreError>;
}
