//! The answer for any address the site does not have.

use crate::http::error::AppError;
use crate::http::error_page::{canonical_redirect, error_page};
use crate::services::old_addresses;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};

pub async fn fallback(State(state): State<AppState>, uri: Uri) -> Response {
    if !uri.path().starts_with("/api/") && !uri.path().starts_with("/admin") {
        match old_addresses::new_address(&state, uri.path(), uri.query()).await {
            Ok(Some(to)) => return old_addresses::moved(&to),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "cannot look up an old address"),
        }
    }
    if let Some(to) = canonical_redirect(uri.path(), uri.query()) {
        return to;
    }
    if uri.path().starts_with("/api/") {
        return AppError::NotFound(format!("no API endpoint at {}", uri.path())).into_response();
    }
    let message = "The page may have moved, or the link may be mistyped.";
    match error_page(&state, StatusCode::NOT_FOUND, message.into(), None).await {
        Ok(page) => page,
        Err(()) => AppError::NotFound(message.into()).into_response(),
    }
}
