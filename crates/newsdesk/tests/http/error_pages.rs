//! One error type, shown the way each door's callers read it: a page with the site's layout
//! and a way back on the site, JSON for the page's script and the API.

use crate::helpers::{story, Reader, TestApp};

const STORY: &str = "/news/harbour-bridge-to-close";

async fn a_refused_form_is_a_page_with_the_site_layout_and_a_way_back_to_the_story(app: TestApp) {
    app.create(story("Harbour bridge to close")).await;
    let r = app
        .client
        .post(app.url(&format!("{STORY}/debate/1/vote")))
        .header("sec-fetch-site", "cross-site")
        .form(&[("answer", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = r.text().await.unwrap();
    assert!(html.contains("<h1>That is not possible</h1>"), "{html}");
    assert!(
        html.contains(r#"href="/section/city""#),
        "the real layout, with the sections: {html}"
    );
    assert!(html.contains(&format!(r#"<a href="{STORY}">Back to the story</a>"#)));
    // The page's script asked for JSON and gets the same error as JSON.
    let r = app
        .client
        .post(app.url(&format!("{STORY}/debate/1/vote")))
        .header("sec-fetch-site", "cross-site")
        .header("accept", "application/json")
        .form(&[("answer", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "forbidden");
}

async fn a_form_that_is_not_a_form_is_refused_naming_what_to_send(app: TestApp) {
    app.create(story("Harbour bridge to close")).await;
    let stamp = Reader::new(&app).stamp(STORY).await;
    let r = app
        .client
        .post(app.url(&format!("{STORY}/comments")))
        .header("content-type", "text/plain")
        .body(format!("name=A&body=B&stamp={stamp}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 415);
    let html = r.text().await.unwrap();
    assert!(html.contains("application/x-www-form-urlencoded"), "{html}");
}

async fn a_missing_story_is_a_404_page_with_the_latest_stories_and_no_way_back_to_it(app: TestApp) {
    app.create(story("Harbour bridge to close")).await;
    let (status, html) = app.get_text("/news/no-such-story").await;
    assert_eq!(status, 404);
    assert!(html.contains("We could not find that page"));
    assert!(html.contains(r#"<ul class="suggestions">"#), "{html}");
    assert!(html.contains(STORY), "the latest story is suggested");
    assert!(!html.contains("Back to the story"));
    // A comment of a story that is there, but not that comment: still a page, not JSON.
    let (status, html) = app.get_text(&format!("{STORY}/comments/999999")).await;
    assert_eq!(status, 404);
    assert!(
        html.contains("there is no such comment on this story"),
        "{html}"
    );
}

async fn a_page_read_asking_for_json_still_gets_a_page(app: TestApp) {
    let r = app
        .client
        .get(app.url("/news/no-such-story"))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("We could not find that page"));
}

on_both_stores!(
    a_page_read_asking_for_json_still_gets_a_page,
    a_refused_form_is_a_page_with_the_site_layout_and_a_way_back_to_the_story,
    a_form_that_is_not_a_form_is_refused_naming_what_to_send,
    a_missing_story_is_a_404_page_with_the_latest_stories_and_no_way_back_to_it,
);
