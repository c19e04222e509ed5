//! The audit log: every staff action, with who, when, what and from which address. Entries
//! are only ever added; nothing reads them back to change or remove them.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// What a staff member did. Its text (`story.published`) is what the log stores and shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    StoryCreated,
    StoryChanged,
    StoryPublished,
    StoryScheduled,
    StoryUnpublished,
    StoryDeleted,
    StoryRestored,
    ClaimStatusChanged,
    PictureUploaded,
    PictureChanged,
    PictureDeleted,
    AccountInvited,
    AccountRoleChanged,
    AccountDeactivated,
    AccountReactivated,
    AccountProfileChanged,
    PasswordSet,
    PasswordChanged,
    TwoFactorEnabled,
    TwoFactorDisabled,
    TokenCreated,
    TokenRevoked,
    SignedIn,
    SignInFailed,
    SignedOut,
    SessionEnded,
    SettingChanged,
    Moderated,
    PageSaved,
    PageDeleted,
    SiteImported,
}

impl AuditAction {
    pub const ALL: [AuditAction; 31] = [
        Self::StoryCreated,
        Self::StoryChanged,
        Self::StoryPublished,
        Self::StoryScheduled,
        Self::StoryUnpublished,
        Self::StoryDeleted,
        Self::StoryRestored,
        Self::ClaimStatusChanged,
        Self::PictureUploaded,
        Self::PictureChanged,
        Self::PictureDeleted,
        Self::AccountInvited,
        Self::AccountRoleChanged,
        Self::AccountDeactivated,
        Self::AccountReactivated,
        Self::AccountProfileChanged,
        Self::PasswordSet,
        Self::PasswordChanged,
        Self::TwoFactorEnabled,
        Self::TwoFactorDisabled,
        Self::TokenCreated,
        Self::TokenRevoked,
        Self::SignedIn,
        Self::SignInFailed,
        Self::SignedOut,
        Self::SessionEnded,
        Self::SettingChanged,
        Self::Moderated,
        Self::PageSaved,
        Self::PageDeleted,
        Self::SiteImported,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::StoryCreated => "story.created",
            Self::StoryChanged => "story.changed",
            Self::StoryPublished => "story.published",
            Self::StoryScheduled => "story.scheduled",
            Self::StoryUnpublished => "story.unpublished",
            Self::StoryDeleted => "story.deleted",
            Self::StoryRestored => "story.restored",
            Self::ClaimStatusChanged => "claim.status_changed",
            Self::PictureUploaded => "picture.uploaded",
            Self::PictureChanged => "picture.changed",
            Self::PictureDeleted => "picture.deleted",
            Self::AccountInvited => "account.invited",
            Self::AccountRoleChanged => "account.role_changed",
            Self::AccountDeactivated => "account.deactivated",
            Self::AccountReactivated => "account.reactivated",
            Self::AccountProfileChanged => "account.profile_changed",
            Self::PasswordSet => "account.password_set",
            Self::PasswordChanged => "account.password_changed",
            Self::TwoFactorEnabled => "account.two_factor_enabled",
            Self::TwoFactorDisabled => "account.two_factor_disabled",
            Self::TokenCreated => "token.created",
            Self::TokenRevoked => "token.revoked",
            Self::SignedIn => "session.signed_in",
            Self::SignInFailed => "session.sign_in_failed",
            Self::SignedOut => "session.signed_out",
            Self::SessionEnded => "session.ended",
            Self::SettingChanged => "setting.changed",
            Self::Moderated => "moderation.decided",
            Self::PageSaved => "page.saved",
            Self::PageDeleted => "page.deleted",
            Self::SiteImported => "site.imported",
        }
    }
}

/// One line of the log as it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEntry {
    /// Who: `user:EMAIL`, `token:ID`, `cli` or `system`.
    pub actor: String,
    pub action: AuditAction,
    /// What it was done to: a story's slug, a picture's name, an account's email…
    pub subject: String,
    /// What changed, in words.
    pub detail: String,
    /// The address the request came from; empty for the command line and the system.
    pub ip: String,
}

/// One line of the log as it is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub ip: String,
}

/// Which lines to read, newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Lines whose actor contains this.
    pub actor: Option<String>,
    /// Lines whose action starts with this (`story.` for every story action).
    pub action: Option<String>,
    /// Lines whose subject contains this.
    pub subject: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Lines older than this id (the next page).
    pub before_id: Option<i64>,
    pub limit: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_distinct_dotted_name() {
        let mut names: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        assert!(names.iter().all(|n| n.contains('.')));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), AuditAction::ALL.len());
    }
}
