//! Debate polls: the answers a reader can give a story's question, and their tallies.

use crate::ids::QuestionId;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PollAnswer {
    Yes,
    No,
    NotSure,
}

impl PollAnswer {
    pub const ALL: [PollAnswer; 3] = [PollAnswer::Yes, PollAnswer::No, PollAnswer::NotSure];

    pub fn as_str(self) -> &'static str {
        match self {
            PollAnswer::Yes => "yes",
            PollAnswer::No => "no",
            PollAnswer::NotSure => "not_sure",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PollAnswer::Yes => "Yes",
            PollAnswer::No => "No",
            PollAnswer::NotSure => "Not sure",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// How one question's poll stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PollTally {
    pub question_id: QuestionId,
    pub yes: i64,
    pub no: i64,
    pub not_sure: i64,
    /// Comments answering the question that readers can read.
    pub answers: i64,
}

impl PollTally {
    pub fn votes(&self) -> i64 {
        self.yes + self.no + self.not_sure
    }

    pub fn count(&self, answer: PollAnswer) -> i64 {
        match answer {
            PollAnswer::Yes => self.yes,
            PollAnswer::No => self.no,
            PollAnswer::NotSure => self.not_sure,
        }
    }

    /// Whole percentages of the votes cast, 0 when nobody has voted.
    pub fn percent(&self, answer: PollAnswer) -> i64 {
        let total = self.votes();
        if total == 0 {
            0
        } else {
            (self.count(answer) * 100 + total / 2) / total
        }
    }
}

pub const MAX_PROPOSAL_CHARS: usize = 300;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_to_the_nearest_whole_number() {
        let t = PollTally {
            yes: 2,
            no: 1,
            ..Default::default()
        };
        assert_eq!(t.percent(PollAnswer::Yes), 67);
        assert_eq!(t.percent(PollAnswer::No), 33);
        assert_eq!(t.percent(PollAnswer::NotSure), 0);
    }

    #[test]
    fn answers_read_back_from_their_names() {
        for a in PollAnswer::ALL {
            assert_eq!(PollAnswer::parse(a.as_str()), Some(a));
        }
        assert_eq!(PollAnswer::parse("maybe"), None);
    }
}
