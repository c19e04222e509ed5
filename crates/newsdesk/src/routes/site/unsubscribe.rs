//! `/unsubscribe`: the one-click unsubscribe of reply emails. The link carries the address and
//! a signature, so no login is needed; a GET only shows the button (mail scanners open links),
//! the POST (from the button or a mail client's one-click) unsubscribes.

use crate::http::error::AppError;
use crate::render::layout::Layout;
use crate::render::page::html;
use crate::services::mail::token_is_valid;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::Utc;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Link {
    #[serde(default)]
    email: String,
    #[serde(default)]
    token: String,
}

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    layout: Layout,
    email: String,
    token: String,
    done: bool,
}

async fn page(state: &AppState, link: Link, done: bool) -> Result<Response, AppError> {
    if !token_is_valid(state, &link.email, &link.token) {
        return Err(AppError::BadRequest(
            "This link is not valid: please use the unsubscribe link exactly as it came in the \
             email"
                .into(),
        ));
    }
    if done {
        state.store.opt_out(&link.email, Utc::now()).await?;
    }
    Ok(html(UnsubscribePage {
        layout: Layout::load(state, "", Utc::now()).await?,
        email: link.email,
        token: link.token,
        done,
    }))
}

pub async fn confirm(
    State(state): State<AppState>,
    Query(link): Query<Link>,
) -> Result<Response, AppError> {
    page(&state, link, false).await
}

pub async fn unsubscribe(
    State(state): State<AppState>,
    Query(link): Query<Link>,
) -> Result<Response, AppError> {
    page(&state, link, true).await
}
