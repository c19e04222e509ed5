//! "More like this": each node's index of related stories, and the choice shown under a story.

mod disk;
pub mod index;
mod pick;

pub use index::Related;
pub use pick::related;
