//! The stories API: create, read, update, list, delete, roles, promos, claims, debate, slugs.

use crate::helpers::{story, TestApp};
use newsdesk_core::Role;
use reqwest::Method;
use serde_json::json;

async fn creating_a_story_answers_201_with_the_whole_story(app: TestApp) {
    let mut body = story("Harbour bridge to close for six weeks");
    body["debate"] = json!([
        "Should the bridge close in summer?",
        "Would you take the ferry?"
    ]);
    body["hero"] = json!({"url": "/media/x.svg", "alt": "The bridge at dusk", "caption": "The bridge", "credit": "Staff"});
    body["claims"] = json!([{
        "quote": "would close for six weeks",
        "source": {"name": "Jo Brandt", "role": "Council engineer", "url": "https://example.org/council"},
        "status": "unverified",
        "note": "No other source confirms the length of the closure."
    }]);
    let created = app.create(body).await;
    assert_eq!(created["slug"], "harbour-bridge-to-close-for-six-weeks");
    assert_eq!(
        created["url"],
        app.url("/news/harbour-bridge-to-close-for-six-weeks")
    );
    assert_eq!(created["status"], "published");
    assert_eq!(
        created["debate"],
        json!([
            "Should the bridge close in summer?",
            "Would you take the ferry?"
        ])
    );
    assert_eq!(created["claims"][0]["status"], "unverified");
    assert_eq!(created["hero"]["alt"], "The bridge at dusk");
    assert!(created["published_at"].is_string());

    let (status, read) = app
        .get_json(
            "/api/v1/articles/harbour-bridge-to-close-for-six-weeks",
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(read["headline"], created["headline"]);
    assert_eq!(read["claims"], created["claims"]);
}

async fn a_patch_changes_only_the_fields_sent(app: TestApp) {
    app.create(story("Ferry fares to rise")).await;
    let (status, patched) = app
        .send_json(
            Method::PATCH,
            "/api/v1/articles/ferry-fares-to-rise",
            Some(&app.editor),
            &json!({"standfirst": "Fares rise by a tenth."}),
        )
        .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["standfirst"], "Fares rise by a tenth.");
    assert_eq!(patched["headline"], "Ferry fares to rise");
    assert_eq!(patched["revision"], 2);
}

async fn an_edited_slug_keeps_the_old_address_working(app: TestApp) {
    app.create(story("Old headline for a story")).await;
    let (status, _) = app
        .send_json(
            Method::PATCH,
            "/api/v1/articles/old-headline-for-a-story",
            Some(&app.editor),
            &json!({"slug": "new-slug"}),
        )
        .await;
    assert_eq!(status, 200);
    let old = app.get("/news/old-headline-for-a-story").await;
    assert_eq!(old.status().as_u16(), 308);
    assert_eq!(old.headers()["location"], "/news/new-slug");
    assert_eq!(app.get("/news/new-slug").await.status().as_u16(), 200);
    // The old slug is not free for another story.
    let mut other = story("Another");
    other["slug"] = json!("old-headline-for-a-story");
    let (status, err) = app
        .send_json(Method::POST, "/api/v1/articles", Some(&app.editor), &other)
        .await;
    assert_eq!(status, 422);
    assert!(err["fields"]["slug"].is_string(), "{err}");
}

async fn the_same_headline_twice_gets_a_second_slug(app: TestApp) {
    let a = app.create(story("Storm warning")).await;
    let b = app.create(story("Storm warning")).await;
    assert_eq!(a["slug"], "storm-warning");
    assert_eq!(b["slug"], "storm-warning-2");
}

