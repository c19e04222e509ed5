//! Stored pictures: upload, serve back, and refuse what is not a picture.

use crate::helpers::{story, TestApp};
use newsdesk_core::Role;
use serde_json::{json, Value};

/// A 1×1 PNG, made byte by byte for this test.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

async fn upload(app: &TestApp, token: Option<&str>, bytes: &[u8]) -> (u16, Value) {
    let mut req = app
        .client
        .post(app.url("/api/v1/media"))
        .header("content-type", "image/png")
        .body(bytes.to_vec());
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn a_stored_picture_is_served_back_and_usable_as_a_hero(app: TestApp) {
    let (status, stored) = upload(&app, Some(&app.editor), PNG).await;
    assert_eq!(status, 201, "{stored}");
    let url = stored["url"].as_str().unwrap().to_string();
    assert!(url.starts_with("/media/") && url.ends_with(".png"));
    let r = app.get(&url).await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    let served = r.bytes().await.unwrap();
    let img = image::load_from_memory(&served).expect("a picture comes back");
    assert_eq!((img.width(), img.height()), (1, 1));
    let (_, again) = upload(&app, Some(&app.editor), PNG).await;
    assert_eq!(
        again["url"], stored["url"],
        "the same picture is stored once"
    );
    let mut s = story("Story with a stored picture");
    s["hero"] = json!({"url": url, "alt": "A single pixel"});
    app.create(s).await;
    let (_, html) = app.get_text("/news/story-with-a-stored-picture").await;
    assert!(html.contains(&format!("src=\"{url}\"")), "{html}");
}

async fn what_is_not_a_picture_is_refused(app: TestApp) {
    let (status, err) = upload(&app, Some(&app.editor), b"<svg onload=alert(1)>").await;
    assert_eq!(status, 422);
    assert!(err["fields"]["body"].is_string());
    let (status, _) = upload(&app, None, PNG).await;
    assert_eq!(status, 401);
    let reader = app.token(Role::Reader).await;
    let (status, _) = upload(&app, Some(&reader), PNG).await;
    assert_eq!(status, 403);
}

on_both_stores!(
    a_stored_picture_is_served_back_and_usable_as_a_hero,
    what_is_not_a_picture_is_refused
);
