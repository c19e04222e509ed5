//! The checks behind the fuzz targets (`fuzz/`, run by `scripts/fuzz`), kept here so that
//! `tests/fuzz_regressions.rs` runs every kept crash and seed through the very same checks
//! in a plain `cargo test`. Each check takes any bytes and panics when an invariant breaks.

pub mod comment_text;
pub mod html;
pub mod search_query;
pub mod story_body;
pub mod story_file;
pub mod wordpress_body;

/// One fuzz target: its name (the binary under `fuzz/fuzz_targets/`, the folders under
/// `fuzz/seeds/` and `fuzz/regressions/`), its check, and other folders of the repository
/// whose files are good seeds for it.
pub struct Target {
    pub name: &'static str,
    pub check: fn(&[u8]),
    pub more_seeds: &'static [&'static str],
}

pub const TARGETS: [Target; 5] = [
    Target {
        name: "story_body",
        check: story_body::check,
        more_seeds: &["demo/stories"],
    },
    Target {
        name: "story_file",
        check: story_file::check,
        more_seeds: &["demo/stories"],
    },
    Target {
        name: "search_query",
        check: search_query::check,
        more_seeds: &[],
    },
    Target {
        name: "comment_text",
        check: comment_text::check,
        more_seeds: &[],
    },
    Target {
        name: "wordpress_body",
        check: wordpress_body::check,
        more_seeds: &[],
    },
];
