//! The signed-in newsroom member, read from the session cookie, as an extractor.

use crate::http::error::AppError;
use crate::services::staff::{Staff, SESSION_COOKIE};
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header::COOKIE;
use axum::http::request::Parts;
use chrono::Utc;
use cookie::Cookie;

/// The signed-in user, if any.
pub struct MaybeStaff(pub Option<Staff>);

impl FromRequestParts<AppState> for MaybeStaff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = parts
            .headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| Cookie::split_parse_encoded(v.to_string()).flatten())
            .find(|c| c.name() == SESSION_COOKIE)
            .map(|c| c.value().to_string());
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return Ok(MaybeStaff(None));
        };
        let session_hash = crate::services::tokens::hash_token(&token);
        let ip = crate::http::visitor::client_ip(parts, state);
        Ok(MaybeStaff(
            state
                .store
                .find_session(&session_hash, Utc::now())
                .await?
                .map(|(user, csrf)| Staff {
                    user,
                    csrf,
                    session_hash,
                    ip,
                }),
        ))
    }
}
