//! newsdesk's web application and command line: the server, the API, the public site and the
//! story-file tools.

pub mod auth;
pub mod cache;
pub mod cli;
pub mod config;
pub mod config_file;
pub mod demo;
pub mod discovery;
pub mod error;
pub mod limits;
pub mod mail;
pub mod reader;
pub mod related;
pub mod render;
pub mod request_id;
pub mod routes;
pub mod search;
pub mod staff;
pub mod standing;
pub mod startup;
pub mod state;
pub mod storyfile;
pub mod telemetry;

pub use config::ServeConfig;
pub use startup::Application;
