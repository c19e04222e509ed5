//! `/admin/`: each newsroom member's home, listing what needs them now by role: their drafts,
//! stories waiting for review, what is scheduled and when, stories whose claims are still to
//! check (oldest first), and for moderators the comments waiting for them.

use super::{private, Frame, Newsroom};
use crate::http::error::AppError;
use crate::render::cards::DateLabel;
use crate::services::links::newsroom_story_path;
use crate::services::staff::Staff;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use newsdesk_core::moderation::{QueueFilter, QueueKind};
use newsdesk_core::{Article, ArticleFilter, ArticleStatus, PageRequest};

/// Stories a block lists at most; the rest are counted.
const PER_BLOCK: i64 = 10;

pub struct StoryRow {
    pub headline: String,
    pub status: &'static str,
    pub date: Option<DateLabel>,
    /// The story in the editor.
    pub href: String,
    pub open_claims: usize,
}

/// One list on the home page.
pub struct Block {
    pub key: &'static str,
    pub title: &'static str,
    /// What the date column holds.
    pub when: &'static str,
    pub empty: &'static str,
    pub rows: Vec<StoryRow>,
    pub total: i64,
}

pub struct Moderation {
    pub held: i64,
    pub flagged: i64,
}

#[derive(Template)]
#[template(path = "admin/home.html")]
struct HomePage {
    layout: crate::render::layout::Layout,
    frame: Frame,
    moderation: Option<Moderation>,
    blocks: Vec<Block>,
}

/// What one block asks the store for.
struct Ask {
    key: &'static str,
    title: &'static str,
    when: &'static str,
    empty: &'static str,
    filter: ArticleFilter,
}

/// The blocks a role sees: its own work for writers, everyone's for editors.
fn asks(staff: &Staff) -> Vec<Ask> {
    let role = staff.user.role;
    if !role.writes_stories() {
        return Vec::new();
    }
    let everyone = role.edits_any_story();
    let owner = (!everyone).then(|| staff.actor());
    let mut asks = vec![Ask {
        key: "drafts",
        title: "Your drafts",
        when: "Last changed",
        empty: "You have no drafts.",
        filter: ArticleFilter {
            owner: Some(staff.actor()),
            status: Some(ArticleStatus::Draft),
            ..Default::default()
        },
    }];
    asks.push(Ask {
        key: "review",
        title: if everyone {
            "Waiting for review"
        } else {
            "Your stories waiting for an editor"
        },
        when: "Last changed",
        empty: "Nothing waits for review.",
        filter: ArticleFilter {
            owner: owner.clone(),
            status: Some(ArticleStatus::Review),
            ..Default::default()
        },
    });
    if role.publishes() {
        asks.push(Ask {
            key: "scheduled",
            title: "Scheduled",
            when: "Goes live",
            empty: "Nothing is scheduled.",
            filter: ArticleFilter {
                owner: owner.clone(),
                status: Some(ArticleStatus::Scheduled),
                oldest_first: true,
                ..Default::default()
            },
        });
    }
    asks.push(Ask {
        key: "claims",
        title: "Claims still to check",
        when: "Published",
        empty: "Every claim has a verdict.",
        filter: ArticleFilter {
            owner,
            open_claims: true,
            oldest_first: true,
            ..Default::default()
        },
    });
    asks
}

fn row(a: &Article, now: chrono::DateTime<Utc>) -> StoryRow {
    let shown = match a.status {
        ArticleStatus::Scheduled | ArticleStatus::Published => a.published_at,
        _ => Some(a.updated_at),
    };
    StoryRow {
        headline: a.headline.clone(),
        status: a.effective_status(now).as_str(),
        date: shown.map(DateLabel::long),
        href: newsroom_story_path(&a.slug),
        open_claims: a.claims.iter().filter(|c| c.status.is_open()).count(),
    }
}

async fn count(state: &AppState, kind: QueueKind) -> Result<i64, AppError> {
    let filter = QueueFilter {
        kind,
        article: None,
        reason: None,
        offset: 0,
        limit: 1,
    };
    Ok(state.store.moderation_queue(&filter).await?.1)
}

pub async fn show(
    State(state): State<AppState>,
    Newsroom(staff): Newsroom,
) -> Result<Response, AppError> {
    let now = Utc::now();
    let mut blocks = Vec::new();
    for ask in asks(&staff) {
        let list = state
            .store
            .list_articles(&ask.filter, PageRequest::page(1, PER_BLOCK), now)
            .await?;
        blocks.push(Block {
            key: ask.key,
            title: ask.title,
            when: ask.when,
            empty: ask.empty,
            rows: list.items.iter().map(|a| row(a, now)).collect(),
            total: list.total,
        });
    }
    let moderation = if staff.user.moderates() {
        Some(Moderation {
            held: count(&state, QueueKind::Held).await?,
            flagged: count(&state, QueueKind::Flagged).await?,
        })
    } else {
        None
    };
    let heading = format!("Hello, {}", staff.user.email);
    let (layout, frame) = Frame::new(&state, &staff, &heading, "home", None).await?;
    Ok(private(HomePage {
        layout,
        frame,
        moderation,
        blocks,
    }))
}
