//! Turning stored stories into what readers see: sanitized HTML, marked claims, promos,
//! dates and excerpts.

pub mod body;
pub mod comment_text;
pub mod format;
pub mod jsonld;
pub mod markdown;

pub use markdown::SafeHtml;
