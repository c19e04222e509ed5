//! Turning stored stories into what readers see, and the views every HTML page shares:
//! sanitized HTML, marked claims, promos, dates and excerpts, story cards, the page frame
//! (layout), the error page and the site's own assets.

pub mod assets;
pub mod body;
pub mod cards;
pub mod comment_text;
pub mod diff;
pub mod format;
pub mod jsonld;
pub mod layout;
pub mod markdown;
pub mod page;
pub mod picture;
