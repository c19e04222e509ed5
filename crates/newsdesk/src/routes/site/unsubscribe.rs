//! `/unsubscribe`: the one-click unsubscribe of reply emails, and `/replies/confirm`: the
//! confirmation that an address wants them (double opt-in). Each link carries the address and
//! a signature for its purpose, so no login is needed; a GET only shows the button (mail
//! scanners open links), the POST (from the button, or a mail client's one-click) acts.

use crate::http::error::AppError;
use crate::render::layout::Layout;
use crate::render::page::html;
use crate::services::mail::{link_is_valid, LinkPurpose};
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
    /// For a confirmation: the reader whose comments the emails are about.
    #[serde(default)]
    reader: String,
}

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    layout: Layout,
    email: String,
    reader: String,
    token: String,
    done: bool,
    /// Confirming reply emails rather than stopping them.
    confirming: bool,
}

async fn page(
    state: &AppState,
    link: Link,
    purpose: LinkPurpose,
    done: bool,
) -> Result<Response, AppError> {
    if !link_is_valid(state, purpose, &link.email, &link.reader, &link.token) {
        return Err(AppError::BadRequest(
            "This link is not valid: please use the link exactly as it came in the email".into(),
        ));
    }
    let confirming = matches!(purpose, LinkPurpose::Confirm);
    if done && confirming {
        let reader = newsdesk_core::ReaderId(link.reader.clone());
        state
            .store
            .confirm_reply_emails(&link.email, &reader, Utc::now())
            .await?;
    } else if done {
        state.store.opt_out(&link.email, Utc::now()).await?;
    }
    Ok(html(UnsubscribePage {
        layout: Layout::load(state, "", Utc::now()).await?,
        email: link.email,
        reader: link.reader,
        token: link.token,
        done,
        confirming,
    }))
}

/// `GET /unsubscribe`: the button.
pub async fn confirm(
    State(state): State<AppState>,
    Query(link): Query<Link>,
) -> Result<Response, AppError> {
    page(&state, link, LinkPurpose::Unsubscribe, false).await
}

/// `POST /unsubscribe`: no more reply emails to the address.
pub async fn unsubscribe(
    State(state): State<AppState>,
    Query(link): Query<Link>,
) -> Result<Response, AppError> {
    page(&state, link, LinkPurpose::Unsubscribe, true).await
}

/// `GET /replies/confirm`: the button.
pub async fn ask_to_confirm_replies(
    State(state): State<AppState>,
    Query(link): Query<Link>,
) -> Result<Response, AppError> {
    page(&state, link, LinkPurpose::Confirm, false).await
}

/// `POST /replies/confirm`: reply emails from now on.
pub async fn confirm_replies(
    State(state): State<AppState>,
    Query(link): Query<Link>,
) -> Result<Response, AppError> {
    page(&state, link, LinkPurpose::Confirm, true).await
}
