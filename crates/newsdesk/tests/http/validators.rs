//! Public pages through the Nu HTML checker, and feeds through feedparser (what many feed
//! readers use) and the JSON Feed schema.

use crate::helpers::{repo_root, Backend, Reader, TestApp};

const PAGES: &[&str] = &[
    "/",
    "/news/rail-strike-halts-commuter-lines",
    "/news/museum-security-warnings-ignored",
    "/section/politics",
    "/tag/rail-strike",
    "/author/maya-okafor",
    "/admin/login",
    "/no-such-page",
    "/search",
    "/search?q=rail+strik*&section=politics",
    "/search?q=strike&from=someday",
    "/corrections",
    "/about",
];

const FEEDS: &[&str] = &[
    "/feed.xml",
    "/atom.xml",
    "/feed.json",
    "/section/politics/feed.xml",
    "/section/politics/atom.xml",
    "/section/politics/feed.json",
    "/tag/rail-strike/feed.xml",
    "/author/maya-okafor/atom.xml",
    "/author/maya-okafor/feed.json",
    "/news/rail-strike-halts-commuter-lines/comments.xml",
    "/corrections.xml",
];

async fn demo_with_comments() -> TestApp {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.demo = true).await;
    crate::search::wait_until_searchable(&app).await;
    let mut reader = Reader::new(&app);
    let api = "/api/v1/articles/rail-strike-halts-commuter-lines/comments";
    let (_, first) = reader
        .post_json(api, &serde_json::json!({"name": "Ana <b>", "body": "Strikes hurt <i>everyone</i>.\n\nSee https://example.org/a?b=1&c=2"}))
        .await;
    reader
        .post_json(api, &serde_json::json!({"name": "Bo", "body": "Not the drivers' fault.", "parent_id": first["id"]}))
        .await;
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_pages_pass_the_nu_html_checker() {
    let app = demo_with_comments().await;
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut pages: Vec<String> = PAGES.iter().map(|p| p.to_string()).collect();
    pages.push("/news/rail-strike-halts-commuter-lines/comments/1".into());
    for (i, path) in pages.iter().enumerate() {
        let (_, html) = app.get_text(path).await;
        let file = dir.path().join(format!("page-{i}.html"));
        std::fs::write(&file, html).unwrap();
        files.push(file);
    }
    // The form given back with what needs fixing.
    let r = app
        .client
        .post(app.url("/news/rail-strike-halts-commuter-lines/comments"))
        .form(&[("name", ""), ("body", "kept")])
        .send()
        .await
        .unwrap();
    let file = dir.path().join("form-error.html");
    std::fs::write(&file, r.text().await.unwrap()).unwrap();
    files.push(file);
    nu_check(&files).await;
}

