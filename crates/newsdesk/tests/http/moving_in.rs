//! Coming from Disqus, leaving for WordPress, and the site pages an import brings: Disqus
//! threads land on their stories by identifier or address (unknown ones listed), an export
//! imported into a fresh site on the other database gives back the same site, and site pages
//! are kept by editors in the newsroom.

use crate::desk::Desk;
use crate::helpers::{repo_root, Backend, TestApp};
use newsdesk_core::Role;
use serde_json::Value;
use std::process::{Command, Output};

fn fixture(path: &str) -> String {
    repo_root()
        .join("tests/fixtures")
        .join(path)
        .to_string_lossy()
        .into_owned()
}

async fn run(app: &TestApp, args: &[&str]) -> String {
    let mut all: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    match &app.database_url {
        Some(url) => all.extend(["--database".into(), url.clone()]),
        None => all.extend(["--data".into(), app.data_dir.to_string_lossy().into_owned()]),
    }
    let out: Output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_newsdesk"))
            .args(&all)
            .env("NEWSDESK_LOG", "warn")
            .env_remove("NEWSDESK_DATA")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn comments_of(app: &TestApp, slug: &str) -> Vec<Value> {
    let (status, json) = app
        .get_json(
            &format!("/api/v1/articles/{slug}/comments?per_page=100"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{json}");
    json["items"].as_array().unwrap().clone()
}

async fn disqus_threads_land_on_their_stories_and_unknown_ones_are_listed(app: TestApp) {
    run(
        &app,
        &["import", "wordpress", &fixture("wordpress/site.xml")],
    )
    .await;
    let before = comments_of(&app, "cafe-reopens-in-zurich").await.len();
    let out = run(&app, &["import", "disqus", &fixture("disqus/comments.xml")]).await;
    assert!(out.contains("threads attached to stories: 5"), "{out}");
    assert!(
        out.contains("1 deleted, 9 published, 1 spam"),
        "deleted and spam states kept: {out}"
    );
    assert!(
        out.contains("thread 9123450006") && out.contains("ferry-steps-to-be-restored"),
        "{out}"
    );
    assert!(
        out.contains("thread 9123450007"),
        "a page's thread is not a story's: {out}"
    );

    // By old address, with threading kept.
    let cafe = comments_of(&app, "cafe-reopens-in-zurich").await;
    let lena = cafe.iter().filter(|c| c["name"] == "Lena Vogel").count();
    assert!(lena >= 2, "{cafe:?}");
    assert!(cafe.len() > before);
    assert!(
        cafe.iter().any(|c| c["depth"] == 2),
        "replies keep their place: {cafe:?}"
    );
    // By the WordPress plugin's identifier, though the thread's link is stale.
    let football = comments_of(&app, "riverside-fc-clinch-promotion-with-late-winner").await;
    assert!(football
        .iter()
        .any(|c| c["name"] != "" && c["body"].as_str().unwrap().len() > 3));
    let all: Vec<Value> = [cafe, football].concat();
    assert!(
        !serde_json::to_string(&all).unwrap().contains("@example.ch"),
        "emails stay private"
    );

    // The deleted post keeps its place for its replies, as a tombstone; spam shows nowhere.
    let (_, page) = app.get_text("/news/cafe-reopens-in-zurich").await;
    let (_, council) = app
        .get_text("/news/council-approves-4-2m-budget-for-riverside-flood-defences")
        .await;
    let pages = format!("{page}{council}");
    // The fixture's one spam post sells "replica watches".
    let xml = std::fs::read_to_string(fixture("disqus/comments.xml")).unwrap();
    let spam_at = xml.find("<isSpam>true</isSpam>").unwrap();
    assert!(xml[..spam_at].rfind("replica watches").is_some());
    let (_, football) = app
        .get_text("/news/riverside-fc-clinch-promotion-with-late-winner")
        .await;
    let everywhere = format!("{pages}{football}");
    assert!(!everywhere.contains("replica watches"), "spam is not shown");
    assert!(
        football.contains("This comment was deleted by its writer."),
        "a tombstone shows"
    );

    let again = run(&app, &["import", "disqus", &fixture("disqus/comments.xml")]).await;
    assert!(again.contains("(0 new, 0 updated, 11 unchanged"), "{again}");
}

async fn a_wordpress_export_brings_the_site_back_on_the_other_database(app: TestApp) {
    let uploads = fixture("wordpress/uploads");
    run(
        &app,
        &[
            "import",
            "wordpress",
            &fixture("wordpress/site.xml"),
            "--uploads",
            &uploads,
        ],
    )
    .await;
    // Text that could end a CDATA section or pass for markup comes back as it was.
    app.create(crate::helpers::story("Brackets ]]> and <b>tags</b> & more"))
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("site.xml");
    let out = run(
        &app,
        &[
            "export",
            "wordpress",
            file.to_str().unwrap(),
            "--base-url",
            "https://news.example.org",
        ],
    )
    .await;
    assert!(
        out.contains("Exported 10 stories, 4 pages, 11 comments"),
        "{out}"
    );
    let xml = std::fs::read_to_string(&file).unwrap();
    assert!(xml.contains("<wp:wxr_version>1.2</wp:wxr_version>"));
    assert!(
        xml.contains("<wp:meta_key>_thumbnail_id</wp:meta_key>"),
        "heroes are featured images"
    );
    assert!(
        xml.contains("src=\"https://news.example.org/media/"),
        "addresses are absolute"
    );

    // Every element the export writes, WordPress 6.1's own exporter writes in the same place
    // (the fixture is its output): compared with Python's XML parser, not with our reader.
    let shape = r#"
import sys, xml.etree.ElementTree as ET
def places(path):
    out = set()
    def walk(el, parent):
        out.add((parent, el.tag))
        for child in el:
            walk(child, el.tag)
    walk(ET.parse(path).getroot(), "")
    return out
ours, theirs = places(sys.argv[1]), places(sys.argv[2])
for p in sorted(ours - theirs):
    print(p)
"#;
    let extra = std::process::Command::new("python3")
        .args([
            "-c",
            shape,
            file.to_str().unwrap(),
            &fixture("wordpress/site.xml"),
        ])
        .output()
        .unwrap();
    assert!(
        extra.status.success(),
        "{}",
        String::from_utf8_lossy(&extra.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&extra.stdout),
        "",
        "elements WordPress's own export does not have there"
    );

    let other = TestApp::spawn(match app.backend() {
        Backend::Sqlite => Backend::Postgres,
        Backend::Postgres => Backend::Sqlite,
    })
    .await;
    let back = run(&other, &["import", "wordpress", file.to_str().unwrap()]).await;
    assert!(back.contains("stories:  10 (10 new"), "{back}");
    assert!(back.contains("pages:    4 (4 new"), "{back}");
    assert!(back.contains("comments: 11 (11 new"), "{back}");
    let list = |a: &TestApp| {
        let (client, url, token) = (
            a.client.clone(),
            a.url("/api/v1/articles?per_page=50"),
            a.editor.clone(),
        );
        async move {
            let all: Value = client
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let mut items: Vec<Value> = all["items"].as_array().unwrap().clone();
            items.sort_by_key(|s| s["slug"].as_str().unwrap().to_string());
            items
        }
    };
    let (mine, theirs) = (list(&app).await, list(&other).await);
    assert_eq!(mine.len(), theirs.len());
    for (a, b) in mine.iter().zip(&theirs) {
        for field in [
            "slug",
            "headline",
            "standfirst",
            "status",
            "section",
            "tags",
            "authors",
        ] {
            assert_eq!(a[field], b[field], "{field} of {}", a["slug"]);
        }
        // WordPress keeps times to the second.
        let second = |v: &Value| v.as_str().map(|t| t[..19].to_string());
        assert_eq!(
            second(&a["published_at"]),
            second(&b["published_at"]),
            "{}",
            a["slug"]
        );
        assert_eq!(a["hero"]["alt"], b["hero"]["alt"], "{}", a["slug"]);
    }
    for slug in [
        "cafe-reopens-in-zurich",
        "council-approves-4-2m-budget-for-riverside-flood-defences",
    ] {
        let (x, y) = (
            comments_of(&app, slug).await,
            comments_of(&other, slug).await,
        );
        let shape = |c: &Vec<Value>| -> Vec<(String, String, i64)> {
            c.iter()
                .map(|c| {
                    (
                        c["name"].to_string(),
                        c["status"].to_string(),
                        c["depth"].as_i64().unwrap(),
                    )
                })
                .collect()
        };
        assert_eq!(shape(&x), shape(&y), "{slug}");
    }
    let (status, about) = other.get_text("/about").await;
    assert_eq!(status, 200, "{about}");
}

async fn editors_keep_the_site_pages_and_others_cannot(app: TestApp) {
    let editor = Desk::log_in(&app, "ed@example.org", Role::Editor).await;
    let csrf = editor.csrf().await;
    let page = |slug: &'static str| {
        [
            ("title", "How to reach us"),
            ("slug", slug),
            (
                "body",
                "Write to **the desk**.\n\n<script>alert(1)</script>",
            ),
            ("published", "on"),
            ("in_footer", "on"),
            ("position", "2"),
        ]
    };
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend(page("admin"));
    let r = editor.post("/admin/pages", &fields).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(
        r.text().await.unwrap().contains("slug"),
        "the error names the field"
    );

    let no_csrf: Vec<(&str, &str)> = page("contact").to_vec();
    assert_eq!(
        editor
            .post("/admin/pages", &no_csrf)
            .await
            .status()
            .as_u16(),
        403
    );

    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend(page("contact"));
    let r = editor.post("/admin/pages", &fields).await;
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    let (status, html) = app.get_text("/contact").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("<strong>the desk</strong>") && !html.contains("<script>alert"),
        "{html}"
    );
    let (_, home) = app.get_text("/").await;
    assert!(
        home.contains("<a href=\"/contact\">How to reach us</a>"),
        "{home}"
    );

    let author = Desk::log_in(&app, "au@example.org", Role::Author).await;
    let (status, _) = author.get("/admin/pages").await;
    assert_eq!(status, 403);
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend(page("about"));
    let author_csrf = author.csrf().await;
    fields[0].1 = author_csrf.as_str();
    assert_eq!(
        author.post("/admin/pages", &fields).await.status().as_u16(),
        403
    );

    let (_, list) = editor.get("/admin/pages").await;
    let at = list.find("href=\"/admin/pages/").unwrap() + 19;
    let id: String = list[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend(page("write-to-us"));
    assert_eq!(
        editor
            .post(&format!("/admin/pages/{id}"), &fields)
            .await
            .status()
            .as_u16(),
        303
    );
    assert_eq!(app.get_text("/contact").await.0, 404);
    assert_eq!(app.get_text("/write-to-us").await.0, 200);
    let r = editor
        .post(&format!("/admin/pages/{id}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status().as_u16(), 422, "deleting needs the ticked box");
    let r = editor
        .post(
            &format!("/admin/pages/{id}/delete"),
            &[("csrf", &csrf), ("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(app.get_text("/write-to-us").await.0, 404);
    let entries = app
        .store
        .audit_entries(&newsdesk_core::audit::AuditFilter {
            action: Some("page.".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(entries.len(), 3, "added, changed, deleted: {entries:?}");
}

on_both_stores!(
    disqus_threads_land_on_their_stories_and_unknown_ones_are_listed,
    a_wordpress_export_brings_the_site_back_on_the_other_database,
    editors_keep_the_site_pages_and_others_cannot,
);
