//! `GET /admin/stories/{slug}/history`: every kept revision of a story, who saved it and when,
//! a word-level comparison of any two (`?from=&to=`, the latest two by default), and a button
//! to restore one; `POST /admin/stories/{slug}/history/{n}/restore` restores it as a new
//! revision.

use super::super::access::Csrf;
use super::super::frame::Frame;
use super::super::respond::{back_to, private};
use super::edit::writer;
use super::{story_address, Newsroom, NewsroomForm};
use crate::http::error::AppError;
use crate::http::extract::Params;
use crate::render::cards::DateLabel;
use crate::render::diff::word_diff;
use crate::render::markdown::SafeHtml;
use crate::services::audit;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use newsdesk_core::audit::AuditAction;
use newsdesk_core::newsroom::{self, Actor};
use newsdesk_core::revision::Snapshot;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Compare {
    from: String,
    to: String,
}

pub struct Row {
    pub revision: i64,
    pub saved: DateLabel,
    pub by: String,
}

/// One field that differs between the two revisions compared.
pub struct Change {
    pub field: &'static str,
    pub diff: SafeHtml,
}

#[derive(Template)]
#[template(path = "admin/history.html")]
struct HistoryPage {
    layout: crate::render::layout::Layout,
    frame: Frame,
    slug: String,
    rows: Vec<Row>,
    compared: Option<(i64, i64)>,
    changes: Vec<Change>,
}

/// A snapshot's fields as lines of text, in the order the comparison shows them.
fn fields(s: &Snapshot) -> Vec<(&'static str, String)> {
    let claims = s
        .claims
        .iter()
        .map(|c| {
            format!(
                "“{}” ({}), {}: {}",
                c.quote,
                c.status.as_str(),
                c.source.name,
                c.note
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let corrections = s
        .corrections
        .iter()
        .map(|c| {
            format!(
                "{} {}: {}",
                c.kind.label(),
                c.at.format("%-d %B %Y"),
                c.note
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    vec![
        ("Headline", s.headline.clone()),
        ("Standfirst", s.standfirst.clone()),
        ("Status", s.status.as_str().to_string()),
        (
            "Publication time",
            s.published_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
        ),
        ("Section", s.section.clone()),
        ("Tags", s.tags.join(", ")),
        ("Authors", s.authors.join(", ")),
        ("Body", s.body.clone()),
        ("Claims", claims),
        ("Debate questions", s.debate.join("\n")),
        ("Corrections and updates", corrections),
    ]
}

impl HistoryPage {
    fn is_from(&self, n: &i64) -> bool {
        self.compared.is_some_and(|(from, _)| from == *n)
    }

    fn is_to(&self, n: &i64) -> bool {
        self.compared.is_some_and(|(_, to)| to == *n)
    }
}

pub async fn show(
    State(state): State<AppState>,
    Newsroom(staff): Newsroom,
    Path(slug): Path<String>,
    Params(q): Params<Compare>,
) -> Result<Response, AppError> {
    writer(&staff)?;
    let article = super::story(&state, &slug).await?;
    let revisions = state.store.revisions(article.id).await?;
    let number = |field: &str, v: &str, default: Option<i64>| match v.trim() {
        "" => Ok(default),
        v => v
            .parse::<i64>()
            .map(Some)
            .map_err(|_| AppError::invalid(field, "must be a revision number")),
    };
    let to = number("to", &q.to, revisions.first().map(|r| r.revision))?;
    let from = number("from", &q.from, revisions.get(1).map(|r| r.revision))?;
    let mut changes = Vec::new();
    let compared = match (from, to) {
        (Some(from), Some(to)) => {
            let (old, new) = (
                snapshot(&state, article.id, from).await?,
                snapshot(&state, article.id, to).await?,
            );
            for ((field, a), (_, b)) in fields(&old).into_iter().zip(fields(&new)) {
                if a != b {
                    changes.push(Change {
                        field,
                        diff: word_diff(&a, &b),
                    });
                }
            }
            Some((from, to))
        }
        _ => None,
    };
    let heading = format!("History: {}", article.headline);
    let (layout, frame) = Frame::new(&state, &staff, &heading, "stories", None).await?;
    Ok(private(HistoryPage {
        layout,
        frame,
        slug: article.slug.clone(),
        rows: revisions
            .iter()
            .map(|r| Row {
                revision: r.revision,
                saved: DateLabel::long(r.saved_at),
                by: r.saved_by.trim_start_matches("user:").to_string(),
            })
            .collect(),
        compared,
        changes,
    }))
}

async fn snapshot(
    state: &AppState,
    id: newsdesk_core::ArticleId,
    n: i64,
) -> Result<Snapshot, AppError> {
    state
        .store
        .revision(id, n)
        .await?
        .map(|(_, s)| s)
        .ok_or_else(|| AppError::NotFound(format!("the story has no revision {n}")))
}

pub async fn restore(
    State(state): State<AppState>,
    Path((slug, n)): Path<(String, i64)>,
    NewsroomForm { staff, .. }: NewsroomForm<Csrf>,
) -> Result<Response, AppError> {
    writer(&staff)?;
    let actor = Actor {
        role: staff.user.role,
        principal: staff.actor(),
    };
    let now = chrono::Utc::now();
    let restored = newsroom::restore_revision(state.store.as_ref(), &actor, &slug, n, now).await?;
    state.changed_story(&restored);
    audit::record(
        &state,
        &staff.who(),
        AuditAction::StoryRestored,
        &restored.slug,
        &format!("revision {n} restored as revision {}", restored.revision),
    )
    .await;
    Ok(back_to(
        &story_address(&restored.slug),
        &format!("Revision {n} restored as revision {}", restored.revision),
    ))
}

/// The delete form: a box ticked to say it is meant.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DeleteForm {
    confirm: String,
}

/// `POST /admin/stories/{slug}/delete`: deletes a story for good, once confirmed.
pub async fn delete(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    NewsroomForm { staff, fields, .. }: NewsroomForm<DeleteForm>,
) -> Result<Response, AppError> {
    writer(&staff)?;
    if fields.confirm != "yes" {
        return Err(AppError::invalid(
            "confirm",
            "tick the box to confirm deleting the story for good",
        ));
    }
    let actor = Actor {
        role: staff.user.role,
        principal: staff.actor(),
    };
    let gone = state.store.find_article(&slug).await?;
    newsroom::delete_article(state.store.as_ref(), &actor, &slug).await?;
    match gone {
        Some(a) => state.changed_story(&a),
        None => state.changed_site(),
    }
    audit::record(&state, &staff.who(), AuditAction::StoryDeleted, &slug, "").await;
    Ok(back_to("/admin/stories", &format!("Story {slug} deleted")))
}
