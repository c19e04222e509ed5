//! The newsroom's workflow over the API: contributors submit for review, and no writer
//! silently overwrites another (`ETag` and `If-Match`).

use crate::helpers::{story, TestApp};
use newsdesk_core::Role;
use reqwest::Method;
use serde_json::{json, Value};

const API: &str = "/api/v1/articles/harbour-bridge-to-close";

async fn patch_if_match(app: &TestApp, tag: &str, body: &Value) -> (u16, Value, Option<String>) {
    let r = app
        .client
        .patch(app.url(API))
        .bearer_auth(&app.editor)
        .header("if-match", tag)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let etag = r
        .headers()
        .get("etag")
        .map(|v| v.to_str().unwrap().to_string());
    (status, r.json().await.unwrap(), etag)
}

async fn a_story_carries_its_revision_as_etag_and_a_stale_if_match_changes_nothing(app: TestApp) {
    let created = app.create(story("Harbour bridge to close")).await;
    let r = app.get(API).await;
    let tag = r.headers()["etag"].to_str().unwrap().to_string();
    assert_eq!(tag, format!("\"{}\"", created["revision"]));
    let (status, changed, new_tag) =
        patch_if_match(&app, &tag, &json!({"headline": "Harbour bridge to shut"})).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(new_tag.unwrap(), format!("\"{}\"", changed["revision"]));
    // The first tag is stale now: refused, and the story keeps the second writer's words.
    let (status, refused, _) =
        patch_if_match(&app, &tag, &json!({"headline": "Bridge stays open"})).await;
    assert_eq!(status, 412, "{refused}");
    assert_eq!(refused["error"], "precondition_failed");
    let (_, now) = app.get_json(API, None).await;
    assert_eq!(now["headline"], "Harbour bridge to shut");
    assert_eq!(now["revision"], changed["revision"]);
    // A weak or malformed tag never matches; `*` matches any version.
    for bad in ["W/\"2\"", "2", "\"x\""] {
        let (status, _, _) = patch_if_match(&app, bad, &json!({"standfirst": "No."})).await;
        assert_eq!(status, 412, "If-Match: {bad}");
    }
    let (status, _, _) = patch_if_match(&app, "*", &json!({"standfirst": "Yes."})).await;
    assert_eq!(status, 200);
}

async fn two_patches_from_one_revision_never_both_succeed(app: TestApp) {
    let created = app.create(story("Harbour bridge to close")).await;
    let tag = format!("\"{}\"", created["revision"]);
    for round in 0..5 {
        let (_, current) = app.get_json(API, None).await;
        let tag = if round == 0 {
            tag.clone()
        } else {
            format!("\"{}\"", current["revision"])
        };
        let one = json!({"headline": format!("Round {round}: one")});
        let two = json!({"standfirst": format!("Round {round}: two.")});
        let (a, b) = tokio::join!(
            patch_if_match(&app, &tag, &one),
            patch_if_match(&app, &tag, &two)
        );
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(statuses, [200, 412], "round {round}: {} / {}", a.1, b.1);
        let (_, after) = app.get_json(API, None).await;
        let won_one = a.0 == 200;
        assert_eq!(
            after["headline"] == one["headline"],
            won_one,
            "only the winner's change is kept: {after}"
        );
        assert_eq!(after["standfirst"] == two["standfirst"], !won_one);
    }
}

