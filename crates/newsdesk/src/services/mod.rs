//! The services the three front doors share: the debate's admission rules, moderation,
//! search, related stories, the addresses of the site's pages, mail, and each node's caches of
//! what moderators decided.

pub mod audit;
pub mod corrections;
pub mod debate;
pub mod discovery;
pub mod limits;
pub mod links;
pub mod mail;
pub mod metrics;
pub mod moderation;
pub mod old_addresses;
pub mod page_keys;
pub mod people;
pub mod pictures;
pub mod purge;
pub mod readers;
pub mod related;
pub mod search;
pub mod sections;
pub mod settings;
pub mod staff;
pub mod standing;
pub mod tokens;
pub mod two_factor;
