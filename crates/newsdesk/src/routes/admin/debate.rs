//! `/admin/moderation/debate`: readers' proposed questions, and how open conversations are.

use super::{back_to, private, Frame, Moderator, ModeratorForm};
use crate::http::error::AppError;
use crate::services::moderation::{apply_mode, decide_proposal};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use newsdesk_core::moderation::Proposal;
use newsdesk_core::ArticleId;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "admin/debate.html")]
struct DebatePage {
    layout: crate::render::layout::Layout,
    frame: Frame,
    proposals: Vec<Proposal>,
    modes: Vec<(String, String, &'static str)>,
    site_mode: &'static str,
}

pub async fn show(
    State(state): State<AppState>,
    Moderator(staff): Moderator,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let proposals = state.store.pending_proposals().await?;
    let modes = state.store.comment_modes().await?;
    let (layout, frame) = Frame::new(
        &state,
        &staff,
        "Debate and comment modes",
        "debate",
        q.get("done").cloned(),
    )
    .await?;
    // Stories are kept by id; show their slug.
    let ids: Vec<ArticleId> = modes
        .0
        .iter()
        .filter(|(scope, _, _)| scope == "story")
        .filter_map(|(_, key, _)| key.parse().ok().map(ArticleId))
        .collect();
    let stories = state.store.articles_by_ids(&ids).await?;
    let rows: Vec<(String, String, &'static str)> = modes
        .0
        .into_iter()
        .map(|(scope, key, mode)| {
            let slug = stories
                .iter()
                .find(|a| scope == "story" && a.id.0.to_string() == key)
                .map(|a| a.slug.clone());
            (scope, slug.unwrap_or(key), mode.as_str())
        })
        .collect();
    Ok(private(DebatePage {
        proposals,
        modes: rows,
        site_mode: state.debate().screen.mode.as_str(),
        layout,
        frame,
    }))
}

/// A moderator's answer to a reader's proposed question.
#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
}

/// How open conversations are, for the site, a section or a story.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ModeForm {
    scope: String,
    key: String,
    mode: String,
}

pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ModeratorForm {
        staff, fields: f, ..
    }: ModeratorForm<DecisionForm>,
) -> Result<Response, AppError> {
    let accept = match f.decision.as_str() {
        "accept" => true,
        "decline" => false,
        _ => return Err(AppError::invalid("decision", "must be accept or decline")),
    };
    decide_proposal(&state, id, accept, &staff.actor()).await?;
    let done = if accept {
        "Question added to the debate"
    } else {
        "Question declined"
    };
    crate::services::audit::record(
        &state,
        &staff.who(),
        newsdesk_core::audit::AuditAction::Moderated,
        &format!("proposal {id}"),
        done,
    )
    .await;
    Ok(back_to("/admin/moderation/debate", done))
}

pub async fn set_mode(
    State(state): State<AppState>,
    ModeratorForm {
        staff, fields: f, ..
    }: ModeratorForm<ModeForm>,
) -> Result<Response, AppError> {
    apply_mode(&state, &f.scope, &f.key, &f.mode, &staff.actor()).await?;
    crate::services::audit::record(
        &state,
        &staff.who(),
        newsdesk_core::audit::AuditAction::Moderated,
        &format!("{} {}", f.scope, f.key),
        &format!("comment mode {}", f.mode),
    )
    .await;
    Ok(back_to("/admin/moderation/debate", "Comment mode set"))
}
