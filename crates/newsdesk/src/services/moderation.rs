//! Moderators' decisions, for the newsroom's pages and the API alike: applying a decision to
//! comments (with any bans it carries), reading a new ban from its fields, deciding readers'
//! proposed questions and setting how open conversations are.

use crate::http::error::AppError;
use crate::state::AppState;
use chrono::{Duration, Utc};
use newsdesk_core::moderation::{BanKind, ModAction, ModeScope, NewBan, Proposal};
use newsdesk_core::screen::CommentMode;
use newsdesk_core::store::StoryChange;
use newsdesk_core::CommentId;
use newsdesk_core::{ArticleInput, StoreError};

/// Applies a moderator's decision (and any bans), then refreshes this node's view of it.
pub async fn apply(
    state: &AppState,
    actor: &str,
    ids: &[CommentId],
    action: ModAction,
    reason: &str,
    ban: Option<BanKind>,
    days: Option<i64>,
) -> Result<String, AppError> {
    let now = Utc::now();
    let reason = reason.trim();
    if action == ModAction::Reject && reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            "is needed to reject: readers see it where the comment was",
        ));
    }
    if reason.chars().count() > 200 || reason.contains('\0') {
        return Err(AppError::invalid(
            "reason",
            "must be at most 200 characters of text",
        ));
    }
    let changed = state
        .store
        .moderate(ids, action, reason, actor, now)
        .await?;
    let mut banned = 0;
    let mut unbannable = 0;
    if let Some(kind) = ban {
        for c in &changed {
            let value = match kind {
                BanKind::Reader => Some(c.reader.0.clone()),
                BanKind::Email => c.email.clone(),
                BanKind::Ip => Some(c.ip.clone()),
            };
            let Some(value) = value.filter(|v| !v.is_empty() && v != "unknown") else {
                unbannable += 1;
                continue;
            };
            let new = NewBan {
                kind,
                value,
                reason: if reason.is_empty() {
                    format!("comment {}", c.id)
                } else {
                    reason.to_string()
                },
                created_by: actor.to_string(),
                expires_at: days.map(|d| now + Duration::days(d)),
            };
            if new.normalised().is_ok() {
                state.store.add_ban(&new, now).await?;
                banned += 1;
            } else {
                unbannable += 1;
            }
        }
    }
    // Decisions are rare next to page views: this node drops its pages at once (the
    // counts on lists change too); other nodes see the threads move; shared caches drop the
    // conversations decided on.
    state.pages.clear();
    let mut threads = crate::services::page_keys::Keys::new();
    for c in &changed {
        threads.add("thread", c.article_id.0);
    }
    state.purger.purge(&threads);
    if let Err(e) = state.standing.refresh(state.store.as_ref(), true).await {
        tracing::warn!(error = %e, "cannot reload bans after a moderation action");
    }
    tracing::info!(
        actor,
        action = action.as_str(),
        count = changed.len(),
        banned,
        "moderated"
    );
    let not_banned = match (unbannable, ban) {
        (0, _) | (_, None) => String::new(),
        (n, Some(kind)) => format!("; {n} not banned: no {} to ban by", kind.as_str()),
    };
    Ok(format!(
        "{} {} {}{}{not_banned}",
        match action {
            ModAction::Approve => "Approved",
            ModAction::Reject => "Rejected",
            ModAction::Spam => "Marked as spam:",
        },
        changed.len(),
        if changed.len() == 1 {
            "comment"
        } else {
            "comments"
        },
        if banned > 0 {
            format!("; {banned} banned")
        } else {
            String::new()
        }
    ))
}

/// How long a ban lasts, from a form's `days` field: empty for good, else 1 to 3650 days.
pub fn ban_days(days: &str) -> Result<Option<i64>, AppError> {
    match days.trim() {
        "" => Ok(None),
        d => d
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=3650).contains(d))
            .map(Some)
            .ok_or_else(|| AppError::invalid("days", "must be a number of days from 1 to 3650")),
    }
}

