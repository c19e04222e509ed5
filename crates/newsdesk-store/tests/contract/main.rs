//! The store's contract, run on a fresh SQLite and a fresh PostgreSQL database: what every
//! backend must do the same way, area by area, and the one schema both migration trees
//! must define.

#[macro_use]
mod helpers;
mod accounts;
mod audit;
mod debate;
mod imports;
mod mail;
mod media;
mod moderation;
mod people;
mod schema;
mod secrets;
mod settings;
mod stories;
mod thread_pages;