async fn a_contributor_submits_for_review_but_cannot_publish(app: TestApp) {
    let contributor = app.token(Role::Contributor).await;
    let mut draft = story("Harbour bridge to close");
    draft["status"] = json!("draft");
    let (status, created) = app
        .send_json(Method::POST, "/api/v1/articles", Some(&contributor), &draft)
        .await;
    assert_eq!(status, 201, "{created}");
    let (status, body) = app
        .send_json(
            Method::PATCH,
            API,
            Some(&contributor),
            &json!({"status": "review"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "review");
    let (status, body) = app
        .send_json(
            Method::PATCH,
            API,
            Some(&contributor),
            &json!({"status": "published"}),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("review"),
        "{body}"
    );
    // Waiting for an editor is not public, and an editor finds it by its status.
    let (status, _) = app.get_json(API, None).await;
    assert_eq!(status, 404);
    assert_eq!(app.get("/news/harbour-bridge-to-close").await.status(), 404);
    let (_, waiting) = app
        .get_json("/api/v1/articles?status=review", Some(&app.editor))
        .await;
    assert_eq!(waiting["total"], 1, "{waiting}");
    let (status, body) = app
        .send_json(
            Method::PATCH,
            API,
            Some(&app.editor),
            &json!({"status": "published"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.get("/news/harbour-bridge-to-close").await.status(), 200);
}

/// How long after `at` the path first showed `needle`, polling every 50 ms for 4 seconds.
async fn shown_after(
    app: &TestApp,
    path: &str,
    needle: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> i64 {
    let started = std::time::Instant::now();
    loop {
        let (_, text) = app.get_text(path).await;
        if text.contains(needle) {
            return (chrono::Utc::now() - at).num_milliseconds();
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(6),
            "{path} never showed {needle}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn a_scheduled_story_reaches_every_list_within_a_second_of_its_time_once(app: TestApp) {
    // The front page, feed and sitemap are read (and cached) before the story's time.
    for path in ["/", "/feed.xml", "/sitemap.xml"] {
        let (_, text) = app.get_text(path).await;
        assert!(!text.contains("embargoed-report"));
    }
    let at = chrono::Utc::now() + chrono::Duration::seconds(2);
    let mut s = story("Embargoed report");
    s["status"] = json!("scheduled");
    s["published_at"] = json!(at.to_rfc3339());
    let created = app.create(s).await;
    for path in ["/", "/feed.xml", "/sitemap.xml", "/news/embargoed-report"] {
        let late = shown_after(&app, path, "mbargoed", at).await;
        assert!(
            late < 1000,
            "{path} showed the story {late} ms after its time"
        );
    }
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    let (_, now) = app
        .get_json(
            API.replace("harbour-bridge-to-close", "embargoed-report")
                .as_str(),
            None,
        )
        .await;
    assert_eq!(now["status"], "published");
    assert_eq!(
        now["revision"],
        created["revision"].as_i64().unwrap() + 1,
        "published once"
    );
    let log = app
        .store
        .audit_entries(&newsdesk_core::audit::AuditFilter {
            subject: Some("embargoed-report".into()),
            limit: 20,
            ..Default::default()
        })
        .await
        .unwrap();
    let by_system: Vec<_> = log
        .iter()
        .filter(|e| e.actor == "system" && e.action == "story.published")
        .collect();
    assert_eq!(
        by_system.len(),
        1,
        "the audit log says the system published it, once: {log:?}"
    );
    assert!(log.iter().any(|e| e.action == "story.scheduled"), "{log:?}");
}

async fn a_story_whose_time_passed_unseen_is_published_within_a_second(app: TestApp) {
    let mut fields = newsdesk_core::ArticleInput {
        headline: Some("Overnight result".into()),
        standfirst: Some("Counted while the site was down.".into()),
        body: Some("The count ended at dawn.".into()),
        section: Some("city".into()),
        authors: Some(vec!["Maya Okafor".into()]),
        status: Some(newsdesk_core::ArticleStatus::Scheduled),
        published_at: Some(Some(chrono::Utc::now() + chrono::Duration::hours(1))),
        ..Default::default()
    }
    .validate(chrono::Utc::now())
    .unwrap();
    // Its time passed before any node saw it (written straight into the store, as a node that
    // was down finds it when it starts: the scheduler looks for every story already due).
    fields.published_at = Some(chrono::Utc::now() - chrono::Duration::minutes(30));
    app.store
        .insert_article(&fields, "tests", chrono::Utc::now())
        .await
        .unwrap();
    let node = &app;
    let started = std::time::Instant::now();
    loop {
        let a = node
            .store
            .find_article("overnight-result")
            .await
            .unwrap()
            .unwrap();
        if a.status == newsdesk_core::ArticleStatus::Published {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(2),
            "not published at start"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn revisions_are_listed_and_one_is_restored_as_a_new_revision(app: TestApp) {
    app.create(story("Harbour bridge to close")).await;
    let (status, _) = app
        .send_json(
            Method::PATCH,
            API,
            Some(&app.editor),
            &json!({"headline": "Bridge shuts"}),
        )
        .await;
    assert_eq!(status, 200);
    let path = format!("{API}/revisions");
    let (status, list) = app.get_json(&path, Some(&app.editor)).await;
    assert_eq!(status, 200, "{list}");
    let numbers: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["revision"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [2, 1]);
    assert!(list[0]["saved_by"].as_str().unwrap().starts_with("token:"));
    let reader = app.token(Role::Reader).await;
    assert_eq!(app.get_json(&path, Some(&reader)).await.0, 403);
    assert_eq!(app.get_json(&path, None).await.0, 401);
    let restore = |n: i64| format!("{API}/revisions/{n}/restore");
    let (status, restored) = app
        .send_json(Method::POST, &restore(1), Some(&app.editor), &json!({}))
        .await;
    assert_eq!(status, 200, "{restored}");
    assert_eq!(restored["headline"], "Harbour bridge to close");
    assert_eq!(restored["revision"], 3, "a restore is a new revision");
    let (status, _) = app
        .send_json(Method::POST, &restore(9), Some(&app.editor), &json!({}))
        .await;
    assert_eq!(status, 404);
    let contributor = app.token(Role::Contributor).await;
    let (status, _) = app
        .send_json(Method::POST, &restore(2), Some(&contributor), &json!({}))
        .await;
    assert_eq!(status, 403, "not a contributor's story");
    // The newsroom's history page compares word by word and restores.
    let desk = crate::desk::Desk::log_in(&app, "ana@example.org", Role::Editor).await;
    let (status, page) = desk
        .get("/admin/stories/harbour-bridge-to-close/history?from=1&to=2")
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<del>to</del>") || page.contains("<del>"),
        "{page}"
    );
    assert!(page.contains("<ins>shuts</ins>"), "{page}");
    let csrf = desk.csrf().await;
    let r = desk
        .post(
            "/admin/stories/harbour-bridge-to-close/history/2/restore",
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, now) = app.get_json(API, None).await;
    assert_eq!(now["headline"], "Bridge shuts");
    assert_eq!(now["revision"], 4);
}

on_both_stores!(
    revisions_are_listed_and_one_is_restored_as_a_new_revision,
    a_scheduled_story_reaches_every_list_within_a_second_of_its_time_once,
    a_story_whose_time_passed_unseen_is_published_within_a_second,
    a_story_carries_its_revision_as_etag_and_a_stale_if_match_changes_nothing,
    two_patches_from_one_revision_never_both_succeed,
    a_contributor_submits_for_review_but_cannot_publish,
);
