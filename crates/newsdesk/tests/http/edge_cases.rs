//! The edges a careful user found: stories that link to changed stories, races, odd input.

use crate::helpers::{story, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

async fn patch(app: &TestApp, slug: &str, body: Value) -> (u16, Value) {
    app.send_json(
        Method::PATCH,
        &format!("/api/v1/articles/{slug}"),
        Some(&app.editor),
        &body,
    )
    .await
}

async fn a_story_stays_editable_when_a_story_it_promotes_changes(app: TestApp) {
    for t in ["Target one", "Target two", "Target three"] {
        app.create(story(t)).await;
    }
    let mut referrer = story("Referrer");
    referrer["body"] =
        json!("Intro.\n\n[[target-one]] REPORT\n[[target-two]] LIVE\n[[target-three]]\n\nEnd.");
    app.create(referrer).await;
    assert_eq!(
        patch(&app, "target-one", json!({"status": "unpublished"}))
            .await
            .0,
        200
    );
    assert_eq!(
        patch(
            &app,
            "target-two",
            json!({"slug": "target-two-renamed", "headline": "Target two, renamed"})
        )
        .await
        .0,
        200
    );
    let r = app
        .client
        .delete(app.url("/api/v1/articles/target-three"))
        .bearer_auth(&app.editor)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let (status, err) = patch(&app, "referrer", json!({"headline": "Referrer, edited"})).await;
    assert_eq!(status, 200, "{err}");
    let (_, html) = app.get_text("/news/referrer").await;
    assert!(
        html.contains("href=\"/news/target-two-renamed\""),
        "a promo by a former slug follows the story"
    );
    assert!(html.contains("Target two, renamed"));
    assert!(
        !html.contains("Target one") && !html.contains("Target three"),
        "promos to withdrawn or deleted stories are left out"
    );
    assert_eq!(
        patch(&app, "referrer", json!({"status": "unpublished"}))
            .await
            .0,
        200,
        "a story can always be withdrawn"
    );
    // A newly added promo is still checked.
    let (status, err) = patch(
        &app,
        "referrer",
        json!({"body": "Intro.\n\n[[target-one]] REPORT"}),
    )
    .await;
    assert_eq!(status, 200, "{err}");
    let (status, err) = patch(
        &app,
        "referrer",
        json!({"body": "Intro.\n\n[[target-one]] REPORT\n[[never-was]]"}),
    )
    .await;
    assert_eq!(status, 422);
    assert!(err["fields"]["body"]
        .as_str()
        .unwrap()
        .contains("never-was"));
}

async fn stories_with_one_headline_created_at_once_all_succeed(app: TestApp) {
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let client = app.client.clone();
        let url = app.url("/api/v1/articles");
        let token = app.editor.clone();
        tasks.push(tokio::spawn(async move {
            let r = client
                .post(url)
                .bearer_auth(token)
                .json(&story("Same headline"))
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }));
    }
    let mut slugs = Vec::new();
    for t in tasks {
        let (status, body) = t.await.unwrap();
        assert_eq!(status, 201, "{body}");
        slugs.push(body["slug"].as_str().unwrap().to_string());
    }
    slugs.sort();
    slugs.dedup();
    assert_eq!(slugs.len(), 20);
}

