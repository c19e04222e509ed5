//! Full-text search over the stories. Each node keeps its own index of the live stories and
//! follows the store; scores count only live documents, so every node answers alike.

mod compile;
mod index;
pub mod query;
pub mod request;
mod schema;
pub mod snippet;
mod stats;

pub use index::{SearchError, SearchIndex};
pub use request::{Filters, Found, Hit, SearchRequest, Sort, MAX_OFFSET, MAX_PER_PAGE};
pub use snippet::{Highlighter, Snippet};
