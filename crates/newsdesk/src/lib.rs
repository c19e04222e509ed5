//! newsdesk's web application and command line: the server, the API, the public site and the
//! story-file tools. See `docs/product.md` for what the product is, and README.md's code map
//! for what each folder owns: `http` (the shell every request passes), `services` (what the
//! front doors share), `render` (the views the HTML pages share) and `routes` (the site, the
//! API and the newsroom, which never import each other).

pub mod backup_cli;
pub mod cli;
pub mod config;
pub mod config_file;
pub mod data_dir;
pub mod demo;
pub mod disqus;
#[doc(hidden)]
pub mod fuzzing;
pub mod http;
pub mod import_cli;
pub mod memory;
pub mod render;
pub mod routes;
pub mod services;
pub mod startup;
pub mod state;
pub mod store_args;
pub mod storyfile;
pub mod telemetry;
pub mod token_cli;
pub mod wordpress;
pub mod xml_read;

pub use config::ServeConfig;
pub use startup::Application;
