//! `/admin/moderation/log`: every moderation action, newest first.

use super::{private, Frame, Moderator};
use crate::http::error::AppError;
use crate::render::format::{iso, long_date};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;

pub struct LogRow {
    pub iso: String,
    pub text: String,
    pub actor: String,
    pub action: String,
    pub comment: Option<i64>,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "admin/log.html")]
struct LogPage {
    layout: crate::render::layout::Layout,
    frame: Frame,
    entries: Vec<LogRow>,
}

pub async fn show(
    State(state): State<AppState>,
    Moderator(staff): Moderator,
) -> Result<Response, AppError> {
    let entries = state.store.moderation_log(None, 500).await?;
    let (layout, frame) = Frame::new(&state, &staff, "Moderation log", "log", None).await?;
    Ok(private(LogPage {
        entries: entries
            .into_iter()
            .map(|e| LogRow {
                iso: iso(e.at),
                text: long_date(e.at),
                actor: e.actor,
                action: e.action,
                comment: e.comment_id.map(|c| c.0),
                detail: e.detail,
            })
            .collect(),
        layout,
        frame,
    }))
}
