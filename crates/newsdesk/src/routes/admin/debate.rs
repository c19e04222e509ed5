//! `/admin/moderation/debate`: readers' proposed questions, and how open conversations are.

use super::{back_to, check_form, field, fields, moderator, private, Frame};
use crate::error::AppError;
use crate::staff::MaybeStaff;
use crate::state::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use newsdesk_core::moderation::{ModeScope, Proposal};
use newsdesk_core::screen::CommentMode;
use newsdesk_core::{ArticleId, ArticleInput, StoreError};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "admin/debate.html")]
struct DebatePage {
    layout: crate::routes::site::layout::Layout,
    heading: String,
    tab: &'static str,
    csrf: String,
    who: String,
    notice: Option<String>,
    proposals: Vec<Proposal>,
    modes: Vec<(String, String, &'static str)>,
    site_mode: &'static str,
}

pub async fn show(
    State(state): State<AppState>,
    staff: MaybeStaff,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let staff = match moderator(staff, "/admin/moderation/debate") {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    let result: Result<Response, AppError> = async {
        let proposals = state.store.pending_proposals().await?;
        let modes = state.store.comment_modes().await?;
        let frame = Frame::new(
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
            site_mode: state.config.discussion.screen.mode.as_str(),
            layout: frame.layout,
            heading: frame.heading,
            tab: frame.tab,
            csrf: frame.csrf,
            who: frame.who,
            notice: frame.notice,
        }))
    }
    .await;
    match result {
        Ok(r) => r,
        Err(e) => {
            crate::routes::site::forms::refuse(&state, false, e, Some("/admin/moderation")).await
        }
    }
}

/// Accepts a reader's question into the story's debate, or declines it.
pub async fn decide_proposal(
    state: &AppState,
    id: i64,
    accept: bool,
    actor: &str,
) -> Result<Proposal, AppError> {
    let now = Utc::now();
    let p = state
        .store
        .decide_proposal(id, accept, actor, now)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => AppError::NotFound("no proposal waits with that id".into()),
            other => other.into(),
        })?;
    if accept {
        // Crossing edits move the story's revision on; read it again and retry.
        for _ in 0..10 {
            let a = state
                .store
                .find_article(&p.article_slug)
                .await?
                .ok_or_else(|| AppError::NotFound("the story is gone".into()))?;
            let mut debate: Vec<String> = a.debate.iter().map(|q| q.text.clone()).collect();
            if debate.contains(&p.text) {
                break;
            }
            debate.push(p.text.clone());
            let input = ArticleInput {
                debate: Some(debate),
                ..Default::default()
            };
            let fields = input
                .over(&a)
                .validate(now)
                .map_err(|e| AppError::Invalid(e.0))?;
            match state
                .store
                .update_article(a.id, a.revision, &fields, now)
                .await
            {
                Ok(_) => break,
                Err(StoreError::Stale) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        state.pages.clear();
    }
    Ok(p)
}

pub async fn decide(
    State(state): State<AppState>,
    staff: MaybeStaff,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let staff = match moderator(staff, "/admin/moderation/debate") {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    let f = fields(&body);
    let result: Result<&str, AppError> = async {
        check_form(&staff, &headers, &f)?;
        let accept = match field(&f, "decision") {
            "accept" => true,
            "decline" => false,
            _ => return Err(AppError::invalid("decision", "must be accept or decline")),
        };
        decide_proposal(&state, id, accept, &staff.actor()).await?;
        Ok(if accept {
            "Question added to the debate"
        } else {
            "Question declined"
        })
    }
    .await;
    match result {
        Ok(done) => back_to("/admin/moderation/debate", done),
        Err(e) => {
            crate::routes::site::forms::refuse(&state, false, e, Some("/admin/moderation")).await
        }
    }
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
    state.pages.clear();
    Ok(())
}

pub async fn set_mode(
    State(state): State<AppState>,
    staff: MaybeStaff,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let staff = match moderator(staff, "/admin/moderation/debate") {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    let f = fields(&body);
    let result: Result<(), AppError> = async {
        check_form(&staff, &headers, &f)?;
        apply_mode(
            &state,
            field(&f, "scope"),
            field(&f, "key"),
            field(&f, "mode"),
            &staff.actor(),
        )
        .await
    }
    .await;
    match result {
        Ok(()) => back_to("/admin/moderation/debate", "Comment mode set"),
        Err(e) => {
            crate::routes::site::forms::refuse(&state, false, e, Some("/admin/moderation")).await
        }
    }
}
