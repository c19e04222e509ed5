//! The HTTP integration tests: the real server, over HTTP, on SQLite and on PostgreSQL.

#[macro_use]
mod helpers;
mod articles_api;
mod backup;
mod bad_input;
mod browser;
mod comments;
mod crash;
mod desk;
mod discovery;
mod edge;
mod edge_cases;
mod editor;
mod error_pages;
mod faults;
mod faults_kill;
mod faults_postgres;
mod hardening;
mod mail;
mod media_api;
mod metrics;
mod moderation;
mod moving_in;
mod newsroom;
mod people;
mod pictures;
mod related_quality;
mod restart;
mod search;
mod settings;
mod site_pages;
mod story_files;
mod validators;
mod varnish;
mod wordpress_import;
mod workflow;
