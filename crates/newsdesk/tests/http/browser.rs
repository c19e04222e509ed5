//! The demo site looked at in headless Chromium, at phone and desktop widths, with axe-core's
//! WCAG 2.1 AA checks.

use crate::helpers::{repo_root, Backend, TestApp};

async fn pages_hold_up_in_a_real_browser(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.demo = true).await;
    let root = repo_root();
    assert!(
        root.join("node_modules/playwright-core").exists(),
        "playwright-core is not installed: run 'npm ci' in the repository (.ci/run does)"
    );
    let paths = [
        "/",
        "/news/rail-strike-halts-commuter-lines",
        "/news/museum-security-warnings-ignored",
        "/news/korvel-staff-told-by-email",
        "/section/politics",
        "/tag/rail-strike",
        "/author/maya-okafor",
        "/no-such-page@404",
    ];
    let out = tokio::process::Command::new("node")
        .current_dir(&root)
        .arg("tests/browser/check-pages.mjs")
        .arg(&app.base)
        .args(paths)
        .output()
        .await
        .expect("node runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("no report: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(
        report["problems"],
        serde_json::json!([]),
        "problems seen in the browser"
    );
    assert!(out.status.success());
    let pages = report["pages"].as_array().unwrap();
    assert_eq!(pages.len(), paths.len() * 2, "each page at two widths");
    for p in pages {
        assert!(
            p["axeRulesPassed"].as_u64().unwrap() >= 10,
            "axe-core did not run on {}",
            p["where"]
        );
    }
    let article = pages
        .iter()
        .find(|p| p["where"] == "phone /news/rail-strike-halts-commuter-lines")
        .unwrap();
    assert!(
        !article["claims"].as_array().unwrap().is_empty(),
        "the claims were seen"
    );
    assert!(
        !article["promos"].as_array().unwrap().is_empty(),
        "the promos were seen"
    );
    assert_eq!(article["shareLinks"].as_array().unwrap().len(), 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_hold_up_in_a_real_browser_on_sqlite() {
    pages_hold_up_in_a_real_browser(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_hold_up_in_a_real_browser_on_postgres() {
    pages_hold_up_in_a_real_browser(Backend::Postgres).await;
}
