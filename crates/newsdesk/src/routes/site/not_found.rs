//! The answer for any address the site does not have.

use super::page::{not_found, PageError};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};

pub async fn fallback(State(state): State<AppState>, uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return AppError::NotFound(format!("no API endpoint at {}", uri.path())).into_response();
    }
    not_found(
        &state,
        "The page may have moved, or the link may be mistyped.".into(),
    )
    .await
    .unwrap_or_else(|e: PageError| e.into_response())
}
