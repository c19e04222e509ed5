//! The reader debate's shared rules in the web crate: what a write must pass to be taken, how
//! a reader's choice of thread page is read, and the order a page of comments is read in.

pub mod admission;
pub mod reading_order;
pub mod thread_params;
