//! `/unsubscribe`: the one-click unsubscribe of reply emails. The link carries the address and
//! a signature, so no login is needed; a GET only shows the button (mail scanners open links),
//! the POST (from the button or a mail client's one-click) unsubscribes.

use super::layout::Layout;
use super::page::{html, ErrorPage};
use crate::error::AppError;
use crate::mail::token_is_valid;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
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

async fn page(state: &AppState, link: Link, done: bool) -> Response {
    if !token_is_valid(state, &link.email, &link.token) {
        let layout = match Layout::load(state, "", Utc::now()).await {
            Ok(l) => l,
            Err(e) => return AppError::from(e).into_response(),
        };
        let page = ErrorPage {
            layout,
            code: 400,
            heading: "This link is not valid".into(),
            message: "Please use the unsubscribe link exactly as it came in the email.".into(),
            suggestions: Vec::new(),
        };
        return (StatusCode::BAD_REQUEST, html(page)).into_response();
    }
    if done {
        if let Err(e) = state.store.opt_out(&link.email, Utc::now()).await {
            return AppError::from(e).into_response();
        }
    }
    match Layout::load(state, "", Utc::now()).await {
        Ok(layout) => html(UnsubscribePage {
            layout,
            email: link.email,
            token: link.token,
            done,
        }),
        Err(e) => AppError::from(e).into_response(),
    }
}

pub async fn confirm(State(state): State<AppState>, Query(link): Query<Link>) -> Response {
    page(&state, link, false).await
}

pub async fn unsubscribe(State(state): State<AppState>, Query(link): Query<Link>) -> Response {
    page(&state, link, true).await
}
