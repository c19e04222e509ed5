//! API bearer tokens: issuing them and finding who a request acts as.

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use newsdesk_core::newsroom::Actor;
use newsdesk_core::{Role, Store, StoreError};
use rand::RngCore;
use sha2::{Digest, Sha256};

const TOKEN_PREFIX: &str = "nd_";

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Makes a new random token for `role`; only its hash is stored.
pub async fn issue_token(store: &dyn Store, role: Role, label: &str) -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!("{TOKEN_PREFIX}{}", hex::encode(bytes));
    store
        .create_token(&hash_token(&token), role, label, chrono::Utc::now())
        .await?;
    Ok(token)
}

/// The caller, if it sent a token. A token that is sent but wrong is refused, never ignored.
pub struct MaybeActor(pub Option<Actor>);

/// A caller that must have sent a valid token.
pub struct RequireActor(pub Actor);

impl FromRequestParts<AppState> for MaybeActor {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(axum::http::header::AUTHORIZATION) else {
            return Ok(MaybeActor(None));
        };
        let value = value.to_str().map_err(|_| {
            AppError::Unauthorized("the Authorization header is not readable text".into())
        })?;
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .ok_or_else(|| {
                AppError::Unauthorized("the Authorization header must read 'Bearer TOKEN'".into())
            })?
            .trim();
        let record = state
            .store
            .find_token(&hash_token(token))
            .await?
            .ok_or_else(|| AppError::Unauthorized("the bearer token is not valid".into()))?;
        Ok(MaybeActor(Some(Actor {
            role: record.role,
            principal: format!("token:{}", record.id),
        })))
    }
}

impl FromRequestParts<AppState> for RequireActor {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match MaybeActor::from_request_parts(parts, state).await?.0 {
            Some(actor) => Ok(RequireActor(actor)),
            None => Err(AppError::Unauthorized(
                "this needs a bearer token: send 'Authorization: Bearer TOKEN' (make one with 'newsdesk token create')".into(),
            )),
        }
    }
}
