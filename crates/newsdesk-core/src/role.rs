//! The newsroom roles of `docs/product.md#roles` and what each may do.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Reader,
    Contributor,
    Author,
    Editor,
    Moderator,
    Admin,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Reader,
        Role::Contributor,
        Role::Author,
        Role::Editor,
        Role::Moderator,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Contributor => "contributor",
            Role::Author => "author",
            Role::Editor => "editor",
            Role::Moderator => "moderator",
            Role::Admin => "admin",
        }
    }

    /// Whether the role may read drafts and other stories the public cannot see.
    pub fn sees_unpublished(self) -> bool {
        matches!(
            self,
            Role::Contributor | Role::Author | Role::Editor | Role::Admin
        )
    }

    /// Whether the role may write stories at all (contributors only as drafts).
    pub fn writes_stories(self) -> bool {
        matches!(
            self,
            Role::Contributor | Role::Author | Role::Editor | Role::Admin
        )
    }

    /// Whether the role may make a story public (publish, schedule, unpublish).
    pub fn publishes(self) -> bool {
        matches!(self, Role::Author | Role::Editor | Role::Admin)
    }

    /// Whether the role may change or delete any story, not just its own.
    pub fn edits_any_story(self) -> bool {
        matches!(self, Role::Editor | Role::Admin)
    }
}

impl Role {
    /// Whether a holder of `self` may do everything `other` may: what a token made for a
    /// person may carry at most. Admins cover every role; editors cover authors, authors
    /// contributors; every role covers readers. Moderators and writers cover each other not.
    pub fn covers(self, other: Role) -> bool {
        use Role::*;
        self == other
            || other == Reader
            || match self {
                Admin => true,
                Editor => matches!(other, Author | Contributor),
                Author => other == Contributor,
                _ => false,
            }
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown role '{s}': expected one of reader, contributor, author, editor, moderator, admin"
                )
            })
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_parses_back_from_its_name() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
    }

    #[test]
    fn an_unknown_role_names_the_choices() {
        let err = "chief".parse::<Role>().unwrap_err();
        assert!(err.contains("chief") && err.contains("editor"));
    }

    #[test]
    fn a_role_covers_only_what_it_may_do_itself() {
        assert!(Role::Admin.covers(Role::Moderator));
        assert!(Role::Editor.covers(Role::Contributor));
        assert!(!Role::Editor.covers(Role::Moderator));
        assert!(!Role::Moderator.covers(Role::Editor));
        assert!(!Role::Author.covers(Role::Editor));
        assert!(Role::Contributor.covers(Role::Reader));
    }

    #[test]
    fn only_newsroom_writers_see_drafts() {
        assert!(!Role::Reader.sees_unpublished());
        assert!(!Role::Moderator.sees_unpublished());
        assert!(Role::Contributor.sees_unpublished());
    }
}
