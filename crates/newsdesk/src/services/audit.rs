//! Writing the audit log: who (a person, a token, the command line or the system), from
//! which address, did what to what. A line that cannot be written is logged loudly; the
//! action it describes has already happened and is not undone.

use crate::state::AppState;
use chrono::Utc;
use newsdesk_core::audit::{AuditAction, NewAuditEntry};
use newsdesk_core::{Article, ArticleStatus, Store};

/// Who acted, and from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Who {
    pub actor: String,
    pub ip: String,
}

impl Who {
    pub fn new(actor: impl Into<String>, ip: impl Into<String>) -> Who {
        Who {
            actor: actor.into(),
            ip: ip.into(),
        }
    }

    /// The command line on the server itself.
    pub fn cli() -> Who {
        Who::new("cli", "")
    }

    /// The server acting on its own (a scheduled story going live).
    pub fn system() -> Who {
        Who::new("system", "")
    }
}

/// Text kept in the log is bounded: a line says what happened, it does not hold a story.
fn bounded(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut cut: String = s.chars().take(max).collect();
        cut.push('…');
        cut
    }
}

pub async fn record_in(
    store: &dyn Store,
    who: &Who,
    action: AuditAction,
    subject: &str,
    detail: &str,
) {
    let entry = NewAuditEntry {
        actor: bounded(&who.actor, 200),
        action,
        subject: bounded(subject, 300),
        detail: bounded(detail, 1000),
        ip: bounded(&who.ip, 64),
    };
    if let Err(e) = store.record_audit(&entry, Utc::now()).await {
        tracing::error!(error = %e, action = action.as_str(), subject, "the audit log could not be written");
    }
}

pub async fn record(state: &AppState, who: &Who, action: AuditAction, subject: &str, detail: &str) {
    record_in(state.store.as_ref(), who, action, subject, detail).await;
}

/// The lines a story's save leaves: created or changed, a change of status said as such
/// (published, scheduled, withdrawn), and each claim whose verification status moved.
pub async fn story_saved(state: &AppState, who: &Who, before: Option<&Article>, after: &Article) {
    for (action, detail) in story_lines(before, after) {
        record(state, who, action, &after.slug, &detail).await;
    }
}

fn story_lines(before: Option<&Article>, after: &Article) -> Vec<(AuditAction, String)> {
    let mut lines = Vec::new();
    let status = |a: &Article| a.status.as_str().to_string();
    match before {
        None => lines.push((
            AuditAction::StoryCreated,
            format!("“{}”, {}", after.headline, status(after)),
        )),
        Some(b) => {
            let mut changed: Vec<&str> = Vec::new();
            for (name, differs) in [
                ("headline", b.headline != after.headline),
                ("standfirst", b.standfirst != after.standfirst),
                ("body", b.body != after.body),
                ("slug", b.slug != after.slug),
                ("section", b.section != after.section),
                ("tags", b.tags != after.tags),
                ("authors", b.authors != after.authors),
                ("hero", b.hero != after.hero),
                ("claims", b.claims != after.claims),
                ("publication time", b.published_at != after.published_at),
            ] {
                if differs {
                    changed.push(name);
                }
            }
            let detail = if changed.is_empty() {
                "no field changed".to_string()
            } else {
                format!("changed {}", changed.join(", "))
            };
            lines.push((AuditAction::StoryChanged, detail));
        }
    }
    let was = before.map(|b| b.status);
    if was != Some(after.status) {
        let moved = format!(
            "{} → {}",
            was.map_or("new".into(), |s| s.as_str().to_string()),
            status(after)
        );
        match after.status {
            ArticleStatus::Published => lines.push((AuditAction::StoryPublished, moved)),
            ArticleStatus::Scheduled => lines.push((AuditAction::StoryScheduled, moved)),
            ArticleStatus::Unpublished => lines.push((AuditAction::StoryUnpublished, moved)),
            _ => {}
        }
    }
    for c in &after.claims {
        let old = before
            .and_then(|b| b.claims.iter().find(|o| o.quote == c.quote))
            .map(|o| o.status);
        if old.is_some_and(|o| o != c.status) || (before.is_some() && old.is_none()) {
            let from = old.map_or("new".to_string(), |o| o.as_str().to_string());
            lines.push((
                AuditAction::ClaimStatusChanged,
                format!("“{}”: {from} → {}", c.quote, c.status.as_str()),
            ));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(status: ArticleStatus, claim: newsdesk_core::ClaimStatus) -> Article {
        let t = chrono::Utc::now();
        let mut a = Article {
            id: newsdesk_core::ArticleId(1),
            slug: "rail-strike".into(),
            status,
            published_at: None,
            created_at: t,
            updated_at: t,
            revision: 1,
            updated_by: String::new(),
            headline: "Rail strike".into(),
            standfirst: "S.".into(),
            body: "The union said trains would stop.".into(),
            section: "city".into(),
            tags: vec![],
            authors: vec![],
            hero: None,
            claims: vec![],
            debate: vec![],
            corrections: vec![],
            comment_count: 0,
        };
        a.status = status;
        a.claims = vec![newsdesk_core::Claim {
            quote: "trains would stop".into(),
            source: newsdesk_core::Source {
                name: "Union".into(),
                role: String::new(),
                url: None,
            },
            status: claim,
            note: String::new(),
        }];
        a
    }

    #[test]
    fn a_save_that_publishes_and_checks_a_claim_leaves_a_line_for_each() {
        use newsdesk_core::ClaimStatus;
        let before = story(ArticleStatus::Draft, ClaimStatus::Unverified);
        let mut after = story(ArticleStatus::Published, ClaimStatus::Verified);
        after.headline = "Rail strike called".into();
        let lines = story_lines(Some(&before), &after);
        let actions: Vec<&str> = lines.iter().map(|(a, _)| a.as_str()).collect();
        assert_eq!(
            actions,
            ["story.changed", "story.published", "claim.status_changed"]
        );
        assert_eq!(lines[0].1, "changed headline, claims");
        assert_eq!(lines[1].1, "draft → published");
        assert!(
            lines[2].1.contains("unverified → verified"),
            "{}",
            lines[2].1
        );
        let created = story_lines(None, &after);
        assert_eq!(created[0].0, AuditAction::StoryCreated);
        assert_eq!(created[1].0, AuditAction::StoryPublished);
    }

    #[test]
    fn long_text_is_cut_with_a_mark() {
        assert_eq!(bounded("abcdef", 3), "abc…");
        assert_eq!(bounded("abc", 3), "abc");
    }
}
