//! Newtypes for the ids the rest of the code passes around.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// The database id of a story; never shown in URLs, which use the slug.
    ArticleId
);
id_type!(
    /// A comment's id, shown in its permalink (`#comment-42`).
    CommentId
);
id_type!(
    /// A debate question's id, kept while its text is unchanged.
    QuestionId
);

/// The random id a reader's signed cookie carries: one per device, no account needed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReaderId(pub String);

impl std::fmt::Display for ReaderId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

id_type!(
    /// A newsroom account's id.
    UserId
);

id_type!(
    /// A site page's id (About, Contact…); its address uses the slug.
    PageId
);