/// Runs the Nu HTML checker over these files; it must find no error.
async fn nu_check(files: &[std::path::PathBuf]) {
    let jar = repo_root().join("node_modules/vnu-jar/build/dist/vnu.jar");
    assert!(
        jar.exists(),
        "the Nu checker is not installed: run 'npm ci' (.ci/run does)"
    );
    let out = tokio::process::Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "json"])
        .args(files)
        .output()
        .await
        .expect("java runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stderr)
        .unwrap_or_else(|_| panic!("no report: {}", String::from_utf8_lossy(&out.stderr)));
    let messages = report["messages"].as_array().unwrap();
    assert!(
        messages.is_empty(),
        "the Nu checker found errors: {report:#}"
    );
    assert!(out.status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn newsroom_pages_pass_the_nu_html_checker() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.demo = true).await;
    let eli = crate::desk::Desk::log_in(&app, "eli@example.org", newsdesk_core::Role::Admin).await;
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut keep = |name: &str, html: String| {
        let file = dir.path().join(format!("{name}.html"));
        std::fs::write(&file, html).unwrap();
        files.push(file);
    };
    for (i, path) in [
        "/admin/",
        "/admin/stories",
        "/admin/stories?q=rail&status=published",
        "/admin/stories/new",
        "/admin/stories/rail-strike-halts-commuter-lines",
        "/admin/stories/rail-strike-halts-commuter-lines/history",
        "/admin/moderation",
        "/admin/moderation/bans",
        "/admin/media",
        "/admin/account",
        "/admin/people",
        "/admin/settings",
        "/admin/audit",
        "/admin/pages",
        "/admin/pages/1",
    ]
    .iter()
    .enumerate()
    {
        let (status, html) = eli.get(path).await;
        assert_eq!(status, 200, "{path}");
        keep(&format!("page-{i}"), html);
    }
    // A story whose hero is a library picture: `<picture>` with its variants.
    let r = app
        .client
        .post(app.url("/api/v1/media?alt=A%20quay"))
        .bearer_auth(&app.editor)
        .header("content-type", "image/jpeg")
        .body(crate::pictures::phone_photo(800, 400))
        .send()
        .await
        .unwrap();
    let picture: serde_json::Value = r.json().await.unwrap();
    let mut s = crate::helpers::story("Quay reopens after repairs");
    s["hero"] = serde_json::json!({"url": picture["url"], "alt": "The quay"});
    app.create(s).await;
    let mut offered = false;
    // Variants are made after the upload answers; other tests share the machine meanwhile.
    for _ in 0..300 {
        let (_, html) = app.get_text("/news/quay-reopens-after-repairs").await;
        if html.contains("-320.webp 320w") {
            keep("story-with-picture", html);
            offered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(offered, "the story offers its picture's variants");
    let csrf = eli.csrf().await;
    let r = eli
        .post("/admin/account/two-factor", &[("csrf", &csrf)])
        .await;
    keep("two-factor", r.text().await.unwrap());
    let (_, gone) = app.get_text("/admin/welcome?token=used-up").await;
    keep("welcome-gone", gone);
    // The editor given back with errors beside fields, and with a preview.
    for action in ["save", "preview"] {
        let r = eli
            .post(
                "/admin/stories",
                &[
                    ("csrf", csrf.as_str()),
                    ("headline", "A story"),
                    (
                        "body",
                        "Words.\n\n[[rail-strike-halts-commuter-lines]] REPORT",
                    ),
                    ("claim_quote", "not in it"),
                    ("claim_name", "Someone"),
                    ("claim_status", "disputed"),
                    ("status", "draft"),
                    ("action", action),
                ],
            )
            .await;
        keep(&format!("editor-{action}"), r.text().await.unwrap());
    }
    nu_check(&files).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feeds_read_cleanly_in_feedparser_and_the_json_feed_schema() {
    let app = demo_with_comments().await;
    let report = python_check("feeds.py", &app, FEEDS).await;
    let feeds = report["feeds"].as_array().unwrap();
    assert_eq!(feeds.len(), FEEDS.len());
    assert!(
        feeds.iter().all(|f| f["items"].as_u64().unwrap() > 0),
        "{report:#}"
    );
}

/// Runs a checker of `tests/validate/` over these paths of `app` and returns its report, which
/// must list no problem.
async fn python_check(script: &str, app: &TestApp, paths: &[&str]) -> serde_json::Value {
    let out = tokio::process::Command::new("python3")
        .arg(repo_root().join("tests/validate").join(script))
        .arg(&app.base)
        .args(paths)
        .output()
        .await
        .expect("python3 runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("no report: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(report["problems"], serde_json::json!([]), "{report:#}");
    assert!(out.status.success());
    report
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sitemaps_pass_the_sitemap_and_news_sitemap_schemas() {
    // Five addresses a file, so the demo's stories need an index of several sitemaps.
    let app = TestApp::spawn_with(Backend::Sqlite, |c| {
        c.demo = true;
        c.sitemap_urls = 5;
    })
    .await;
    let report = python_check("sitemaps.py", &app, &["/sitemap.xml", "/news-sitemap.xml"]).await;
    let kinds: Vec<&str> = report["sitemaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds[0], "sitemapindex", "{report:#}");
    assert!(
        kinds.iter().filter(|k| **k == "urlset").count() >= 7,
        "every listed sitemap was fetched and checked: {report:#}"
    );
    let news = report["sitemaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["url"].as_str().unwrap().ends_with("/news-sitemap.xml"))
        .expect("the news sitemap was checked");
    assert!(news["entries"].as_u64().unwrap() > 0, "{report:#}");
    // A small site's sitemap is one plain file.
    let small = TestApp::spawn_with(Backend::Sqlite, |c| c.demo = true).await;
    let report = python_check("sitemaps.py", &small, &["/sitemap.xml"]).await;
    assert_eq!(report["sitemaps"][0]["kind"], "urlset", "{report:#}");
}