async fn crossing_edits_of_different_fields_all_apply(app: TestApp) {
    app.create(story("Busy story")).await;
    let fields = ["headline", "standfirst"];
    let mut tasks = Vec::new();
    for i in 0..10 {
        let client = app.client.clone();
        let url = app.url("/api/v1/articles/busy-story");
        let token = app.editor.clone();
        let field = fields[i % 2];
        tasks.push(tokio::spawn(async move {
            let r = client
                .patch(url)
                .bearer_auth(token)
                .json(&json!({ field: format!("Value {i}") }))
                .send()
                .await
                .unwrap();
            r.status().as_u16()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
}

async fn an_empty_edit_changes_nothing(app: TestApp) {
    let created = app.create(story("Quiet story")).await;
    let (status, same) = patch(&app, "quiet-story", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(same["revision"], created["revision"]);
    assert_eq!(same["updated_at"], created["updated_at"]);
}

async fn nul_characters_are_refused_or_not_found_on_both_stores(app: TestApp) {
    let (status, err) = app
        .send_json(
            Method::POST,
            "/api/v1/articles",
            Some(&app.editor),
            &story("Nul \u{0} byte"),
        )
        .await;
    assert_eq!(status, 422);
    assert!(err["fields"]["headline"].is_string());
    assert_eq!(app.get("/news/a%00b").await.status().as_u16(), 404);
    assert_eq!(app.get("/tag/a%00b").await.status().as_u16(), 404);
    let (status, list) = app.get_json("/api/v1/articles?tag=%00", None).await;
    assert_eq!(status, 200);
    assert_eq!(list["total"], 0);
}

async fn odd_dates_and_links_are_refused(app: TestApp) {
    let mut s = story("From the future");
    s["published_at"] = json!("2035-01-01T00:00:00Z");
    let (status, err) = app
        .send_json(Method::POST, "/api/v1/articles", Some(&app.editor), &s)
        .await;
    assert_eq!(status, 422);
    assert!(err["fields"]["published_at"]
        .as_str()
        .unwrap()
        .contains("scheduled"));
    let mut s = story("Insecure picture");
    s["hero"] = json!({"url": "http://example.com/a.png", "alt": "A"});
    let (status, err) = app
        .send_json(Method::POST, "/api/v1/articles", Some(&app.editor), &s)
        .await;
    assert_eq!(status, 422);
    assert!(err["fields"]["hero.url"].is_string());
}

async fn promo_kickers_and_claims_are_checked_where_readers_would_see_them(app: TestApp) {
    app.create(story("Target")).await;
    let mut s = story("Kickers");
    s["body"] = json!("Intro.\n\n[[target]] Q&A: LIVE!\n\nEnd.");
    app.create(s).await;
    let (_, html) = app.get_text("/news/kickers").await;
    assert!(html.contains("<span class=\"kicker\">Q&#38;A: LIVE!</span>"));
    let mut s = story("Broken promo");
    s["body"] = json!("Intro.\n\n[[Not A Slug]] REPORT\n");
    let (status, err) = app
        .send_json(Method::POST, "/api/v1/articles", Some(&app.editor), &s)
        .await;
    assert_eq!(status, 422);
    assert!(
        err["fields"]["body"].as_str().unwrap().contains("line 3"),
        "{err}"
    );
    let claim =
        |q: &str| json!({"quote": q, "source": {"name": "S"}, "status": "verified", "note": "n"});
    let mut s = story("Overlap");
    s["body"] = json!("alpha beta gamma, and [the linked report](https://example.org/r).");
    s["claims"] = json!([claim("alpha beta"), claim("beta gamma")]);
    let (status, err) = app
        .send_json(Method::POST, "/api/v1/articles", Some(&app.editor), &s)
        .await;
    assert_eq!(status, 422);
    assert!(err["fields"]["claims[1].quote"].is_string(), "{err}");
    s["claims"] = json!([claim("the linked report")]);
    let (status, err) = app
        .send_json(Method::POST, "/api/v1/articles", Some(&app.editor), &s)
        .await;
    assert_eq!(status, 422, "a claim inside a link cannot be marked: {err}");
}

async fn api_errors_are_json_even_for_odd_requests(app: TestApp) {
    let r = app.get("/api/v1/articles?page=2&page=3").await;
    assert_eq!(r.status().as_u16(), 400);
    assert!(r.json::<Value>().await.unwrap()["message"].is_string());
    let r = app
        .client
        .put(app.url("/api/v1/articles"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 405);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"],
        "method_not_allowed"
    );
    assert_eq!(
        app.get("/section/none?page=2&page=3")
            .await
            .status()
            .as_u16(),
        404
    );
}

async fn a_story_can_be_deleted_by_a_former_slug(app: TestApp) {
    app.create(story("Before rename")).await;
    patch(&app, "before-rename", json!({"slug": "after-rename"})).await;
    let r = app
        .client
        .delete(app.url("/api/v1/articles/before-rename"))
        .bearer_auth(&app.editor)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    assert_eq!(
        app.get_json("/api/v1/articles/after-rename", None).await.0,
        404
    );
}

async fn a_tag_with_a_slash_links_to_its_page(app: TestApp) {
    let mut s = story("Slashed tag");
    s["tags"] = json!(["a/b"]);
    app.create(s).await;
    let (_, html) = app.get_text("/news/slashed-tag").await;
    assert!(html.contains("href=\"/tag/a%2Fb\""));
    assert_eq!(app.get("/tag/a%2Fb").await.status().as_u16(), 200);
}

on_both_stores!(
    a_story_stays_editable_when_a_story_it_promotes_changes,
    stories_with_one_headline_created_at_once_all_succeed,
    crossing_edits_of_different_fields_all_apply,
    an_empty_edit_changes_nothing,
    nul_characters_are_refused_or_not_found_on_both_stores,
    odd_dates_and_links_are_refused,
    promo_kickers_and_claims_are_checked_where_readers_would_see_them,
    api_errors_are_json_even_for_odd_requests,
    a_story_can_be_deleted_by_a_former_slug,
    a_tag_with_a_slash_links_to_its_page,
);
