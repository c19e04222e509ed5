//! `/admin/moderation`: the held, flagged and spam lists, and the bulk actions on them.

use super::{back_to, check_form, field, fields, moderator, private, Frame};
use crate::error::AppError;
use crate::render::comment_text;
use crate::render::SafeHtml;
use crate::routes::site::cards::DateLabel;
use crate::staff::MaybeStaff;
use crate::state::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use newsdesk_core::moderation::{BanKind, ModAction, NewBan, QueueFilter, QueueKind};
use newsdesk_core::CommentId;
use serde::Deserialize;

const PER_PAGE: i64 = 50;

pub struct QueueRow {
    pub id: i64,
    pub name: String,
    pub body: SafeHtml,
    pub story_url: String,
    pub story_headline: String,
    pub date: DateLabel,
    pub reason: String,
    pub flags: i64,
    pub reports: Vec<String>,
    pub permalink: String,
    /// For a reply: who it answers and the start of what they wrote.
    pub parent: Option<(String, String)>,
    pub email: String,
    pub ip: String,
    pub reader: String,
}

#[derive(Template)]
#[template(path = "admin/queue.html")]
struct QueuePage {
    layout: crate::routes::site::layout::Layout,
    heading: String,
    tab: &'static str,
    csrf: String,
    who: String,
    notice: Option<String>,
    items: Vec<QueueRow>,
    total: i64,
    story: String,
    reason: String,
    back: String,
    next_page: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    story: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    page: String,
    #[serde(default)]
    done: String,
}

pub async fn show(
    State(state): State<AppState>,
    staff: MaybeStaff,
    Query(q): Query<QueueQuery>,
) -> Response {
    let staff = match moderator(staff, "/admin/moderation") {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    match page(&state, &staff, q).await {
        Ok(r) => r,
        Err(e) => {
            crate::routes::site::forms::refuse(&state, false, e, Some("/admin/moderation")).await
        }
    }
}

async fn page(
    state: &AppState,
    staff: &crate::staff::Staff,
    q: QueueQuery,
) -> Result<Response, AppError> {
    let kind = if q.kind.is_empty() {
        QueueKind::Held
    } else {
        QueueKind::parse(&q.kind)
            .ok_or_else(|| AppError::invalid("kind", "must be held, flagged or spam"))?
    };
    let page: i64 = q.page.parse().unwrap_or(1).max(1);
    let article = if q.story.trim().is_empty() {
        None
    } else {
        Some(
            state
                .store
                .find_article(q.story.trim())
                .await?
                .ok_or_else(|| AppError::invalid("story", "no story has that slug"))?
                .id,
        )
    };
    let filter = QueueFilter {
        kind,
        article,
        reason: Some(q.reason.trim().to_string()).filter(|r| !r.is_empty()),
        offset: (page - 1) * PER_PAGE,
        limit: PER_PAGE,
    };
    let (items, total) = state.store.moderation_queue(&filter).await?;
    let heading = match kind {
        QueueKind::Held => "Held for a decision",
        QueueKind::Flagged => "Reported by readers",
        QueueKind::Spam => "Spam",
    };
    let frame = Frame::new(
        state,
        staff,
        heading,
        kind.as_str(),
        Some(q.done).filter(|d| !d.is_empty()),
    )
    .await?;
    let back = format!(
        "/admin/moderation?kind={}&story={}&reason={}",
        kind.as_str(),
        enc(&q.story),
        enc(&q.reason)
    );
    Ok(private(QueuePage {
        next_page: (page * PER_PAGE < total).then(|| format!("{back}&page={}", page + 1)),
        items: items
            .into_iter()
            .map(|i| QueueRow {
                id: i.comment.id.0,
                body: comment_text::render(&i.comment.body),
                name: i.comment.name,
                story_url: format!("/news/{}", i.article_slug),
                story_headline: i.article_headline,
                date: DateLabel::long(i.comment.created_at),
                reason: i.comment.reason,
                flags: i.comment.flags,
                parent: i
                    .parent
                    .as_ref()
                    .map(|p| (p.name.clone(), crate::render::format::excerpt(&p.body, 160))),
                reports: i.reports,
                permalink: format!("/news/{}/comments/{}", i.article_slug, i.comment.id),
                email: i.comment.email.unwrap_or_default(),
                ip: i.comment.ip,
                reader: i.comment.reader.0,
            })
            .collect(),
        total,
        story: q.story,
        reason: q.reason,
        back,
        layout: frame.layout,
        heading: frame.heading,
        tab: frame.tab,
        csrf: frame.csrf,
        who: frame.who,
        notice: frame.notice,
    }))
}

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

pub async fn act(
    State(state): State<AppState>,
    staff: MaybeStaff,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let staff = match moderator(staff, "/admin/moderation") {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    let f = fields(&body);
    let result: Result<String, AppError> = async {
        check_form(&staff, &headers, &f)?;
        let action = ModAction::parse(field(&f, "action"))
            .ok_or_else(|| AppError::invalid("action", "must be approve, reject or spam"))?;
        let ids: Vec<CommentId> = f
            .get("ids")
            .map(|v| {
                v.iter()
                    .filter_map(|i| i.parse().ok())
                    .map(CommentId)
                    .collect()
            })
            .unwrap_or_default();
        if ids.is_empty() {
            return Err(AppError::invalid("ids", "pick at least one comment"));
        }
        let ban = match field(&f, "ban") {
            "" => None,
            k => Some(
                BanKind::parse(k)
                    .ok_or_else(|| AppError::invalid("ban", "must be reader, email or ip"))?,
            ),
        };
        let days = match field(&f, "days").trim() {
            "" => None,
            d => Some(
                d.parse::<i64>()
                    .ok()
                    .filter(|d| (1..=3650).contains(d))
                    .ok_or_else(|| {
                        AppError::invalid("days", "must be a number of days from 1 to 3650")
                    })?,
            ),
        };
        let done = apply(
            &state,
            &staff.actor(),
            &ids,
            action,
            field(&f, "reason"),
            ban,
            days,
        )
        .await?;
        Ok(done)
    }
    .await;
    match result {
        Ok(done) => back_to(super::safe_next(field(&f, "back")), &done),
        Err(e) => {
            crate::routes::site::forms::refuse(&state, false, e, Some("/admin/moderation")).await
        }
    }
}

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
    // counts on lists change too); other nodes see the threads move.
    state.pages.clear();
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
