//! The newsroom's people: accounts as admins see them, author profiles, sessions and tokens
//! as their owners see them.

use crate::ids::UserId;
use crate::moderation::User;
use crate::role::Role;
use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffAccount {
    pub user: User,
    pub profile: AuthorProfile,
    pub active: bool,
    /// Whether a password was ever set (an invited account has none until the link is used).
    pub has_password: bool,
    pub two_factor: bool,
    pub created_at: DateTime<Utc>,
}

/// What readers see of a member of the newsroom on their author page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthorProfile {
    /// The name as bylines print it.
    pub name: String,
    pub bio: String,
    /// A picture's address (a library picture, say).
    pub picture: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// A prefix of the session's hash: enough to name it, useless to sign in with.
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub ip: String,
    pub user_agent: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    pub id: i64,
    pub role: Role,
    pub label: String,
    pub owner: Option<UserId>,
    pub owner_email: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

impl TokenInfo {
    /// Whether the token still works at `now` (not revoked, not expired).
    pub fn live(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > now)
    }
}
