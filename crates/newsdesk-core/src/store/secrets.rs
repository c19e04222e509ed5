//! Secrets every app node shares, such as the key that signs reader cookies.

use super::StoreError;
use async_trait::async_trait;

#[async_trait]
pub trait SecretStore: Send + Sync {
    /// The secret all nodes share under `name`, set to `proposed` if there is none yet: the
    /// first proposal wins, and every later caller gets it.
    async fn shared_secret(&self, name: &str, proposed: &str) -> Result<String, StoreError>;
}
