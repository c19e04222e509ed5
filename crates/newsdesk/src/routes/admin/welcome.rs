//! `/admin/welcome?token=…`: an invited person sets their password with the one-time link
//! from their email, then signs in.

use super::respond::private;
use crate::http::error::AppError;
use crate::http::extract::{HtmlForm, Params};
use crate::http::visitor::Visitor;
use crate::render::layout::Layout;
use crate::services::people;
use crate::services::tokens::hash_token;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin/welcome.html")]
struct WelcomePage {
    layout: Layout,
    token: String,
    email: String,
    problem: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WelcomeQuery {
    token: String,
}

async fn page(
    state: &AppState,
    token: &str,
    problem: String,
    status: StatusCode,
) -> Result<Response, AppError> {
    let user = state
        .store
        .peek_invite(&hash_token(token), Utc::now())
        .await?;
    let email = match user {
        Some(u) => state
            .store
            .staff_account(u)
            .await?
            .map(|a| a.user.email)
            .unwrap_or_default(),
        None => String::new(),
    };
    let layout = Layout::load(state, "", Utc::now()).await?;
    let mut r = private(WelcomePage {
        layout,
        token: if email.is_empty() {
            String::new()
        } else {
            token.to_string()
        },
        email,
        problem,
    });
    *r.status_mut() = if user.is_none() {
        StatusCode::GONE
    } else {
        status
    };
    Ok(r)
}

pub async fn form(
    State(state): State<AppState>,
    Params(q): Params<WelcomeQuery>,
) -> Result<Response, AppError> {
    page(&state, &q.token, String::new(), StatusCode::OK).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WelcomeForm {
    token: String,
    password: String,
    again: String,
}

pub async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    HtmlForm(f): HtmlForm<WelcomeForm>,
) -> Result<Response, AppError> {
    crate::http::origin::same_origin(&headers)?;
    match people::accept(&state, &f.token, &f.password, &f.again, &visitor.ip).await {
        Ok(email) => {
            let to = format!(
                "/admin/login?next=%2Fadmin%2Faccount&done={}",
                percent_encoding::utf8_percent_encode(
                    &format!("Password set for {email}; sign in"),
                    percent_encoding::NON_ALPHANUMERIC
                )
            );
            Ok((StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response())
        }
        Err(AppError::Invalid(e)) => {
            let problem =
                e.0.values()
                    .flatten()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("; ");
            page(&state, &f.token, problem, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(other),
    }
}
