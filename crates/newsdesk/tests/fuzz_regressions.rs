//! Every input the fuzzers ever crashed on (`fuzz/regressions/<target>/`) and every seed
//! (`fuzz/seeds/<target>/`, and the repository's own files a target starts from) run through
//! the fuzz targets' very checks, so a crash found once stays fixed without `cargo fuzz`.

use newsdesk::fuzzing::{Target, TARGETS};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != ".gitkeep"))
        .collect();
    out.sort();
    out
}

/// Runs each kept input of one target, and names every one that fails.
fn run(name: &str) {
    let target: &Target = TARGETS.iter().find(|t| t.name == name).expect("a target");
    let fuzz = repo().join("fuzz");
    let mut dirs = vec![
        fuzz.join("regressions").join(name),
        fuzz.join("seeds").join(name),
    ];
    dirs.extend(target.more_seeds.iter().map(|d| repo().join(d)));
    let inputs: Vec<PathBuf> = dirs.iter().flat_map(|d| files(d)).collect();
    assert!(
        !inputs.is_empty(),
        "no seeds for {name} in {}",
        fuzz.display()
    );
    let failed: Vec<String> = inputs
        .iter()
        .filter(|path| {
            let data = std::fs::read(path).expect("a readable input");
            std::panic::catch_unwind(|| (target.check)(&data)).is_err()
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(failed.is_empty(), "{name} fails on:\n{}", failed.join("\n"));
}

#[test]
fn story_body() {
    run("story_body");
}

#[test]
fn story_file() {
    run("story_file");
}

#[test]
fn search_query() {
    run("search_query");
}

#[test]
fn comment_text() {
    run("comment_text");
}

#[test]
fn wordpress_body() {
    run("wordpress_body");
}

#[test]
fn every_target_has_a_test_here() {
    let source = include_str!("fuzz_regressions.rs");
    for t in &TARGETS {
        assert!(
            source.contains(&format!("fn {}()", t.name)),
            "add a test for {}",
            t.name
        );
        assert!(
            repo()
                .join("fuzz/fuzz_targets")
                .join(format!("{}.rs", t.name))
                .is_file(),
            "no fuzz target for {}",
            t.name
        );
    }
}
