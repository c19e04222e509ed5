//! The HTTP shell around every route: middleware, the headers every answer carries, request
//! ids, the page cache, errors (JSON for the API, pages for the site and the newsroom), and the
//! extractors handlers read requests with.

pub mod admitted;
pub mod auth;
pub mod body_deadline;
pub mod cache_layer;
pub mod compression;
pub mod error;
pub mod error_page;
pub mod extract;
pub mod headers;
pub mod https;
pub mod metrics;
pub mod middleware;
pub mod multipart;
pub mod origin;
pub mod page_cache;
pub mod page_parts;
pub mod render_flights;
mod replace;
pub mod representation;
pub mod request_id;
pub mod server;
pub mod staff;
pub mod visitor;
