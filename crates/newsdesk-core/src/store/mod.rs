//! The `Store` trait: everything newsdesk keeps, independent of the database behind it, as
//! one trait per area (stories, the debate, moderation, accounts, mail, media, secrets).
//!
//! Code that calls the store through `dyn Store` brings the area traits into scope with
//! `use newsdesk_core::store::prelude::*;`.

mod accounts;
mod audit;
mod debate;
mod error;
mod imports;
mod mail;
mod media;
mod moderation;
mod pages;
mod people;
mod secrets;
mod stories;

pub use accounts::{AccountStore, SessionOrigin, TokenRecord};
pub use audit::AuditStore;
pub use debate::{DebateStore, Report};
pub use error::{Conflict, StoreError};
pub use imports::ImportStore;
pub use mail::{MailStore, OutboundEmail};
pub use media::MediaStore;
pub use moderation::{ModerationStore, StoryChange};
pub use pages::PageStore;
pub use people::PeopleStore;
pub use secrets::SecretStore;
pub use stories::{ArticleFilter, ArticleList, ImportItem, PageRequest, PromoTarget, StoryStore};

use async_trait::async_trait;

/// Every area trait, for code that calls the store through `dyn Store`.
pub mod prelude {
    pub use super::accounts::AccountStore;
    pub use super::audit::AuditStore;
    pub use super::debate::DebateStore;
    pub use super::imports::ImportStore;
    pub use super::mail::MailStore;
    pub use super::media::MediaStore;
    pub use super::moderation::ModerationStore;
    pub use super::pages::PageStore;
    pub use super::people::PeopleStore;
    pub use super::secrets::SecretStore;
    pub use super::stories::StoryStore;
}

/// The one store the app holds: every area, and what concerns the site as a whole.
#[async_trait]
pub trait Store:
    StoryStore
    + DebateStore
    + ModerationStore
    + PeopleStore
    + AccountStore
    + AuditStore
    + MailStore
    + MediaStore
    + PageStore
    + ImportStore
    + SecretStore
    + Send
    + Sync
    + 'static
{
    /// A number every write that changes a page moves forward: a node whose cached pages were
    /// made at an older revision drops them.
    async fn site_revision(&self) -> Result<i64, StoreError>;
    /// Whether the store answers: what `/healthz` asks.
    async fn ping(&self) -> Result<(), StoreError>;
    /// The settings admins saved, by name.
    async fn settings(&self) -> Result<Vec<(String, String)>, StoreError>;
    /// Saves settings (each replacing its old value) and moves the site revision on, in one
    /// transaction, so every node sees all of them or none.
    async fn save_settings(
        &self,
        values: &[(String, String)],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError>;
}
