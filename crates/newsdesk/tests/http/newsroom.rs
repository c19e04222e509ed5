//! The newsroom in the browser: each member's home at `/admin/`, with what needs them by role
//! and navigation to only the pages their role may use; and canonical addresses site-wide.

use crate::desk::Desk;
use crate::helpers::{story, TestApp};
use chrono::{Duration, Utc};
use newsdesk_core::newsroom::{create_article, Actor};
use newsdesk_core::{ArticleInput, Role};
use serde_json::json;

/// A story written by a newsroom member through the newsroom's own rules.
async fn write(app: &TestApp, who: &str, role: Role, headline: &str, extra: serde_json::Value) {
    let mut body = story(headline);
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let input: ArticleInput = serde_json::from_value(body).unwrap();
    let actor = Actor {
        role,
        principal: format!("user:{who}"),
    };
    create_article(app.store.as_ref(), &actor, input, Utc::now())
        .await
        .unwrap();
}

fn block<'h>(html: &'h str, id: &str) -> &'h str {
    let start = html
        .find(&format!(r#"aria-labelledby="h-{id}""#))
        .unwrap_or_else(|| panic!("the home has a block {id}: {html}"));
    let rest = &html[start..];
    &rest[..rest.find("</section>").unwrap()]
}

async fn every_member_has_a_home_with_what_needs_them_and_only_their_pages(app: TestApp) {
    let c = Desk::log_in(&app, "cleo@example.org", Role::Contributor).await;
    let e = Desk::log_in(&app, "eli@example.org", Role::Editor).await;
    let m = Desk::log_in(&app, "mo@example.org", Role::Moderator).await;
    let draft = json!({"status": "draft"});
    write(
        &app,
        "cleo@example.org",
        Role::Contributor,
        "Cleo's half-written piece",
        draft,
    )
    .await;
    let review = json!({"status": "review"});
    write(
        &app,
        "cleo@example.org",
        Role::Contributor,
        "Cleo's finished piece",
        review,
    )
    .await;
    let soon = json!({"status": "scheduled", "published_at": Utc::now() + Duration::hours(3)});
    write(
        &app,
        "eli@example.org",
        Role::Editor,
        "Tomorrow's budget story",
        soon,
    )
    .await;
    let claim = |quote: &str, status: &str| {
        json!({"claims": [{"quote": quote, "status": status, "source": {"name": "A trader"}}],
               "published_at": Utc::now() - Duration::days(2)})
    };
    let old = claim("would close for six weeks", "unverified");
    write(
        &app,
        "eli@example.org",
        Role::Editor,
        "Older claim story",
        old,
    )
    .await;
    let mut newer = claim("Traders fear the worst", "disputed");
    newer["published_at"] = json!(Utc::now() - Duration::days(1));
    write(
        &app,
        "eli@example.org",
        Role::Editor,
        "Newer claim story",
        newer,
    )
    .await;

    let (status, home) = c.get("/admin/").await;
    assert_eq!(status, 200);
    assert!(
        block(&home, "drafts").contains("Cleo&#39;s half-written piece"),
        "{home}"
    );
    let waiting = block(&home, "review");
    assert!(
        waiting.contains("Cleo&#39;s finished piece") && waiting.contains("waiting for an editor")
    );
    assert!(
        !home.contains("h-scheduled"),
        "a contributor schedules nothing"
    );
    assert!(
        !home.contains("/admin/moderation"),
        "no moderation for a contributor"
    );

    let (_, home) = e.get("/admin/").await;
    assert!(block(&home, "review").contains("Cleo&#39;s finished piece"));
    assert!(block(&home, "scheduled").contains("Tomorrow&#39;s budget story"));
    let claims = block(&home, "claims");
    let (older, newer) = (
        claims.find("Older claim").unwrap(),
        claims.find("Newer claim").unwrap(),
    );
    assert!(older < newer, "oldest first: {claims}");
    assert!(claims.contains("1 claim to check"));
    assert!(
        !home.contains("Cleo&#39;s half-written"),
        "someone else's draft is theirs"
    );

    let (_, home) = m.get("/admin/").await;
    assert!(
        home.contains("0 held comments wait for a moderator"),
        "{home}"
    );
    assert!(home.contains(r#"href="/admin/moderation/bans""#));
    assert!(!home.contains("h-drafts"), "a moderator writes no stories");

    // `/admin` leads to the home; a stranger is asked to log in and brought back.
    let r = app.get("/admin").await;
    assert_eq!(r.status().as_u16(), 308);
    assert_eq!(r.headers()["location"], "/admin/");
    let r = app.get("/admin/").await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/admin/login?next=%2Fadmin%2F");
}

async fn a_trailing_slash_or_capitals_redirect_to_the_canonical_address(app: TestApp) {
    app.create(story("Harbour bridge to close")).await;
    for (asked, canonical) in [
        ("/section/city/", "/section/city"),
        (
            "/News/Harbour-Bridge-To-Close",
            "/news/harbour-bridge-to-close",
        ),
        (
            "/news/harbour-bridge-to-close/?cpage=1",
            "/news/harbour-bridge-to-close?cpage=1",
        ),
        ("/Feed.xml", "/feed.xml"),
        ("/ADMIN", "/admin/"),
    ] {
        let r = app.get(asked).await;
        assert_eq!(r.status().as_u16(), 308, "{asked}");
        assert_eq!(r.headers()["location"], canonical, "{asked}");
        let there = app.get(canonical).await.status().as_u16();
        assert!(there < 400, "{canonical} answers {there}");
    }
    // A canonical address that does not exist is still a 404, not a loop.
    assert_eq!(app.get("/news/no-such-story").await.status(), 404);
}

on_both_stores!(
    every_member_has_a_home_with_what_needs_them_and_only_their_pages,
    a_trailing_slash_or_capitals_redirect_to_the_canonical_address,
);
