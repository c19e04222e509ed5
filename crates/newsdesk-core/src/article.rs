//! A story as the newsroom stores it, with its claims, debate questions and corrections.

use crate::ids::ArticleId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ArticleStatus {
    Draft,
    /// A contributor's story waiting for an editor.
    Review,
    Scheduled,
    Published,
    Unpublished,
}

impl ArticleStatus {
    pub const ALL: [ArticleStatus; 5] = [
        ArticleStatus::Draft,
        ArticleStatus::Review,
        ArticleStatus::Scheduled,
        ArticleStatus::Published,
        ArticleStatus::Unpublished,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "draft",
            ArticleStatus::Review => "review",
            ArticleStatus::Scheduled => "scheduled",
            ArticleStatus::Published => "published",
            ArticleStatus::Unpublished => "unpublished",
        }
    }

    /// Not yet public and not meant to be by itself: written, or waiting for an editor.
    pub fn is_unfinished(self) -> bool {
        matches!(self, ArticleStatus::Draft | ArticleStatus::Review)
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ClaimStatus {
    Unverified,
    Verified,
    Disputed,
    False,
}

impl ClaimStatus {
    pub const ALL: [ClaimStatus; 4] = [
        ClaimStatus::Unverified,
        ClaimStatus::Verified,
        ClaimStatus::Disputed,
        ClaimStatus::False,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Unverified => "unverified",
            ClaimStatus::Verified => "verified",
            ClaimStatus::Disputed => "disputed",
            ClaimStatus::False => "false",
        }
    }

    /// The word a reader sees on the claim's badge.
    pub fn label(self) -> &'static str {
        match self {
            ClaimStatus::Unverified => "Unverified",
            ClaimStatus::Verified => "Verified",
            ClaimStatus::Disputed => "Disputed",
            ClaimStatus::False => "False",
        }
    }

    /// Still to be checked: unverified or disputed.
    pub fn is_open(self) -> bool {
        matches!(self, ClaimStatus::Unverified | ClaimStatus::Disputed)
    }

    /// Whether the newsroom reached a verdict, which is then published as ClaimReview data.
    pub fn has_verdict(self) -> bool {
        !matches!(self, ClaimStatus::Unverified)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Hero {
    /// An absolute http(s) URL or a path on this site, such as `/media/harbour.svg`.
    pub url: String,
    /// Describes the picture for readers who cannot see it.
    pub alt: String,
    #[serde(default)]
    pub caption: String,
    #[serde(default)]
    pub credit: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Source {
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Claim {
    /// Words that occur in the body exactly as written here.
    pub quote: String,
    pub source: Source,
    pub status: ClaimStatus,
    /// The editor's note on how far the claim is confirmed.
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Correction {
    pub at: DateTime<Utc>,
    pub note: String,
    /// A correction puts right what was wrong; an update adds what is new.
    #[serde(default)]
    pub kind: CorrectionKind,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CorrectionKind {
    #[default]
    Correction,
    Update,
}

impl CorrectionKind {
    pub fn label(self) -> &'static str {
        match self {
            CorrectionKind::Correction => "Correction",
            CorrectionKind::Update => "Update",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DebateQuestion {
    pub id: i64,
    pub text: String,
}

/// How far ahead of the clock a published story's time may be: machines' clocks differ a little.
pub const PUBLISHED_AHEAD_MINUTES: i64 = 5;

#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    // Who it is and where it stands in its life.
    pub id: ArticleId,
    pub slug: String,
    pub status: ArticleStatus,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Counts every change, so caches and editors can tell versions apart.
    pub revision: i64,
    /// Who changed it last (`user:ana@example.org`, `token:7`).
    pub updated_by: String,
    // What it says.
    pub headline: String,
    pub standfirst: String,
    pub body: String,
    pub section: String,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    pub hero: Option<Hero>,
    pub claims: Vec<Claim>,
    pub debate: Vec<DebateQuestion>,
    pub corrections: Vec<Correction>,
    /// Published reader comments.
    pub comment_count: i64,
}

impl Article {
    /// Whether readers can see the story at `now`: published, or scheduled and due.
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        match self.status {
            ArticleStatus::Published => true,
            ArticleStatus::Scheduled => self.published_at.is_some_and(|at| at <= now),
            ArticleStatus::Draft | ArticleStatus::Review | ArticleStatus::Unpublished => false,
        }
    }

    /// The status as readers experience it: a scheduled story past its time is published.
    pub fn effective_status(&self, now: DateTime<Utc>) -> ArticleStatus {
        if self.status == ArticleStatus::Scheduled && self.is_live(now) {
            ArticleStatus::Published
        } else {
            self.status
        }
    }

    /// The time to show as "updated": the latest correction, else a later edit of a published story.
    pub fn shown_update(&self) -> Option<DateTime<Utc>> {
        let published = self.published_at?;
        let latest_correction = self.corrections.iter().map(|c| c.at).max();
        let edited =
            (self.updated_at - published > chrono::Duration::minutes(5)).then_some(self.updated_at);
        latest_correction.max(edited).filter(|at| *at > published)
    }
}