/// A ban from a form's or the API's fields, checked field by field.
pub fn new_ban(
    kind: &str,
    value: &str,
    reason: &str,
    days: &str,
    actor: &str,
) -> Result<NewBan, AppError> {
    let kind = BanKind::parse(kind)
        .ok_or_else(|| AppError::invalid("kind", "must be reader, email or ip"))?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(AppError::invalid(
            "reason",
            "is required, up to 200 characters",
        ));
    }
    let expires_at = ban_days(days)?.map(|d| Utc::now() + Duration::days(d));
    let ban = NewBan {
        kind,
        value: value.to_string(),
        reason: reason.to_string(),
        created_by: actor.to_string(),
        expires_at,
    };
    ban.normalised()
        .map_err(|m| AppError::invalid("value", m))?;
    Ok(ban)
}

/// Accepts a reader's question into the story's debate, or declines it. The question joins
/// the story in the same transaction as the acceptance: never accepted and missing.
pub async fn decide_proposal(
    state: &AppState,
    id: i64,
    accept: bool,
    actor: &str,
) -> Result<Proposal, AppError> {
    let now = Utc::now();
    let not_waiting = || AppError::NotFound("no proposal waits with that id".into());
    // Crossing edits move the story's revision on; read it again and retry.
    for _ in 0..10 {
        let change = if accept {
            let p = state
                .store
                .pending_proposals()
                .await?
                .into_iter()
                .find(|p| p.id == id)
                .ok_or_else(not_waiting)?;
            let a = state
                .store
                .find_article(&p.article_slug)
                .await?
                .ok_or_else(|| AppError::NotFound("the story is gone".into()))?;
            let mut debate: Vec<String> = a.debate.iter().map(|q| q.text.clone()).collect();
            if debate.contains(&p.text) {
                None
            } else {
                debate.push(p.text.clone());
                let input = ArticleInput {
                    debate: Some(debate),
                    ..Default::default()
                };
                let fields = input
                    .over(&a)
                    .validate(now)
                    .map_err(|e| AppError::Invalid(e.0))?;
                Some((a.id, a.revision, fields))
            }
        } else {
            None
        };
        let story = change.as_ref().map(|(id, revision, fields)| StoryChange {
            id: *id,
            revision: *revision,
            fields,
        });
        match state
            .store
            .decide_proposal(id, accept, story, actor, now)
            .await
        {
            Ok(p) => {
                if accept {
                    if let Some(a) = state.store.find_article(&p.article_slug).await? {
                        state.changed_story(&a);
                    }
                }
                return Ok(p);
            }
            Err(StoreError::Stale) => continue,
            Err(StoreError::NotFound) => return Err(not_waiting()),
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::Conflict(
        "the story kept changing while the question was added; try again".into(),
    ))
}

/// Sets a comment mode from a scope name, a slug and a mode name (or `inherit`).
pub async fn apply_mode(
    state: &AppState,
    scope: &str,
    key: &str,
    mode: &str,
    actor: &str,
) -> Result<(), AppError> {
    let mode = match mode {
        "inherit" => None,
        m => Some(CommentMode::parse(m).ok_or_else(|| {
            AppError::invalid("mode", "must be open, premoderated, closed or inherit")
        })?),
    };
    let key = key.trim();
    let scope = match scope {
        "site" => ModeScope::Site,
        "section" if !key.is_empty() => {
            let key = key.to_lowercase();
            let known = state.store.sections(Utc::now()).await?;
            if !known.iter().any(|(s, _)| *s == key) {
                return Err(AppError::invalid(
                    "key",
                    "no published story is in that section",
                ));
            }
            ModeScope::Section(key)
        }
        "story" => ModeScope::Story(
            state
                .store
                .find_article(key)
                .await?
                .ok_or_else(|| AppError::invalid("key", "no story has that slug"))?
                .id,
        ),
        "section" => return Err(AppError::invalid("key", "name the section's slug")),
        _ => return Err(AppError::invalid("scope", "must be site, section or story")),
    };
    state
        .store
        .set_comment_mode(&scope, mode, actor, Utc::now())
        .await?;
    state.standing.refresh(state.store.as_ref(), false).await?;
    state.changed_site();
    Ok(())
}
