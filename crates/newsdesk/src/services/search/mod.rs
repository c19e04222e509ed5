//! Search: each node's index (`index`), and searches as readers ask them, read and checked
//! field by field (`query`).

pub mod index;
pub mod query;

pub use index::Search;
