//! API bearer tokens: making one for a role, and the hash that is all the store keeps.

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
