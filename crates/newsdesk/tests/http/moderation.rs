//! Newsroom accounts and moderation, as a moderator works them in the browser's forms and
//! over the API.

use crate::desk::{try_login, Desk, PASSWORD};
use crate::helpers::{comment, story, Reader, TestApp};
use newsdesk_core::Role;
use serde_json::{json, Value};

const STORY: &str = "/news/harbour-bridge-to-close";
const API: &str = "/api/v1/articles/harbour-bridge-to-close";

async fn with_story(app: &TestApp) {
    let mut s = story("Harbour bridge to close");
    s["debate"] = json!(["Should the bridge close in summer?"]);
    app.create(s).await;
}

/// Posts a comment with three links, which the default rules hold; answers its id.
async fn held_comment(reader: &mut Reader<'_>, text: &str) -> i64 {
    let body = format!("{text} https://a.example https://b.example https://c.example");
    let (status, c) = reader
        .post_json(&format!("{API}/comments"), &comment("Writer", &body))
        .await;
    assert_eq!(status, 201, "{c}");
    assert_eq!(c["status"], "held");
    c["id"].as_i64().unwrap()
}

async fn logging_in_and_out_with_a_growing_delay(app: TestApp) {
    let desk = Desk::log_in(&app, "Mod@Example.org", Role::Moderator).await;
    let (status, html) = desk.get("/admin/moderation").await;
    assert_eq!(status, 200);
    assert!(html.contains("Held for a decision"));
    assert!(
        html.contains("mod@example.org"),
        "emails are kept lower-case"
    );
    // Logging out ends the session on every node: it is gone from the database.
    let csrf = desk.csrf().await;
    let r = desk.post("/admin/logout", &[("csrf", &csrf)]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let r = app
        .client
        .get(app.url("/admin/moderation"))
        .header("cookie", &desk.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/admin/login"));
    // Wrong passwords: refused, then refused for longer and longer.
    for _ in 0..3 {
        let r = try_login(&app, "mod@example.org", "wrong password!").await;
        assert_eq!(r.status().as_u16(), 401);
        assert!(r.text().await.unwrap().contains("not right"));
    }
    let r = try_login(&app, "mod@example.org", PASSWORD).await;
    assert_eq!(r.status().as_u16(), 429, "even the right password waits");
    assert!(r.headers().contains_key("retry-after"));
    let r = try_login(&app, "nobody@example.org", PASSWORD).await;
    assert_eq!(
        r.status().as_u16(),
        401,
        "one account's failures do not stop another account at the same address"
    );
    // Guessing many accounts from one address slows the address down, with more grace than a
    // pair of account and address (a newsroom's office shares one address).
    let mut slowed = 0;
    for n in 0..30 {
        let r = try_login(&app, &format!("guess{n}@example.org"), "wrong password!").await;
        if r.status().as_u16() == 429 {
            slowed += 1;
        }
    }
    assert!(
        slowed >= 5,
        "the address is slowed down too ({slowed} of 30)"
    );
}

async fn only_moderators_and_admins_reach_moderation(app: TestApp) {
    let editor = Desk::log_in(&app, "editor@example.org", Role::Editor).await;
    assert_eq!(editor.get("/admin/moderation").await.0, 403);
    let admin = Desk::log_in(&app, "admin@example.org", Role::Admin).await;
    assert_eq!(admin.get("/admin/moderation/bans").await.0, 200);
    assert_eq!(app.get_text("/admin/moderation/log").await.0, 303);
    let reader_token = app.token(Role::Reader).await;
    let (status, _) = app
        .get_json("/api/v1/moderation/queue", Some(&reader_token))
        .await;
    assert_eq!(status, 403);
    let (status, _) = app.get_json("/api/v1/moderation/queue", None).await;
    assert_eq!(status, 401);
}

async fn a_moderator_works_the_queue(app: TestApp) {
    with_story(&app).await;
    let mut writer = Reader::new(&app);
    let keep = held_comment(&mut writer, "Worth keeping").await;
    let drop = held_comment(&mut writer, "Nasty remark").await;
    let junk1 = held_comment(&mut writer, "Junk one").await;
    let junk2 = held_comment(&mut writer, "Junk two").await;
    let desk = Desk::log_in(&app, "mod@example.org", Role::Moderator).await;
    let (_, queue) = desk.get("/admin/moderation?kind=held").await;
    assert!(
        queue.contains("Worth keeping") && queue.contains("has 3 links"),
        "the reason shows"
    );
    assert!(queue.contains("4 comments in this list"));
    let (_, filtered) = desk
        .get("/admin/moderation?kind=held&story=harbour-bridge-to-close&reason=3+links")
        .await;
    assert!(filtered.contains("4 comments in this list"));
    let csrf = desk.csrf().await;
    // Without the session's token nothing happens.
    let r = desk
        .post(
            "/admin/moderation/act",
            &[
                ("csrf", "forged"),
                ("ids", &keep.to_string()),
                ("action", "approve"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 403);
    let r = desk
        .post(
            "/admin/moderation/act",
            &[
                ("csrf", &csrf),
                ("ids", &keep.to_string()),
                ("action", "approve"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let r = desk
        .post(
            "/admin/moderation/act",
            &[
                ("csrf", &csrf),
                ("ids", &drop.to_string()),
                ("action", "reject"),
            ],
        )
        .await;
    assert_eq!(
        r.status().as_u16(),
        422,
        "a rejection needs a reason readers will see"
    );
    assert!(r.text().await.unwrap().contains("needed to reject"));
    let r = desk
        .post(
            "/admin/moderation/act",
            &[
                ("csrf", &csrf),
                ("ids", &drop.to_string()),
                ("action", "reject"),
                ("reason", "personal attack"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (j1, j2) = (junk1.to_string(), junk2.to_string());
    let r = desk
        .post(
            "/admin/moderation/act",
            &[
                ("csrf", &csrf),
                ("ids", &j1),
                ("ids", &j2),
                ("action", "spam"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303, "a bulk action");
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .contains("Marked%20as%20spam%3A%202%20comments"));
    // A held reply is shown with the comment it answers.
    let body = "Me too https://a.example https://b.example https://c.example";
    let mut reply = comment("Replier", body);
    reply["parent_id"] = json!(keep);
    let (_, held_reply) = writer.post_json(&format!("{API}/comments"), &reply).await;
    assert_eq!(held_reply["status"], "held");
    let (_, queue) = desk.get("/admin/moderation?kind=held").await;
    assert!(
        queue.contains("In reply to <strong class=\"comment-name\">Writer</strong>: Worth keeping"),
        "{queue}"
    );
    let (_, page) = app.get_text(STORY).await;
    assert!(page.contains("Worth keeping"));
    assert!(page.contains("This comment was removed by a moderator: personal attack"));
    assert!(!page.contains("Junk one"));
    let (_, list) = app.get_json(&format!("{API}/comments"), None).await;
    assert_eq!(list["total"], 1);
    let (_, spam) = desk.get("/admin/moderation?kind=spam").await;
    assert!(spam.contains("Junk one") && spam.contains("Junk two"));
    let (_, log) = desk.get("/admin/moderation/log").await;
    assert!(log.contains("user:mod@example.org") && log.contains("personal attack"));
    assert_eq!(log.matches("<td>spam</td>").count(), 2);
}

async fn flagged_comments_reach_the_queue_and_approval_clears_them(app: TestApp) {
    with_story(&app).await;
    let mut writer = Reader::new(&app);
    let (_, c) = writer
        .post_json(
            &format!("{API}/comments"),
            &comment("Writer", "Edgy but fine"),
        )
        .await;
    let mut flagger = Reader::new(&app);
    flagger
        .post_counted(
            &format!("{API}/comments/{}/flag", c["id"]),
            &json!({"reason": "rude"}),
        )
        .await;
    let token = app.token(Role::Moderator).await;
    let (_, q) = app
        .get_json("/api/v1/moderation/queue?kind=flagged", Some(&token))
        .await;
    assert_eq!(q["total"], 1);
    assert_eq!(q["items"][0]["flags"], 1);
    let (status, done) = app
        .send_json(
            reqwest::Method::POST,
            "/api/v1/moderation/actions",
            Some(&token),
            &json!({"ids": [c["id"]], "action": "approve"}),
        )
        .await;
    assert_eq!(status, 200, "{done}");
    let (_, q) = app
        .get_json("/api/v1/moderation/queue?kind=flagged", Some(&token))
        .await;
    assert_eq!(q["total"], 0);
    let (status, bad) = app
        .send_json(
            reqwest::Method::POST,
            "/api/v1/moderation/actions",
            Some(&token),
            &json!({"ids": [], "action": "approve"}),
        )
        .await;
    assert_eq!(status, 422);
    assert!(bad["fields"]["ids"].is_string());
}

async fn bans_stop_a_writer_until_lifted(app: TestApp) {
    with_story(&app).await;
    let mut troll = Reader::new(&app);
    let id = held_comment(&mut troll, "Trolling").await;
    let desk = Desk::log_in(&app, "mod@example.org", Role::Moderator).await;
    let csrf = desk.csrf().await;
    let r = desk
        .post(
            "/admin/moderation/act",
            &[
                ("csrf", &csrf),
                ("ids", &id.to_string()),
                ("action", "spam"),
                ("ban", "reader"),
                ("days", "7"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (status, body) = troll
        .post_json(&format!("{API}/comments"), &comment("Troll", "Again"))
        .await;
    assert_eq!(status, 403, "{body}");
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("may not take part"));
    let mut other = Reader::new(&app);
    assert_eq!(
        other
            .post_json(&format!("{API}/comments"), &comment("Ana", "Hello"))
            .await
            .0,
        201
    );
    // An IP range ban over the API covers everyone from 127.0.0.0/8.
    let token = app.token(Role::Moderator).await;
    let (status, ban) = app
        .send_json(
            reqwest::Method::POST,
            "/api/v1/moderation/bans",
            Some(&token),
            &json!({"kind": "ip", "value": "127.0.0.0/8", "reason": "flood", "days": 1}),
        )
        .await;
    assert_eq!(status, 201, "{ban}");
    assert_eq!(
        other
            .post_json(&format!("{API}/comments"), &comment("Ana", "Hello again"))
            .await
            .0,
        403
    );
    let (status, bad) = app
        .send_json(
            reqwest::Method::POST,
            "/api/v1/moderation/bans",
            Some(&token),
            &json!({"kind": "ip", "value": "10.0.0.0/99", "reason": "x"}),
        )
        .await;
    assert_eq!(status, 422);
    assert!(bad["fields"]["value"].is_string());
    let (_, bans) = app.get_json("/api/v1/moderation/bans", Some(&token)).await;
    assert_eq!(bans.as_array().unwrap().len(), 2);
    assert!(bans[0]["expires_at"].is_string());
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/moderation/bans/{}", ban["id"])))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    assert_eq!(
        other
            .post_json(&format!("{API}/comments"), &comment("Ana", "Back"))
            .await
            .0,
        201
    );
    let (_, bans_page) = desk.get("/admin/moderation/bans").await;
    assert!(bans_page.contains("reader") && !bans_page.contains("127.0.0.0/8"));
}

async fn modes_open_hold_or_close_a_story_or_section(app: TestApp) {
    with_story(&app).await;
    let desk = Desk::log_in(&app, "mod@example.org", Role::Moderator).await;
    let csrf = desk.csrf().await;
    let r = desk
        .post(
            "/admin/moderation/modes",
            &[
                ("csrf", &csrf),
                ("scope", "section"),
                ("key", "city"),
                ("mode", "premoderated"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let mut reader = Reader::new(&app);
    let (_, c) = reader
        .post_json(&format!("{API}/comments"), &comment("Ana", "Hello"))
        .await;
    assert_eq!(c["status"], "held");
    let r = desk
        .post(
            "/admin/moderation/modes",
            &[
                ("csrf", &csrf),
                ("scope", "story"),
                ("key", "harbour-bridge-to-close"),
                ("mode", "closed"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (status, _) = reader
        .post_json(&format!("{API}/comments"), &comment("Ana", "Hello"))
        .await;
    assert_eq!(status, 403);
    assert!(app
        .get_text(STORY)
        .await
        .1
        .contains("Comments are closed on this story."));
    let (_, page) = desk.get("/admin/moderation/debate").await;
    assert!(page.contains("story harbour-bridge-to-close: <strong>closed</strong>"));
    let r = desk
        .post(
            "/admin/moderation/modes",
            &[
                ("csrf", &csrf),
                ("scope", "story"),
                ("key", "no-such-story"),
                ("mode", "closed"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
}

async fn an_accepted_proposal_joins_the_debate(app: TestApp) {
    with_story(&app).await;
    let mut reader = Reader::new(&app);
    let (status, _) = reader
        .post_json(
            &format!("{API}/debate/proposals"),
            &json!({"question": "Who pays for the ferry?", "name": "Cy"}),
        )
        .await;
    assert_eq!(status, 201);
    let desk = Desk::log_in(&app, "mod@example.org", Role::Moderator).await;
    let (_, page) = desk.get("/admin/moderation/debate").await;
    assert!(page.contains("Who pays for the ferry?"));
    let at = page.find("/admin/moderation/proposals/").unwrap();
    let id: String = page[at + 28..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let csrf = desk.csrf().await;
    let r = desk
        .post(
            &format!("/admin/moderation/proposals/{id}"),
            &[("csrf", &csrf), ("decision", "accept")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, story) = app.get_text(STORY).await;
    assert!(story.contains("<p class=\"question-text\">Who pays for the ferry?</p>"));
    let r = desk
        .post(
            &format!("/admin/moderation/proposals/{id}"),
            &[("csrf", &csrf), ("decision", "accept")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 404, "decided once");
}

async fn the_classifier_learns_from_moderators(app: TestApp) {
    with_story(&app).await;
    let token = app.token(Role::Moderator).await;
    let mut writer = Reader::new(&app);
    let mut spam = Vec::new();
    let mut ham = Vec::new();
    for i in 0..12 {
        let (_, s) = writer
            .post_json(
                &format!("{API}/comments"),
                &comment("Promo", &format!("Cheap replica watches, best prices {i}")),
            )
            .await;
        spam.push(s["id"].clone());
        let (_, h) = writer
            .post_json(
                &format!("{API}/comments"),
                &comment(
                    "Resident",
                    &format!("The bridge closure will hurt the market traders {i}"),
                ),
            )
            .await;
        ham.push(h["id"].clone());
    }
    for (ids, action) in [(spam, "spam"), (ham, "approve")] {
        let (status, _) = app
            .send_json(
                reqwest::Method::POST,
                "/api/v1/moderation/actions",
                Some(&token),
                &json!({"ids": ids, "action": action}),
            )
            .await;
        assert_eq!(status, 200);
    }
    let (_, c) = writer
        .post_json(
            &format!("{API}/comments"),
            &comment("Promo", "Replica watches at cheap prices"),
        )
        .await;
    assert_eq!(c["status"], "held", "{c}");
    let (_, q) = app
        .get_json("/api/v1/moderation/queue?kind=spam", Some(&token))
        .await;
    let newest: &Value = &q["items"][0];
    assert!(
        newest["reason"].as_str().unwrap().contains("spam filter"),
        "{newest}"
    );
    let (_, ok) = writer
        .post_json(
            &format!("{API}/comments"),
            &comment("Resident", "Traders at the market want the bridge open"),
        )
        .await;
    assert_eq!(ok["status"], "published");
}

async fn a_newsroom_form_with_a_wrong_value_names_the_field_and_leads_back_to_the_newsroom(
    app: TestApp,
) {
    let desk = Desk::log_in(&app, "mod@example.org", Role::Moderator).await;
    let csrf = desk.csrf().await;
    let r = desk
        .post(
            "/admin/moderation/act",
            &[("csrf", &csrf), ("ids", "seven"), ("action", "approve")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("ids[0]"), "the field is named: {html}");
    assert!(html.contains(r#"<a href="/admin/">Back to the newsroom</a>"#));
    assert!(!html.contains("Back to the story"));
    let r = desk
        .post(
            "/admin/moderation/bans",
            &[
                ("csrf", &csrf),
                ("kind", "reader"),
                ("value", "r1"),
                ("reason", "x"),
                ("days", "forever"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("days must be a number of days"));
    // A form sent without a session asks to log in, then comes back to the page it was on.
    let r = app
        .client
        .post(app.url("/admin/moderation/bans/1/lift"))
        .form(&[("csrf", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(
        r.headers()["location"],
        "/admin/login?next=%2Fadmin%2Fmoderation%2Fbans"
    );
}

on_both_stores!(
    a_newsroom_form_with_a_wrong_value_names_the_field_and_leads_back_to_the_newsroom,
    logging_in_and_out_with_a_growing_delay,
    only_moderators_and_admins_reach_moderation,
    a_moderator_works_the_queue,
    flagged_comments_reach_the_queue_and_approval_clears_them,
    bans_stop_a_writer_until_lifted,
    modes_open_hold_or_close_a_story_or_section,
    an_accepted_proposal_joins_the_debate,
    the_classifier_learns_from_moderators,
);
