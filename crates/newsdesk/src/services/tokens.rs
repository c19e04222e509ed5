//! API bearer tokens: making one (for a system, or for a person, at most their role, with an
//! optional expiry), and the hash that is all the store keeps.

use chrono::{DateTime, Utc};
use newsdesk_core::{Role, Store, StoreError, UserId};
use rand::RngCore;
use sha2::{Digest, Sha256};

const TOKEN_PREFIX: &str = "nd_";

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// What a new token is for.
pub struct TokenRequest<'a> {
    pub role: Role,
    pub label: &'a str,
    /// The person it belongs to; their role must cover `role`.
    pub owner: Option<(UserId, Role)>,
    pub expires: Option<DateTime<Utc>>,
}

/// Why a token was not made.
#[derive(Debug, thiserror::Error)]
pub enum TokenRefused {
    #[error("a token can carry at most its owner's role: {owner} cannot make a {wanted} token")]
    BeyondOwner { owner: Role, wanted: Role },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Makes a new random token; only its hash is stored. Answers the token and its id.
pub async fn issue(
    store: &dyn Store,
    req: TokenRequest<'_>,
) -> Result<(String, i64), TokenRefused> {
    if let Some((_, owner)) = req.owner {
        if !owner.covers(req.role) {
            return Err(TokenRefused::BeyondOwner {
                owner,
                wanted: req.role,
            });
        }
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!("{TOKEN_PREFIX}{}", hex::encode(bytes));
    let id = store
        .create_token(
            &hash_token(&token),
            req.role,
            req.label,
            req.owner.map(|(id, _)| id),
            req.expires,
            Utc::now(),
        )
        .await?;
    Ok((token, id))
}

/// Makes a token for a system (no owner, no expiry), as `newsdesk token create` does.
pub async fn issue_token(store: &dyn Store, role: Role, label: &str) -> Result<String, StoreError> {
    match issue(
        store,
        TokenRequest {
            role,
            label,
            owner: None,
            expires: None,
        },
    )
    .await
    {
        Ok((token, _)) => Ok(token),
        Err(TokenRefused::Store(e)) => Err(e),
        Err(other) => Err(StoreError::Internal(other.to_string())),
    }
}
