//! The store's contract, run on a fresh SQLite and a fresh PostgreSQL database: what every
//! backend must do the same way, area by area.

#[macro_use]
mod helpers;
mod accounts;
mod debate;
mod mail;
mod moderation;
mod secrets;
mod stories;
