//! Who an API request acts as, from its bearer token (issued by `services::tokens`).

use crate::http::error::AppError;
use crate::services::tokens::hash_token;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use newsdesk_core::newsroom::Actor;

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
        let now = chrono::Utc::now();
        let record = state
            .store
            .find_token(&hash_token(token), now)
            .await?
            .ok_or_else(|| {
                AppError::Unauthorized(
                    "the bearer token is not valid (unknown, expired or revoked)".into(),
                )
            })?;
        // A person whose role must use two-factor sign-in, and has not set it up, uses no
        // token either (one made before the rule, say) until they do.
        if let Some(owner) = record.owner {
            if !state.settings.site().two_factor_roles.is_empty() {
                let account = state.store.staff_account(owner).await?;
                let required = account.as_ref().is_some_and(|a| {
                    state
                        .settings
                        .site()
                        .two_factor_roles
                        .contains(&a.user.role)
                        && !a.two_factor
                });
                if required {
                    return Err(AppError::Forbidden(
                        "your role must sign in with two-factor codes: set them up on your account page first".into(),
                    ));
                }
            }
        }
        // When a token was last used is kept to the minute: one write a minute, not a request.
        if record
            .last_used_at
            .is_none_or(|t| now - t > chrono::Duration::seconds(60))
        {
            state.store.touch_token(record.id, now).await?;
        }
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
