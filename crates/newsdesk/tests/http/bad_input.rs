//! Bad input gets a clear error and never changes stored data.

use crate::helpers::{story, TestApp};
use newsdesk_core::Role;
use reqwest::Method;
use serde_json::{json, Value};

async fn raw(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> (u16, Value) {
    let mut req = app
        .client
        .request(method, app.url(path))
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn snapshot(app: &TestApp) -> Value {
    app.get_json("/api/v1/articles?per_page=100", Some(&app.editor))
        .await
        .1
}

async fn malformed_json_answers_400_and_changes_nothing(app: TestApp) {
    app.create(story("Existing story")).await;
    let before = snapshot(&app).await;
    for body in ["{", "{\"headline\": }", "not json", ""] {
        let (status, err) = raw(
            &app,
            Method::POST,
            "/api/v1/articles",
            Some(&app.editor),
            body,
        )
        .await;
        assert_eq!(status, 400, "{body:?} gave {err}");
        assert!(err["message"].as_str().unwrap().contains("JSON"), "{err}");
        let (status, _) = raw(
            &app,
            Method::PATCH,
            "/api/v1/articles/existing-story",
            Some(&app.editor),
            body,
        )
        .await;
        assert_eq!(status, 400);
    }
    assert_eq!(snapshot(&app).await, before);
}

async fn missing_and_invalid_fields_answer_422_naming_each(app: TestApp) {
    let (status, err) = app
        .send_json(
            Method::POST,
            "/api/v1/articles",
            Some(&app.editor),
            &json!({"status": "published"}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(err["error"], "validation");
    for field in ["headline", "standfirst", "body", "section", "authors"] {
        assert!(
            err["fields"][field].is_string(),
            "{field} not named in {err}"
        );
    }
    let mut s = story("Bad values");
    s["section"] = json!("Not A Slug!");
    s["hero"] = json!({"url": "javascript:alert(1)", "alt": ""});
    s["claims"] = json!([{"quote": "never said this", "source": {"name": "X"}, "status": "false", "note": ""}]);
    s["tags"] = json!(["ok", 5]);
    let (status, err) = app
        .send_json(Method::POST, "/api/v1/articles", Some(&app.editor), &s)
        .await;
    assert_eq!(status, 422);
    assert!(
        err["fields"]["tags[1]"].is_string(),
        "a value of the wrong kind names its path: {err}"
    );
    s["tags"] = json!(["ok"]);
    let (status, err) = app
        .send_json(Method::POST, "/api/v1/articles", Some(&app.editor), &s)
        .await;
    assert_eq!(status, 422);
    for field in ["section", "hero.url", "hero.alt", "claims[0].quote"] {
        assert!(
            err["fields"][field].is_string(),
            "{field} not named in {err}"
        );
    }
    let mut s = story("Bad status");
    s["status"] = json!("live");
    let (status, err) = app
        .send_json(Method::POST, "/api/v1/articles", Some(&app.editor), &s)
        .await;
    assert_eq!(status, 422);
    assert!(err["fields"]["status"].is_string(), "{err}");
    let mut s = story("Unknown field");
    s["headlin"] = json!("typo");
    let (status, err) = app
        .send_json(Method::POST, "/api/v1/articles", Some(&app.editor), &s)
        .await;
    assert_eq!(status, 422);
    assert!(err["fields"]["headlin"].is_string(), "{err}");
    let (status, _) = app.get_json("/api/v1/articles?page=0", None).await;
    assert_eq!(status, 422);
    assert_eq!(app.count_articles().await, 0);
}

async fn a_bad_patch_leaves_the_story_as_it_was(app: TestApp) {
    app.create(story("Stable story")).await;
    let before = app.get_json("/api/v1/articles/stable-story", None).await.1;
    let (status, _) = app
        .send_json(
            Method::PATCH,
            "/api/v1/articles/stable-story",
            Some(&app.editor),
            &json!({"headline": "", "section": "Bad Section"}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        app.get_json("/api/v1/articles/stable-story", None).await.1,
        before
    );
}

async fn no_token_or_a_bad_token_answers_401(app: TestApp) {
    let (status, err) = app
        .send_json(Method::POST, "/api/v1/articles", None, &story("No token"))
        .await;
    assert_eq!(status, 401);
    assert!(err["message"].as_str().unwrap().contains("token"));
    let (status, _) = app
        .send_json(
            Method::POST,
            "/api/v1/articles",
            Some("nd_not-a-real-token"),
            &story("Bad token"),
        )
        .await;
    assert_eq!(status, 401);
    let (status, _) = app
        .get_json("/api/v1/articles", Some("nd_not-a-real-token"))
        .await;
    assert_eq!(status, 401, "a wrong token is refused, never ignored");
    let r = app
        .client
        .delete(app.url("/api/v1/articles/anything"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    assert_eq!(r.headers()["www-authenticate"], "Bearer");
    assert_eq!(app.count_articles().await, 0);
}

async fn a_role_without_the_right_answers_403(app: TestApp) {
    app.create(story("Protected story")).await;
    let before = snapshot(&app).await;
    let reader = app.token(Role::Reader).await;
    let (status, err) = app
        .send_json(
            Method::PATCH,
            "/api/v1/articles/protected-story",
            Some(&reader),
            &json!({"headline": "x"}),
        )
        .await;
    assert_eq!(status, 403);
    assert!(err["message"].as_str().unwrap().contains("reader"));
    let r = app
        .client
        .delete(app.url("/api/v1/articles/protected-story"))
        .bearer_auth(&reader)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(snapshot(&app).await, before);
}

async fn an_unknown_story_answers_404(app: TestApp) {
    let (status, err) = app.get_json("/api/v1/articles/no-such-story", None).await;
    assert_eq!(status, 404);
    assert!(err["message"].as_str().unwrap().contains("no-such-story"));
    let (status, _) = app
        .send_json(
            Method::PATCH,
            "/api/v1/articles/no-such-story",
            Some(&app.editor),
            &json!({"headline": "x"}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = app.get_json("/api/v1/nothing-here", None).await;
    assert_eq!(status, 404);
}

async fn a_body_over_the_limit_answers_413(app: TestApp) {
    let mut s = story("Huge");
    s["body"] = json!("word ".repeat(300_000));
    // The server answers as soon as it sees the declared length and closes; a client still
    // sending can meet a reset before it reads the 413 (the server has no lingering close),
    // so a reset is tried again, and the answer must come.
    let mut answer = None;
    for _ in 0..5 {
        let sent = app
            .client
            .post(app.url("/api/v1/articles"))
            .bearer_auth(&app.editor)
            .json(&s)
            .send()
            .await;
        if let Ok(r) = sent {
            answer = Some((r.status().as_u16(), r.json::<Value>().await.unwrap()));
            break;
        }
    }
    let (status, err) = answer.expect("the 413 reached the client");
    assert_eq!(status, 413);
    assert_eq!(err["error"], "payload_too_large");
    assert_eq!(app.count_articles().await, 0);
}

/// What Schemathesis found where the API and its document disagreed, each answered as the
/// document says.
async fn the_api_answers_as_its_document_says(app: TestApp) {
    let published = app
        .create(
            json!({"headline": "Answered as documented", "standfirst": "S.", "body": "B.",
            "section": "politics", "authors": ["Ana Ruiz"], "status": "published"}),
        )
        .await;
    let slug = published["slug"].as_str().unwrap();
    // A whole number written with a fraction is the integer it is.
    let (status, answer) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/articles/{slug}/comments"),
            None,
            &json!({"name": "Ann", "body": "First."}),
        )
        .await;
    assert_eq!(status, 201, "{answer}");
    let parent = answer["id"].as_i64().unwrap() as f64;
    let (status, reply) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/articles/{slug}/comments"),
            None,
            &json!({"name": "Ben", "body": "A reply.", "parent_id": parent}),
        )
        .await;
    assert_eq!(status, 201, "{reply}");
    let (_, thread) = app
        .get_json(&format!("/api/v1/articles/{slug}/comments"), None)
        .await;
    let listed = thread["items"].as_array().unwrap();
    let stored = listed.iter().find(|c| c["id"] == reply["id"]).unwrap();
    assert_eq!(stored["parent_id"].as_f64(), Some(parent));
    // An address part that cannot be read is a 400 in JSON, naming the address.
    let r = app
        .client
        .delete(app.url("/api/v1/moderation/bans/9223372036854775808"))
        .bearer_auth(&app.editor)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let body: Value = r.json().await.expect("a JSON body");
    assert!(
        body["message"].as_str().unwrap().contains("address"),
        "{body}"
    );
    // An empty date, number or order is named, not taken as left out.
    for (path, field) in [
        ("/api/v1/search?q=x&to=", "to"),
        ("/api/v1/articles?page=", "page"),
        (
            &format!("/api/v1/articles/{slug}/comments?sort=") as &str,
            "sort",
        ),
    ] {
        let (status, err) = app.get_json(path, None).await;
        assert_eq!(status, 422, "{path}");
        assert!(err["fields"][field].is_string(), "{path}: {err}");
    }
    // A debate question the story does not have names no thread.
    let (status, _) = app
        .get_json(
            &format!("/api/v1/articles/{slug}/comments?question=77"),
            None,
        )
        .await;
    assert_eq!(status, 404);
    // An If-Match that names no version at all says so.
    let r = app
        .client
        .patch(app.url(&format!("/api/v1/articles/{slug}")))
        .bearer_auth(&app.editor)
        .header("if-match", "not-a-tag")
        .json(&json!({"standfirst": "Changed?"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 412);
    let err: Value = r.json().await.unwrap();
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("names no version"),
        "{err}"
    );
    let (_, story) = app
        .get_json(&format!("/api/v1/articles/{slug}"), None)
        .await;
    assert_eq!(story["standfirst"], "S.");
}

on_both_stores!(
    the_api_answers_as_its_document_says,
    malformed_json_answers_400_and_changes_nothing,
    missing_and_invalid_fields_answer_422_naming_each,
    a_bad_patch_leaves_the_story_as_it_was,
    no_token_or_a_bad_token_answers_401,
    a_role_without_the_right_answers_403,
    an_unknown_story_answers_404,
    a_body_over_the_limit_answers_413,
);