async fn lists_page_and_filter_by_section_tag_author_and_status(app: TestApp) {
    for i in 0..5 {
        let mut s = story(&format!("City story {i}"));
        if i % 2 == 0 {
            s["section"] = json!("sport");
            s["tags"] = json!(["football"]);
            s["authors"] = json!(["Samir Haddad"]);
        }
        app.create(s).await;
    }
    let mut draft = story("A draft");
    draft["status"] = json!("draft");
    app.create(draft).await;

    let (_, page) = app
        .get_json("/api/v1/articles?per_page=2&page=2", None)
        .await;
    assert_eq!(page["total"], 5, "the public never sees drafts");
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    let (_, sport) = app.get_json("/api/v1/articles?section=sport", None).await;
    assert_eq!(sport["total"], 3);
    let (_, tagged) = app.get_json("/api/v1/articles?tag=football", None).await;
    assert_eq!(tagged["total"], 3);
    let (_, by) = app
        .get_json("/api/v1/articles?author=samir-haddad", None)
        .await;
    assert_eq!(by["total"], 3);
    let (_, by_name) = app
        .get_json("/api/v1/articles?author=Samir%20Haddad", None)
        .await;
    assert_eq!(by_name["total"], 3);
    let (_, drafts) = app
        .get_json("/api/v1/articles?status=draft", Some(&app.editor))
        .await;
    assert_eq!(drafts["total"], 1);
    assert_eq!(drafts["items"][0]["headline"], "A draft");
    let (_, hidden) = app.get_json("/api/v1/articles?status=draft", None).await;
    assert_eq!(hidden["total"], 0);
}

async fn newest_stories_come_first(app: TestApp) {
    for (h, at) in [
        ("Older", "2026-01-01T10:00:00Z"),
        ("Newer", "2026-02-01T10:00:00Z"),
    ] {
        let mut s = story(h);
        s["published_at"] = json!(at);
        app.create(s).await;
    }
    let (_, list) = app.get_json("/api/v1/articles", None).await;
    assert_eq!(list["items"][0]["headline"], "Newer");
    assert_eq!(list["items"][1]["headline"], "Older");
}

async fn deleting_a_story_removes_it(app: TestApp) {
    app.create(story("To be deleted")).await;
    let r = app
        .client
        .delete(app.url("/api/v1/articles/to-be-deleted"))
        .bearer_auth(&app.editor)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let (status, _) = app.get_json("/api/v1/articles/to-be-deleted", None).await;
    assert_eq!(status, 404);
    assert_eq!(app.get("/news/to-be-deleted").await.status().as_u16(), 404);
}

async fn promos_show_the_linked_story_current_headline(app: TestApp) {
    app.create(story("First report on the bridge")).await;
    let mut s = story("Bridge follow-up");
    s["body"] = json!("Opening words.\n\n[[first-report-on-the-bridge]] REPORT\n\nClosing words.");
    app.create(s).await;
    let (_, html) = app.get_text("/news/bridge-follow-up").await;
    assert!(html.contains("First report on the bridge"));
    assert!(html.contains("<span class=\"kicker\">REPORT</span>"));
    app.send_json(
        Method::PATCH,
        "/api/v1/articles/first-report-on-the-bridge",
        Some(&app.editor),
        &json!({"headline": "Bridge report, revised"}),
    )
    .await;
    let (_, html) = app.get_text("/news/bridge-follow-up").await;
    assert!(
        html.contains("Bridge report, revised"),
        "a promo follows the other story's headline"
    );
    assert!(!html.contains("[[first-report"));
}

async fn a_promo_to_a_missing_or_unpublished_story_is_refused_by_name(app: TestApp) {
    let mut draft = story("Unfinished draft");
    draft["status"] = json!("draft");
    app.create(draft).await;
    let mut s = story("Has bad promos");
    s["body"] = json!("Text.\n\n[[no-such-story]] REPORT\n[[unfinished-draft]]\n\nMore.");
    let (status, err) = app
        .send_json(Method::POST, "/api/v1/articles", Some(&app.editor), &s)
        .await;
    assert_eq!(status, 422);
    let msg = err["fields"]["body"].as_str().unwrap();
    assert!(
        msg.contains("no-such-story") && msg.contains("does not exist"),
        "{msg}"
    );
    assert!(
        msg.contains("unfinished-draft") && msg.contains("not published"),
        "{msg}"
    );
    assert_eq!(app.count_articles().await, 1);
}

