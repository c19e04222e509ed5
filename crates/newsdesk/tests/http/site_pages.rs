//! The public site as a script reads it: every part of the article page, lists, escaping, 404s.

use crate::helpers::{story, Backend, TestApp};
use reqwest::Method;
use serde_json::json;

async fn the_article_page_has_every_part(app: TestApp) {
    app.create(story("Earlier bridge story")).await;
    let mut other = story("Bridge traffic diverted through the old town");
    other["body"] = json!("Drivers face long queues while the harbour bridge is shut for repairs.");
    app.create(other).await;
    let mut s = story("Bridge closure: what we know");
    s["body"] = json!(
        "The council said the bridge would close for six weeks.\n\n[[earlier-bridge-story]] REPORT\n\nWriting on social media, she claimed the repairs were never needed."
    );
    s["hero"] = json!({"url": "/media/bridge.svg", "alt": "The harbour bridge", "caption": "The bridge at dusk", "credit": "Staff"});
    s["claims"] = json!([
        {"quote": "the repairs were never needed", "source": {"name": "Ana Ruiz", "role": "Local campaigner", "url": "https://example.org/ana"}, "status": "unverified", "note": "No other source confirms this."},
        {"quote": "would close for six weeks", "source": {"name": "Council"}, "status": "verified", "note": "The council's notice says so."}
    ]);
    s["debate"] = json!(["Should the bridge have closed?"]);
    s["corrections"] =
        json!([{"at": "2026-11-20T10:00:00Z", "note": "An earlier version misnamed the bridge."}]);
    app.create(s).await;
    // The related index takes new stories in behind the write (within a second, by design,
    // though a loaded CI host has taken longer); the page is read once it has them. Whatever
    // the index holds meanwhile, the page never shows an empty list: a new story placed only
    // among stories it promotes gets the simpler list.
    for _ in 0..200 {
        let (_, related) = app
            .get_text("/api/v1/articles/bridge-closure-what-we-know/related")
            .await;
        if related.contains("bridge-traffic-diverted") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    let (status, html) = app.get_text("/news/bridge-closure-what-we-know").await;
    assert_eq!(status, 200);
    assert!(html.contains("<h1 class=\"headline\">Bridge closure: what we know</h1>"));
    assert!(html.contains("A short summary that sells the story."));
    assert!(html.contains("href=\"/author/maya-okafor\""));
    assert!(html.contains("<time datetime="));
    assert!(html.contains("alt=\"The harbour bridge\""));
    assert!(html.contains("class=\"promo\""));
    assert!(html.contains("Earlier bridge story</span> <span class=\"kicker\">REPORT</span>"));
    assert!(html.contains("<span class=\"claim\" data-status=\"unverified\""));
    assert!(html.contains(
        ">the repairs were never needed</span><a class=\"claim-badge\" data-status=\"unverified\""
    ));
    assert!(html.contains("<span class=\"claim\" data-status=\"verified\""));
    assert!(html.contains("No other source confirms this."));
    assert!(html.contains("Local campaigner"));
    for id in [
        "debate",
        "share",
        "comments",
        "more-like-this",
        "corrections",
    ] {
        assert!(
            html.contains(&format!("id=\"{id}\"")),
            "#{id} missing; related: {:?}",
            app.get_text("/api/v1/articles/bridge-closure-what-we-know/related")
                .await
        );
    }
    let more = html
        .split("id=\"more-like-this\"")
        .nth(1)
        .unwrap_or_default();
    let more = more.split("</section>").next().unwrap_or_default();
    assert!(more.contains("Bridge traffic diverted"), "{more}");
    assert!(
        !more.contains("Earlier bridge story"),
        "a story the body promotes is not shown again: {more}"
    );
    assert!(html.contains("Should the bridge have closed?"));
    assert!(html.contains("An earlier version misnamed the bridge."));
    assert!(html.contains("https://wa.me/?text="));
    assert!(
        html.contains("name=\"name\"")
            && html.contains("name=\"body\"")
            && html.contains("name=\"email\"")
    );
    assert!(
        html.contains("Earlier bridge story"),
        "the related list shows the story on the same topic"
    );
}

async fn everything_written_is_escaped(app: TestApp) {
    let mut s = story("<script>alert('headline')</script> & more");
    s["slug"] = json!("hostile");
    s["standfirst"] = json!("\"><img src=x onerror=alert(1)>");
    s["body"] = json!("<script>alert(1)</script>\n\n[link](javascript:alert(2))\n\n<iframe src=\"https://evil.example\"></iframe>");
    s["authors"] = json!(["<b>Bold</b> Name"]);
    s["hero"] = json!({"url": "/media/a.svg", "alt": "\" onload=\"alert(3)", "caption": "<i>cap</i>", "credit": "c"});
    app.create(s).await;
    let (status, html) = app.get_text("/news/hostile").await;
    assert_eq!(status, 200);
    assert!(
        !html.contains("<script>alert"),
        "a script tag from content reached the page"
    );
    assert!(!html.contains("<img src=x"));
    assert!(!html.contains("javascript:alert"));
    assert!(!html.contains("<iframe"));
    assert!(!html.contains("<b>Bold</b>"));
    assert!(!html.contains("\" onload=\"alert(3)"));
    assert!(html.contains("&lt;script&gt;alert("));
}

async fn list_pages_page_through_sections_tags_and_authors(app: TestApp) {
    for i in 0..14 {
        let mut s = story(&format!("Sport story number {i}"));
        s["section"] = json!("sport");
        s["tags"] = json!(["football"]);
        s["authors"] = json!(["Samir Haddad"]);
        app.create(s).await;
    }
    for path in ["/section/sport", "/tag/football", "/author/samir-haddad"] {
        let (status, html) = app.get_text(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains("14 stories"), "{path}");
        assert!(html.contains("Page 1 of 2"), "{path}");
        assert!(html.contains("rel=\"next\""), "{path}");
        let (status, html) = app.get_text(&format!("{path}?page=2")).await;
        assert_eq!(status, 200);
        assert_eq!(
            html.matches("class=\"card card-row\"").count(),
            2,
            "{path} page 2"
        );
    }
    let (_, html) = app.get_text("/author/samir-haddad").await;
    assert!(html.contains("<h1>Samir Haddad</h1>"));
    assert_eq!(
        app.get("/section/no-such-section").await.status().as_u16(),
        404
    );
}

async fn a_missing_page_is_a_helpful_404(app: TestApp) {
    app.create(story("A story readers can go to")).await;
    for path in ["/no/such/page", "/news/no-such-story"] {
        let (status, html) = app.get_text(path).await;
        assert_eq!(status, 404);
        assert!(html.contains("We could not find that page"));
        assert!(
            html.contains("A story readers can go to"),
            "the 404 page offers the latest stories"
        );
        assert!(
            html.contains("href=\"/section/city\""),
            "the 404 page keeps the section navigation"
        );
    }
}

async fn pages_carry_security_headers_and_a_request_id(app: TestApp) {
    let r = app.get("/").await;
    assert_eq!(r.status().as_u16(), 200);
    let h = r.headers();
    assert!(h["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'self'"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h.contains_key("x-request-id"));
    assert_eq!(app.get("/healthz").await.status().as_u16(), 200);
    let css = app.get("/static/site.css").await;
    assert!(css.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
}

async fn drafts_are_not_on_the_site(app: TestApp) {
    let mut s = story("Secret draft");
    s["status"] = json!("draft");
    app.create(s).await;
    assert_eq!(app.get("/news/secret-draft").await.status().as_u16(), 404);
    let (_, home) = app.get_text("/").await;
    assert!(!home.contains("Secret draft"));
    let (status, _) = app
        .send_json(
            Method::PATCH,
            "/api/v1/articles/secret-draft",
            Some(&app.editor),
            &json!({"status": "published"}),
        )
        .await;
    assert_eq!(status, 200);
    let (_, home) = app.get_text("/").await;
    assert!(
        home.contains("Secret draft"),
        "a new story shows on the next request"
    );
}

async fn the_demo_site_is_full_and_every_story_renders(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.demo = true).await;
    let (_, all) = app
        .get_json("/api/v1/articles?per_page=100", Some(&app.editor))
        .await;
    let items = all["items"].as_array().unwrap();
    assert!(items.len() >= 30, "the demo has {} stories", items.len());
    let mut sections: Vec<&str> = items
        .iter()
        .map(|a| a["section"].as_str().unwrap())
        .collect();
    sections.sort();
    sections.dedup();
    assert!(sections.len() >= 4);
    let mut authors: Vec<&str> = items
        .iter()
        .flat_map(|a| a["authors"].as_array().unwrap())
        .map(|a| a.as_str().unwrap())
        .collect();
    authors.sort();
    authors.dedup();
    assert!(authors.len() >= 3);
    let statuses: Vec<&str> = items
        .iter()
        .flat_map(|a| a["claims"].as_array().unwrap())
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    for s in ["unverified", "verified", "disputed", "false"] {
        assert!(statuses.contains(&s), "no {s} claim in the demo");
    }
    assert!(items
        .iter()
        .any(|a| !a["corrections"].as_array().unwrap().is_empty()));
    assert!(items
        .iter()
        .any(|a| !a["debate"].as_array().unwrap().is_empty()));
    assert!(items.iter().all(|a| a["hero"].is_object()));
    let mut rendered = 0;
    for a in items.iter().filter(|a| a["status"] == "published") {
        let path = format!("/news/{}", a["slug"].as_str().unwrap());
        let (status, html) = app.get_text(&path).await;
        assert_eq!(status, 200, "{path}");
        assert!(!html.contains("[["), "{path} shows raw promo syntax");
        for c in a["claims"].as_array().unwrap() {
            assert!(
                html.contains(&format!(
                    "class=\"claim\" data-status=\"{}\"",
                    c["status"].as_str().unwrap()
                )),
                "{path}: claim not marked"
            );
        }
        rendered += 1;
    }
    assert!(rendered >= 30);
    let hero = items[0]["hero"]["url"].as_str().unwrap();
    let img = app.get(hero).await;
    assert_eq!(img.status().as_u16(), 200, "{hero}");
    assert!(img.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("sandbox"));
}

async fn a_change_made_elsewhere_reaches_cached_pages_within_a_second(app: TestApp) {
    app.create(story("Cached headline")).await;
    for _ in 0..3 {
        assert!(app
            .get_text("/news/cached-headline")
            .await
            .1
            .contains("Cached headline"));
    }
    // Another app node (or the CLI) writes to the same database, not through this server.
    let a = app
        .store
        .find_article("cached-headline")
        .await
        .unwrap()
        .unwrap();
    let input = newsdesk_core::ArticleInput {
        headline: Some("Changed on another node".into()),
        ..Default::default()
    };
    let fields = input.over(&a).validate(chrono::Utc::now()).unwrap();
    let changed_at = std::time::Instant::now();
    app.store
        .update_article(a.id, a.revision, &fields, "tests", chrono::Utc::now())
        .await
        .unwrap();
    loop {
        let (_, html) = app.get_text("/news/cached-headline").await;
        if html.contains("Changed on another node") {
            break;
        }
        // Nodes poll four times a second; two seconds leaves room for a loaded CI machine.
        assert!(
            changed_at.elapsed() < std::time::Duration::from_secs(2),
            "the page was stale for over a second"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

on_both_stores!(
    a_change_made_elsewhere_reaches_cached_pages_within_a_second,
    the_article_page_has_every_part,
    everything_written_is_escaped,
    list_pages_page_through_sections_tags_and_authors,
    a_missing_page_is_a_helpful_404,
    pages_carry_security_headers_and_a_request_id,
    drafts_are_not_on_the_site,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_site_is_full_on_sqlite() {
    the_demo_site_is_full_and_every_story_renders(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_site_is_full_on_postgres() {
    the_demo_site_is_full_and_every_story_renders(Backend::Postgres).await;
}
