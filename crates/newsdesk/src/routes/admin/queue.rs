//! `/admin/moderation`: the held, flagged and spam lists, and the bulk actions on them.

use super::{back_to, private, Frame, Moderator, ModeratorForm};
use crate::http::error::AppError;
use crate::render::cards::DateLabel;
use crate::render::comment_text;
use crate::render::markdown::SafeHtml;
use crate::services::moderation::{apply, ban_days};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use newsdesk_core::moderation::{BanKind, ModAction, QueueFilter, QueueKind};
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
    layout: crate::render::layout::Layout,
    frame: Frame,
    items: Vec<QueueRow>,
    total: i64,
    story: String,
    reason: String,
    back: String,
    next_page: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct QueueQuery {
    kind: String,
    story: String,
    reason: String,
    page: String,
    done: String,
}

pub async fn show(
    State(state): State<AppState>,
    Moderator(staff): Moderator,
    Query(q): Query<QueueQuery>,
) -> Result<Response, AppError> {
    page(&state, &staff, q).await
}

async fn page(
    state: &AppState,
    staff: &crate::services::staff::Staff,
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
    let (layout, frame) = Frame::new(
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
                story_url: crate::services::links::article_path(&i.article_slug),
                story_headline: i.article_headline,
                date: DateLabel::long(i.comment.created_at),
                reason: i.comment.reason,
                flags: i.comment.flags,
                parent: i
                    .parent
                    .as_ref()
                    .map(|p| (p.name.clone(), crate::render::format::excerpt(&p.body, 160))),
                reports: i.reports,
                permalink: crate::services::links::comment_path(&i.article_slug, i.comment.id),
                email: i.comment.email.unwrap_or_default(),
                ip: i.comment.ip,
                reader: i.comment.reader.0,
            })
            .collect(),
        total,
        story: q.story,
        reason: q.reason,
        back,
        layout,
        frame,
    }))
}

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The bulk form under each list: the comments picked and what to do with them.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActForm {
    ids: Vec<i64>,
    action: String,
    reason: String,
    ban: String,
    days: String,
    back: String,
}

pub async fn act(
    State(state): State<AppState>,
    ModeratorForm {
        staff, fields: f, ..
    }: ModeratorForm<ActForm>,
) -> Result<Response, AppError> {
    let action = ModAction::parse(&f.action)
        .ok_or_else(|| AppError::invalid("action", "must be approve, reject or spam"))?;
    if f.ids.is_empty() {
        return Err(AppError::invalid("ids", "pick at least one comment"));
    }
    let ids: Vec<CommentId> = f.ids.iter().copied().map(CommentId).collect();
    let ban = match f.ban.as_str() {
        "" => None,
        k => Some(
            BanKind::parse(k)
                .ok_or_else(|| AppError::invalid("ban", "must be reader, email or ip"))?,
        ),
    };
    let days = ban_days(&f.days)?;
    let done = apply(&state, &staff.actor(), &ids, action, &f.reason, ban, days).await?;
    let subject = format!(
        "comments {}",
        f.ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    crate::services::audit::record(
        &state,
        &staff.who(),
        newsdesk_core::audit::AuditAction::Moderated,
        &subject,
        &done,
    )
    .await;
    Ok(back_to(super::safe_next(&f.back), &done))
}
