//! Moderation: newsroom accounts as far as moderators need them, bans, the moderators' queue
//! and actions, and the log of what they did.

use crate::comment::{Comment, CommentStatus};
use crate::ids::{ArticleId, CommentId, ReaderId, UserId};
use crate::role::Role;
use crate::screen::CommentMode;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub role: Role,
    pub queue_emails: bool,
}

impl User {
    pub fn moderates(&self) -> bool {
        matches!(self.role, Role::Moderator | Role::Admin)
    }
}

/// The wait before the next login attempt after `failures` failed ones in a row: none for the
/// first few, then doubling up to five minutes.
pub fn login_delay(failures: i64) -> Duration {
    if failures < 3 {
        Duration::zero()
    } else {
        Duration::seconds((1i64 << (failures - 3).min(9)).min(300))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum BanKind {
    /// A reader's device, by its cookie.
    Reader,
    Email,
    /// An address or a range in CIDR form (`203.0.113.0/24`).
    Ip,
}

impl BanKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BanKind::Reader => "reader",
            BanKind::Email => "email",
            BanKind::Ip => "ip",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [BanKind::Reader, BanKind::Email, BanKind::Ip]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ban {
    pub id: i64,
    pub kind: BanKind,
    pub value: String,
    pub reason: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct NewBan {
    pub kind: BanKind,
    pub value: String,
    pub reason: String,
    pub created_by: String,
    pub expires_at: Option<DateTime<Utc>>,
}

impl NewBan {
    /// The value in the form it is matched in, or why it cannot be a ban of its kind.
    pub fn normalised(&self) -> Result<String, String> {
        let v = self.value.trim();
        match self.kind {
            BanKind::Reader if v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit()) => {
                Ok(v.to_lowercase())
            }
            BanKind::Reader => Err("a reader ban needs the reader's 32-character id".into()),
            BanKind::Email if v.contains('@') && !v.contains(char::is_whitespace) => {
                Ok(v.to_lowercase())
            }
            BanKind::Email => Err("is not an email address".into()),
            BanKind::Ip => parse_cidr(v)
                .map(|(ip, bits)| format!("{ip}/{bits}"))
                .ok_or_else(|| "is not an IP address or range such as 203.0.113.0/24".into()),
        }
    }
}

fn parse_cidr(s: &str) -> Option<(IpAddr, u8)> {
    let (addr, bits) = match s.split_once('/') {
        Some((a, b)) => (a, Some(b.parse::<u8>().ok()?)),
        None => (s, None),
    };
    let ip: IpAddr = addr.parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let bits = bits.unwrap_or(max);
    (bits <= max).then_some((ip, bits))
}

fn in_range(ip: IpAddr, range: &str) -> bool {
    let Some((net, bits)) = parse_cidr(range) else {
        return false;
    };
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

impl Ban {
    pub fn in_force(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_none_or(|t| t > now)
    }

    /// Whether a writer with this reader id, email and address is covered by the ban.
    pub fn covers(&self, reader: &ReaderId, email: Option<&str>, ip: &str) -> bool {
        match self.kind {
            BanKind::Reader => self.value.eq_ignore_ascii_case(&reader.0),
            BanKind::Email => email.is_some_and(|e| e.trim().eq_ignore_ascii_case(&self.value)),
            BanKind::Ip => ip
                .parse::<IpAddr>()
                .is_ok_and(|ip| in_range(ip, &self.value)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ModAction {
    /// Publish (or keep) the comment.
    Approve,
    /// Remove it; the thread shows a tombstone with the reason.
    Reject,
    /// File it as spam; shown to no one.
    Spam,
}

impl ModAction {
    pub fn as_str(self) -> &'static str {
        match self {
            ModAction::Approve => "approve",
            ModAction::Reject => "reject",
            ModAction::Spam => "spam",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [ModAction::Approve, ModAction::Reject, ModAction::Spam]
            .into_iter()
            .find(|a| a.as_str() == s)
    }

    pub fn status(self) -> CommentStatus {
        match self {
            ModAction::Approve => CommentStatus::Published,
            ModAction::Reject => CommentStatus::Rejected,
            ModAction::Spam => CommentStatus::Spam,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum QueueKind {
    /// Waiting for a decision: pre-moderated, held by a rule, or hidden by readers' flags.
    Held,
    /// Published but reported by readers.
    Flagged,
    Spam,
}

impl QueueKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "held" => Some(QueueKind::Held),
            "flagged" => Some(QueueKind::Flagged),
            "spam" => Some(QueueKind::Spam),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            QueueKind::Held => "held",
            QueueKind::Flagged => "flagged",
            QueueKind::Spam => "spam",
        }
    }
}

#[derive(Debug, Clone)]
pub struct QueueFilter {
    pub kind: QueueKind,
    pub article: Option<ArticleId>,
    /// Only comments whose hold reason contains this text.
    pub reason: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

#[derive(Debug, Clone)]
pub struct QueueItem {
    pub comment: Comment,
    pub article_slug: String,
    pub article_headline: String,
    /// What readers wrote when they reported it, one entry per report with a reason.
    pub reports: Vec<String>,
    /// For a reply: the comment it answers, so a moderator reads it in context.
    pub parent: Option<Comment>,
}

#[derive(Debug, Clone)]
pub struct LogEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub comment_id: Option<CommentId>,
    pub detail: String,
}

/// Where a comment mode applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModeScope {
    Site,
    Section(String),
    Story(ArticleId),
}

impl ModeScope {
    pub fn key(&self) -> (&'static str, String) {
        match self {
            ModeScope::Site => ("site", String::new()),
            ModeScope::Section(s) => ("section", s.clone()),
            ModeScope::Story(id) => ("story", id.0.to_string()),
        }
    }
}

/// Every mode set by moderators; a story's own mode wins over its section's, which wins over
/// the site's.
#[derive(Debug, Clone, Default)]
pub struct ModeTable(pub Vec<(String, String, CommentMode)>);

impl ModeTable {
    pub fn for_story(&self, article: ArticleId, section: &str) -> Option<CommentMode> {
        let find = |scope: &str, key: &str| {
            self.0
                .iter()
                .find(|(s, k, _)| s == scope && k == key)
                .map(|(_, _, m)| *m)
        };
        find("story", &article.0.to_string())
            .or_else(|| find("section", section))
            .or_else(|| find("site", ""))
    }
}

#[derive(Debug, Clone)]
pub struct Proposal {
    pub id: i64,
    pub article_id: ArticleId,
    pub article_slug: String,
    pub text: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_login_delay_grows_and_is_capped() {
        assert_eq!(login_delay(2), Duration::zero());
        assert_eq!(login_delay(3), Duration::seconds(1));
        assert_eq!(login_delay(5), Duration::seconds(4));
        assert_eq!(login_delay(40), Duration::seconds(300));
    }

    fn ban(kind: BanKind, value: &str) -> Ban {
        Ban {
            id: 1,
            kind,
            value: value.into(),
            reason: String::new(),
            created_by: String::new(),
            created_at: Utc::now(),
            expires_at: None,
        }
    }

    #[test]
    fn an_ip_range_ban_covers_its_range_only() {
        let b = ban(BanKind::Ip, "203.0.113.0/24");
        let r = ReaderId("a".repeat(32));
        assert!(b.covers(&r, None, "203.0.113.77"));
        assert!(!b.covers(&r, None, "203.0.114.1"));
        assert!(ban(BanKind::Ip, "2001:db8::/32").covers(&r, None, "2001:db8::1"));
    }

    #[test]
    fn email_bans_ignore_case() {
        let b = ban(BanKind::Email, "troll@example.org");
        assert!(b.covers(&ReaderId("x".into()), Some(" Troll@Example.org"), "1.2.3.4"));
    }

    #[test]
    fn ban_values_are_checked_and_normalised() {
        let new = |kind, value: &str| NewBan {
            kind,
            value: value.into(),
            reason: String::new(),
            created_by: String::new(),
            expires_at: None,
        };
        assert_eq!(
            new(BanKind::Ip, "10.0.0.1").normalised().unwrap(),
            "10.0.0.1/32"
        );
        assert!(new(BanKind::Ip, "10.0.0.0/33").normalised().is_err());
        assert!(new(BanKind::Reader, "short").normalised().is_err());
    }

    #[test]
    fn a_story_mode_wins_over_its_section_and_the_site() {
        let t = ModeTable(vec![
            ("site".into(), String::new(), CommentMode::Open),
            (
                "section".into(),
                "politics".into(),
                CommentMode::Premoderated,
            ),
            ("story".into(), "7".into(), CommentMode::Closed),
        ]);
        assert_eq!(
            t.for_story(ArticleId(7), "politics"),
            Some(CommentMode::Closed)
        );
        assert_eq!(
            t.for_story(ArticleId(8), "politics"),
            Some(CommentMode::Premoderated)
        );
        assert_eq!(t.for_story(ArticleId(8), "sport"), Some(CommentMode::Open));
    }
}
