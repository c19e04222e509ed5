//! A story's revisions: the whole story as it stood after each save, who saved it and when,
//! so the newsroom can compare any two and restore one.

use crate::article::{ArticleStatus, ClaimStatus};
use crate::input::{ArticleFields, ArticleInput};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Every field a writer controls, as saved (question ids and import times are not kept).
pub type Snapshot = ArticleFields;

/// Which revision, saved when and by whom.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RevisionInfo {
    pub revision: i64,
    pub saved_at: DateTime<Utc>,
    /// `user:ana@example.org`, `token:7`, `import`.
    pub saved_by: String,
}

/// One change of a claim's status: to what, when and by whom.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusChange {
    pub status: ClaimStatus,
    pub at: DateTime<Utc>,
    pub by: String,
}

/// Each claim's status changes over the revisions (oldest first), by the claim's words: the
/// first status it had, then every change. Claims whose words changed start a new history.
pub fn claim_histories(revisions: &[(RevisionInfo, Snapshot)]) -> Vec<(String, Vec<StatusChange>)> {
    histories_of(
        revisions
            .iter()
            .filter_map(|(info, s)| live_claims(s, info.saved_at).map(|c| (info.clone(), c))),
    )
}

/// The claims (words and status) of a version readers could see when it was saved; `None`
/// for a version they could not (what a draft said is the desk's own business).
pub fn live_claims(s: &Snapshot, saved_at: DateTime<Utc>) -> Option<Vec<(String, ClaimStatus)>> {
    let live = match s.status {
        ArticleStatus::Published => true,
        ArticleStatus::Scheduled => s.published_at.is_some_and(|at| at <= saved_at),
        _ => false,
    };
    live.then(|| {
        s.claims
            .iter()
            .map(|c| (c.quote.clone(), c.status))
            .collect()
    })
}

/// Claim histories from the claims of each version readers could see, oldest first.
pub fn histories_of(
    states: impl IntoIterator<Item = (RevisionInfo, Vec<(String, ClaimStatus)>)>,
) -> Vec<(String, Vec<StatusChange>)> {
    let mut out: Vec<(String, Vec<StatusChange>)> = Vec::new();
    for (info, claims) in states {
        for (quote, status) in claims {
            let change = StatusChange {
                status,
                at: info.saved_at,
                by: info.saved_by.clone(),
            };
            match out.iter_mut().find(|(q, _)| *q == quote) {
                Some((_, changes)) if changes.last().map(|c| c.status) != Some(status) => {
                    changes.push(change)
                }
                Some(_) => {}
                None => out.push((quote, vec![change])),
            }
        }
    }
    out
}

impl ArticleFields {
    /// The story as a revision keeps it.
    pub fn of(f: &ArticleFields) -> Snapshot {
        Snapshot {
            debate_ids: Vec::new(),
            created_at: None,
            updated_at: None,
            ..f.clone()
        }
    }

    /// The snapshot as a change that makes a story read as it did, at its current address,
    /// with its current status and time, and its public log of corrections kept whole.
    pub fn into_input(self) -> ArticleInput {
        ArticleInput {
            slug: None,
            headline: Some(self.headline),
            standfirst: Some(self.standfirst),
            body: Some(self.body),
            section: Some(self.section),
            tags: Some(self.tags),
            authors: Some(self.authors),
            status: None,
            published_at: None,
            hero: Some(self.hero),
            claims: Some(self.claims),
            debate: Some(self.debate),
            debate_questions: None,
            corrections: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Claim, Source};

    fn saved(n: i64, by: &str, claims: &[(&str, ClaimStatus)]) -> (RevisionInfo, Snapshot) {
        let info = RevisionInfo {
            revision: n,
            saved_at: DateTime::from_timestamp(n * 3600, 0).unwrap(),
            saved_by: by.into(),
        };
        let snapshot = Snapshot {
            slug: "s".into(),
            headline: String::new(),
            standfirst: String::new(),
            body: String::new(),
            section: String::new(),
            tags: vec![],
            authors: vec![],
            status: ArticleStatus::Published,
            published_at: None,
            hero: None,
            claims: claims
                .iter()
                .map(|(q, s)| Claim {
                    quote: (*q).into(),
                    source: Source {
                        name: "A".into(),
                        role: String::new(),
                        url: None,
                    },
                    status: *s,
                    note: String::new(),
                })
                .collect(),
            debate: vec![],
            debate_ids: vec![],
            corrections: vec![],
            created_at: None,
            updated_at: None,
        };
        (info, snapshot)
    }

    #[test]
    fn a_claims_history_lists_its_first_status_and_each_change_with_who_and_when() {
        let revisions = [
            saved(1, "user:a", &[("six weeks", ClaimStatus::Unverified)]),
            saved(
                2,
                "user:a",
                &[
                    ("six weeks", ClaimStatus::Unverified),
                    ("fares", ClaimStatus::Disputed),
                ],
            ),
            saved(
                3,
                "user:b",
                &[
                    ("six weeks", ClaimStatus::Verified),
                    ("fares", ClaimStatus::Disputed),
                ],
            ),
        ];
        let h = claim_histories(&revisions);
        assert_eq!(h.len(), 2);
        let six: Vec<_> = h[0].1.iter().map(|c| (c.status, c.by.as_str())).collect();
        assert_eq!(
            six,
            [
                (ClaimStatus::Unverified, "user:a"),
                (ClaimStatus::Verified, "user:b")
            ]
        );
        assert_eq!(h[1].1.len(), 1, "an unchanged status is no change");
    }

    #[test]
    fn what_a_draft_said_of_a_claim_is_not_its_public_history() {
        let mut draft = saved(1, "user:a", &[("six weeks", ClaimStatus::False)]);
        draft.1.status = ArticleStatus::Draft;
        let revisions = [
            draft,
            saved(2, "user:b", &[("six weeks", ClaimStatus::Verified)]),
        ];
        let h = claim_histories(&revisions);
        assert_eq!(h[0].1.len(), 1);
        assert_eq!(h[0].1[0].status, ClaimStatus::Verified);
    }

    #[test]
    fn a_restore_keeps_the_story_s_status_time_and_public_log() {
        let (_, s) = saved(1, "user:a", &[]);
        let input = s.into_input();
        assert!(input.status.is_none() && input.published_at.is_none());
        assert!(
            input.corrections.is_none(),
            "corrections are never taken back"
        );
        assert!(input.headline.is_some());
    }
}