async fn debate_questions_keep_their_ids_when_reordered(app: TestApp) {
    let mut s = story("Debate story");
    s["debate"] = json!(["First?", "Second?"]);
    let created = app.create(s).await;
    let first_id = created["debate_questions"][0]["id"].clone();
    let (_, patched) = app
        .send_json(
            Method::PATCH,
            "/api/v1/articles/debate-story",
            Some(&app.editor),
            &json!({"debate": ["Second?", "First?", "Third?"]}),
        )
        .await;
    assert_eq!(patched["debate"], json!(["Second?", "First?", "Third?"]));
    assert_eq!(patched["debate_questions"][1]["id"], first_id);
}

async fn roles_are_held_to_what_they_may_do(app: TestApp) {
    let reader = app.token(Role::Reader).await;
    let moderator = app.token(Role::Moderator).await;
    let contributor = app.token(Role::Contributor).await;
    let author = app.token(Role::Author).await;
    for t in [&reader, &moderator] {
        let (status, err) = app
            .send_json(Method::POST, "/api/v1/articles", Some(t), &story("Nope"))
            .await;
        assert_eq!(status, 403, "{err}");
    }
    let (status, _) = app
        .send_json(
            Method::POST,
            "/api/v1/articles",
            Some(&contributor),
            &story("Contributor publishes"),
        )
        .await;
    assert_eq!(status, 403, "contributors write drafts only");
    let mut draft = story("Contributor draft");
    draft["status"] = json!("draft");
    let (status, _) = app
        .send_json(Method::POST, "/api/v1/articles", Some(&contributor), &draft)
        .await;
    assert_eq!(status, 201);
    let (status, _) = app
        .send_json(
            Method::POST,
            "/api/v1/articles",
            Some(&author),
            &story("Author story"),
        )
        .await;
    assert_eq!(status, 201);
    // An author may not change a colleague's story; an editor may change any.
    app.create(story("Editor story")).await;
    let (status, _) = app
        .send_json(
            Method::PATCH,
            "/api/v1/articles/editor-story",
            Some(&author),
            &json!({"headline": "Hijacked"}),
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = app
        .send_json(
            Method::PATCH,
            "/api/v1/articles/author-story",
            Some(&author),
            &json!({"headline": "Own change"}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = app
        .send_json(
            Method::PATCH,
            "/api/v1/articles/author-story",
            Some(&app.editor),
            &json!({"standfirst": "Edited."}),
        )
        .await;
    assert_eq!(status, 200);
    // Readers read published stories but not drafts.
    let (status, _) = app
        .get_json("/api/v1/articles/contributor-draft", Some(&reader))
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .get_json("/api/v1/articles/contributor-draft", Some(&contributor))
        .await;
    assert_eq!(status, 200);
}

async fn a_scheduled_story_goes_live_at_its_time(app: TestApp) {
    let mut s = story("Embargoed report");
    s["status"] = json!("scheduled");
    s["published_at"] = json!((chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339());
    app.create(s).await;
    assert_eq!(
        app.get("/news/embargoed-report").await.status().as_u16(),
        404
    );
    tokio::time::sleep(std::time::Duration::from_millis(3500)).await;
    assert_eq!(
        app.get("/news/embargoed-report").await.status().as_u16(),
        200
    );
    let (_, json) = app
        .get_json("/api/v1/articles/embargoed-report", None)
        .await;
    assert_eq!(json["status"], "published");
}

async fn an_unpublished_story_answers_gone(app: TestApp) {
    app.create(story("Withdrawn story")).await;
    app.send_json(
        Method::PATCH,
        "/api/v1/articles/withdrawn-story",
        Some(&app.editor),
        &json!({"status": "unpublished"}),
    )
    .await;
    let (status, html) = app.get_text("/news/withdrawn-story").await;
    assert_eq!(status, 410);
    assert!(html.contains("withdrawn"));
}

async fn the_openapi_document_describes_every_route(app: TestApp) {
    let (status, doc) = app.get_json("/api/v1/openapi.json", None).await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths["/api/v1/articles"]["post"].is_object());
    assert!(paths["/api/v1/articles"]["get"].is_object());
    for m in ["get", "patch", "delete"] {
        assert!(
            paths["/api/v1/articles/{slug}"][m].is_object(),
            "{m} missing"
        );
    }
    // Every operation lists the answers any request can get (schemathesis found 400 and the
    // token answers undocumented); every reference resolves.
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            let answers = op["responses"].as_object().unwrap();
            for status in ["400", "503"] {
                assert!(
                    answers.contains_key(status),
                    "{method} {path} lacks {status}"
                );
            }
            if op["security"].as_array().is_some_and(|s| !s.is_empty()) {
                for status in ["401", "403"] {
                    assert!(
                        answers.contains_key(status),
                        "{method} {path} lacks {status}"
                    );
                }
            }
        }
    }
    let text = doc.to_string();
    for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = &reference[..reference.find('"').unwrap()];
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{name} is referred to but not defined"
        );
    }
    // A new story's schema says what it must have; a change's schema, that nothing is needed.
    let body_of = |method: &str| {
        doc["paths"]["/api/v1/articles"][method]["requestBody"]["content"]["application/json"]
            ["schema"]["$ref"]
            .clone()
    };
    assert_eq!(body_of("post"), "#/components/schemas/ArticleCreate");
    let create = &doc["components"]["schemas"]["ArticleCreate"];
    assert_eq!(
        create["required"],
        json!(["headline", "standfirst", "section"])
    );
    assert_eq!(create["properties"]["headline"]["minLength"], 1);
    let patch = &doc["components"]["schemas"]["ArticleInput"];
    assert!(patch["required"].as_array().is_none_or(|r| r.is_empty()));
    assert_eq!(
        create["properties"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        patch["properties"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        "POST and PATCH take the same fields"
    );
    // The documented story is the story the server sends, key for key.
    let created = app.create(story("Documented story")).await;
    let mut sent: Vec<&String> = created.as_object().unwrap().keys().collect();
    let mut documented: Vec<&String> = doc["components"]["schemas"]["ArticleView"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    sent.sort();
    documented.sort();
    assert_eq!(sent, documented);
    let (_, err) = app
        .send_json(
            Method::POST,
            "/api/v1/articles",
            Some(&app.editor),
            &json!({}),
        )
        .await;
    let mut error_keys: Vec<&String> = err.as_object().unwrap().keys().collect();
    error_keys.sort();
    let error_doc: Vec<&String> = doc["components"]["schemas"]["ErrorBody"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert!(
        error_keys.iter().all(|k| error_doc.contains(k)),
        "{error_keys:?} vs {error_doc:?}"
    );
    assert!(paths["/api/v1/media"]["post"].is_object());
    let params = paths["/api/v1/articles"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let page = params.iter().find(|p| p["name"] == "page").unwrap();
    let ty = &page["schema"]["type"];
    assert!(
        ty == "integer" || ty.as_array().is_some_and(|a| a.contains(&json!("integer"))),
        "page is documented as {ty}"
    );
    let input = &doc["components"]["schemas"]["ArticleInput"]["properties"];
    for field in [
        "headline",
        "standfirst",
        "body",
        "section",
        "tags",
        "authors",
        "status",
        "published_at",
        "hero",
        "claims",
        "debate",
        "corrections",
    ] {
        assert!(
            input[field].is_object(),
            "ArticleInput.{field} is not documented"
        );
    }
}

on_both_stores!(
    creating_a_story_answers_201_with_the_whole_story,
    a_patch_changes_only_the_fields_sent,
    an_edited_slug_keeps_the_old_address_working,
    the_same_headline_twice_gets_a_second_slug,
    lists_page_and_filter_by_section_tag_author_and_status,
    newest_stories_come_first,
    deleting_a_story_removes_it,
    promos_show_the_linked_story_current_headline,
    a_promo_to_a_missing_or_unpublished_story_is_refused_by_name,
    debate_questions_keep_their_ids_when_reordered,
    roles_are_held_to_what_they_may_do,
    a_scheduled_story_goes_live_at_its_time,
    an_unpublished_story_answers_gone,
    the_openapi_document_describes_every_route,
);
