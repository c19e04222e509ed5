//! What a store call can fail with, and what a conflicting write ran into.

use crate::ids::{CommentId, QuestionId};
use std::fmt;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} is already taken")]
    Conflict(Conflict),
    #[error("not found")]
    NotFound,
    /// The story changed since it was read; the caller may retry with the new version.
    #[error("the story was changed by someone else")]
    Stale,
    /// The storage cannot take the request for now (its disk is full, or the database is out
    /// of reach); nothing was written, and the caller may try again shortly.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    #[error("storage failure: {0}")]
    Internal(String),
}

/// What a write ran into: something that may exist only once exists already.
///
/// Its text is what clients are told (after "is already taken" for names, alone for what a
/// reader may do once), so each variant's text is part of the public answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// A story's slug is held by another story, or by another story's former slug.
    Slug(String),
    /// A newsroom account has this (lower-cased) email.
    Email(String),
    /// The reader has voted on this comment before.
    AlreadyVoted(CommentId),
    /// The reader has reported this comment before.
    AlreadyFlagged(CommentId),
    /// The reader has answered this debate question before.
    AlreadyAnswered(QuestionId),
    /// A form stamp that was used before: reports, votes and poll answers take one each.
    StampSpent,
    /// A uniqueness rule the store has no name for, as the database calls it; only a
    /// concurrent write the store did not foresee gets here.
    Unnamed(String),
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Email addresses and the database's names for its rules stay out of messages.
        match self {
            Conflict::Slug(slug) => f.write_str(slug),
            Conflict::Email(_) => f.write_str("that email"),
            Conflict::AlreadyVoted(_) => f.write_str("you have already voted on this comment"),
            Conflict::AlreadyFlagged(_) => f.write_str("you have already reported this comment"),
            Conflict::AlreadyAnswered(_) => f.write_str("you have already answered this question"),
            Conflict::StampSpent => f.write_str("this form was sent already; reload the page"),
            Conflict::Unnamed(_) => f.write_str("that value"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conflict_says_what_clients_have_always_been_told() {
        let said = |c: Conflict| StoreError::Conflict(c).to_string();
        assert_eq!(
            said(Conflict::Slug("budget-vote".into())),
            "budget-vote is already taken"
        );
        assert_eq!(
            said(Conflict::Email("a@b.example".into())),
            "that email is already taken"
        );
        assert_eq!(
            Conflict::AlreadyVoted(CommentId(3)).to_string(),
            "you have already voted on this comment"
        );
        assert_eq!(
            Conflict::AlreadyFlagged(CommentId(3)).to_string(),
            "you have already reported this comment"
        );
        assert_eq!(
            Conflict::AlreadyAnswered(QuestionId(4)).to_string(),
            "you have already answered this question"
        );
    }

    #[test]
    fn a_conflict_the_store_cannot_name_does_not_claim_to_be_a_slug() {
        let said =
            StoreError::Conflict(Conflict::Unnamed("api_tokens_token_hash_key".into())).to_string();
        assert_eq!(said, "that value is already taken");
    }
}
