//! `/admin/moderation/log`: every moderation action, newest first.

use super::{moderator, private, Frame};
use crate::error::AppError;
use crate::render::format::{iso, long_date};
use crate::staff::MaybeStaff;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

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
    layout: crate::routes::site::layout::Layout,
    heading: String,
    tab: &'static str,
    csrf: String,
    who: String,
    notice: Option<String>,
    entries: Vec<LogRow>,
}

pub async fn show(State(state): State<AppState>, staff: MaybeStaff) -> Response {
    let staff = match moderator(staff, "/admin/moderation/log") {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    let result: Result<Response, AppError> = async {
        let entries = state.store.moderation_log(None, 500).await?;
        let frame = Frame::new(&state, &staff, "Moderation log", "log", None).await?;
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
