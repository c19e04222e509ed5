//! The story editor in the browser, as newsroom members use it without script: writing,
//! previewing with the public page's own rendering, field errors beside their fields, roles,
//! no silent overwrite, and the list of stories.

use crate::desk::Desk;
use crate::helpers::{story, Reader, TestApp};
use newsdesk_core::Role;

const BODY: &str = "The council said the bridge would close for six weeks.\n\n\
                    <script>alert(1)</script> Traders fear the worst.";

/// The editor's fields for a new story, with one claim and one debate question.
fn fields<'a>(
    csrf: &'a str,
    status: &'a str,
    quote: &'a str,
    action: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("revision", ""),
        ("headline", "Harbour bridge to close"),
        ("standfirst", "The council says the crossing is unsafe."),
        ("slug", ""),
        ("section", "city"),
        ("tags", "transport, harbour"),
        ("authors", "Cleo Park"),
        ("body", BODY),
        ("claim_quote", quote),
        (
            "claim_name",
            if quote.is_empty() { "" } else { "Jo Brandt" },
        ),
        ("claim_role", "Council engineer"),
        ("claim_url", ""),
        ("claim_status", "unverified"),
        ("claim_note", "No other source confirms it."),
        ("claim_quote", ""),
        ("claim_name", ""),
        ("claim_role", ""),
        ("claim_url", ""),
        ("claim_status", "unverified"),
        ("claim_note", ""),
        ("question_id", ""),
        ("question_text", "Should the bridge close in summer?"),
        ("question_order", "1"),
        ("status", status),
        ("published_at", ""),
        ("change_kind", "silent"),
        ("change_note", ""),
        ("action", action),
    ]
}

async fn a_writer_previews_saves_and_is_shown_each_problem_beside_its_field(app: TestApp) {
    let c = Desk::log_in(&app, "cleo@example.org", Role::Contributor).await;
    let (status, form) = c.get("/admin/stories/new").await;
    assert_eq!(status, 200);
    assert!(
        form.contains(r#"<option selected>draft</option><option>review</option></select>"#),
        "{form}"
    );
    let csrf = c.csrf().await;
    let quote = "would close for six weeks";

    let r = c
        .post("/admin/stories", &fields(&csrf, "draft", quote, "preview"))
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let page = r.text().await.unwrap();
    let preview = &page[page.find("id=\"preview-heading\"").expect("a preview")..];
    assert!(
        preview.contains(r#"class="claim""#) && preview.contains(r#"data-status="unverified""#),
        "{preview}"
    );
    assert!(
        preview.contains("&lt;script&gt;"),
        "typed HTML stays text: {preview}"
    );
    assert!(!preview.contains("<script>alert"));
    assert_eq!(app.count_articles().await, 0, "a preview saves nothing");

    // A quote that is not in the body is refused beside its claim, with everything kept.
    let r = c
        .post(
            "/admin/stories",
            &fields(&csrf, "draft", "words nowhere in it", "save"),
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains(r#"id="c0-quote-error""#), "{page}");
    assert!(page.contains(r#"value="Harbour bridge to close""#));
    assert!(page.contains("No other source confirms it."));
    // An error on one item of a list (tags[1]) is shown beside the list's field.
    let tags = format!("transport, {}", "x".repeat(60));
    let mut tagged = fields(&csrf, "draft", quote, "save");
    tagged[6] = ("tags", &tags);
    let r = c.post("/admin/stories", &tagged).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains(r#"id="s-tags-error""#));

    // A contributor may not publish; may save a draft, then submit it for review.
    let r = c
        .post("/admin/stories", &fields(&csrf, "published", quote, "save"))
        .await;
    assert_eq!(r.status().as_u16(), 403);
    let r = c
        .post("/admin/stories", &fields(&csrf, "draft", quote, "save"))
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(
        to.starts_with("/admin/stories/harbour-bridge-to-close?done="),
        "{to}"
    );
    let (status, page) = c.get(&to).await;
    assert_eq!(status, 200);
    assert!(page.contains("Story saved"));
    let stored = app
        .store
        .find_article("harbour-bridge-to-close")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.claims[0].source.role, "Council engineer");
    assert_eq!(stored.debate[0].text, "Should the bridge close in summer?");
    assert_eq!(stored.updated_by, "user:cleo@example.org");
    let mut again = fields(&csrf, "review", quote, "save");
    let revision = stored.revision.to_string();
    again[1] = ("revision", &revision);
    let r = c
        .post("/admin/stories/harbour-bridge-to-close", &again)
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let stored = app
        .store
        .find_article("harbour-bridge-to-close")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status.as_str(), "review");
}

async fn saving_over_a_newer_version_is_refused_and_says_who_saved_it(app: TestApp) {
    app.create(story("Harbour bridge to close")).await;
    let ana = Desk::log_in(&app, "ana@example.org", Role::Editor).await;
    let ben = Desk::log_in(&app, "ben@example.org", Role::Editor).await;
    let opened = app
        .store
        .find_article("harbour-bridge-to-close")
        .await
        .unwrap()
        .unwrap();
    let revision = opened.revision.to_string();
    let csrf = ana.csrf().await;
    let mut mine = fields(&csrf, "published", "", "save");
    mine[1] = ("revision", &revision);
    mine[2] = ("headline", "Harbour bridge shuts for six weeks");
    mine[8] = ("body", "The council said the bridge would close.");
    let r = ana
        .post("/admin/stories/harbour-bridge-to-close", &mine)
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let csrf = ben.csrf().await;
    let mut theirs = fields(&csrf, "published", "", "save");
    theirs[1] = ("revision", &revision);
    theirs[2] = ("headline", "Bridge stays open after all");
    theirs[8] = ("body", "The council changed its mind.");
    let r = ben
        .post("/admin/stories/harbour-bridge-to-close", &theirs)
        .await;
    assert_eq!(r.status().as_u16(), 409);
    let page = r.text().await.unwrap();
    assert!(page.contains("ana@example.org saved this story"), "{page}");
    assert!(
        page.contains(r#"value="Bridge stays open after all""#),
        "what was typed stays"
    );
    assert!(page.contains("the saved version now reads: Harbour bridge shuts for six weeks"));
    let stored = app
        .store
        .find_article("harbour-bridge-to-close")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.headline, "Harbour bridge shuts for six weeks",
        "nothing overwritten"
    );
}

async fn the_list_finds_stories_and_says_who_changed_them_last(app: TestApp) {
    app.create(story("Harbour bridge to close")).await;
    app.create(story("Ferry fares rise")).await;
    let eli = Desk::log_in(&app, "eli@example.org", Role::Editor).await;
    let (status, list) = eli.get("/admin/stories").await;
    assert_eq!(status, 200);
    assert!(
        list.contains("2 stories, most recently changed first"),
        "{list}"
    );
    assert!(list.contains(r#"href="/admin/stories/harbour-bridge-to-close""#));
    let (_, found) = eli.get("/admin/stories?q=FERRY&status=published").await;
    assert!(
        found.contains("1 story,") && found.contains("Ferry fares rise"),
        "{found}"
    );
    let (status, _) = eli.get("/admin/stories?status=live").await;
    assert_eq!(status, 422, "an unknown status is named");
    // Moderators moderate; they write no stories.
    let m = Desk::log_in(&app, "mo@example.org", Role::Moderator).await;
    assert_eq!(m.get("/admin/stories").await.0, 403);
    assert_eq!(m.get("/admin/stories/new").await.0, 403);
}

async fn a_correction_is_dated_on_the_story_and_on_the_public_record(app: TestApp) {
    app.create(story("Harbour bridge to close")).await;
    let ana = Desk::log_in(&app, "ana@example.org", Role::Editor).await;
    let csrf = ana.csrf().await;
    let revision = app
        .store
        .find_article("harbour-bridge-to-close")
        .await
        .unwrap()
        .unwrap()
        .revision
        .to_string();
    let mut change = fields(&csrf, "published", "", "save");
    change[1] = ("revision", &revision);
    change[8] = (
        "body",
        "The council said the bridge would close for four weeks.",
    );
    // A published story asks what the change is, and keeps what was typed meanwhile.
    let unsaid: Vec<_> = change
        .iter()
        .filter(|(k, _)| *k != "change_kind")
        .copied()
        .collect();
    let r = ana
        .post("/admin/stories/harbour-bridge-to-close", &unsaid)
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains(r#"id="change-kind-error""#), "{page}");
    assert!(page.contains("for four weeks"));
    let at = change
        .iter()
        .position(|(k, _)| *k == "change_kind")
        .unwrap();
    change[at] = ("change_kind", "correction");
    let r = ana
        .post("/admin/stories/harbour-bridge-to-close", &change)
        .await;
    assert_eq!(r.status().as_u16(), 422, "a correction needs its note");
    change[at + 1] = ("change_note", "We said six weeks; the council says four.");
    let r = ana
        .post("/admin/stories/harbour-bridge-to-close", &change)
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, page) = app.get_text("/news/harbour-bridge-to-close").await;
    let log = &page[page.find(r#"id="corrections""#).expect("a corrections log")..];
    assert!(
        log.contains("<strong>Correction</strong>") && log.contains("the council says four"),
        "{log}"
    );
    let (status, record) = app.get_text("/corrections").await;
    assert_eq!(status, 200);
    assert!(record.contains("We said six weeks; the council says four."));
    assert!(record.contains(r#"href="/news/harbour-bridge-to-close#corrections""#));
    let feed = app.get("/corrections.xml").await;
    assert_eq!(
        feed.headers()["content-type"],
        "application/rss+xml; charset=utf-8"
    );
    let xml = feed.text().await.unwrap();
    assert!(
        xml.contains("<title>Correction: Harbour bridge to close</title>"),
        "{xml}"
    );
    // A silent fix adds nothing to the public record.
    let revision = app
        .store
        .find_article("harbour-bridge-to-close")
        .await
        .unwrap()
        .unwrap()
        .revision
        .to_string();
    change[1] = ("revision", &revision);
    change[2] = ("headline", "Harbour bridge to close for four weeks");
    change[at] = ("change_kind", "silent");
    assert_eq!(
        ana.post("/admin/stories/harbour-bridge-to-close", &change)
            .await
            .status()
            .as_u16(),
        303
    );
    let stored = app
        .store
        .find_article("harbour-bridge-to-close")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.corrections.len(), 1);
}

async fn withdrawing_or_deleting_a_story_is_confirmed_first(app: TestApp) {
    app.create(story("Harbour bridge to close")).await;
    let ana = Desk::log_in(&app, "ana@example.org", Role::Editor).await;
    let csrf = ana.csrf().await;
    let revision = app
        .store
        .find_article("harbour-bridge-to-close")
        .await
        .unwrap()
        .unwrap()
        .revision
        .to_string();
    let mut change = fields(&csrf, "unpublished", "", "save");
    change[1] = ("revision", &revision);
    let r = ana
        .post("/admin/stories/harbour-bridge-to-close", &change)
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains(r#"id="s-confirm-unpublish""#));
    assert_eq!(
        app.get("/news/harbour-bridge-to-close").await.status(),
        200,
        "still public"
    );
    change.push(("confirm_unpublish", "yes"));
    let r = ana
        .post("/admin/stories/harbour-bridge-to-close", &change)
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(app.get("/news/harbour-bridge-to-close").await.status(), 410);
    // Deleting needs its box ticked, and a contributor cannot delete another's story.
    let path = "/admin/stories/harbour-bridge-to-close/delete";
    assert_eq!(
        ana.post(path, &[("csrf", &csrf)]).await.status().as_u16(),
        422
    );
    let cleo = Desk::log_in(&app, "cleo@example.org", Role::Contributor).await;
    let theirs = cleo.csrf().await;
    let r = cleo
        .post(path, &[("csrf", &theirs), ("confirm", "yes")])
        .await;
    assert_eq!(r.status().as_u16(), 403);
    let r = ana.post(path, &[("csrf", &csrf), ("confirm", "yes")]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(app
        .store
        .find_article("harbour-bridge-to-close")
        .await
        .unwrap()
        .is_none());
    let (_, list) = ana.get(r.headers()["location"].to_str().unwrap()).await;
    assert!(list.contains("Story harbour-bridge-to-close deleted"));
}

async fn a_claims_status_changes_are_its_history_on_the_page_and_in_the_editor(app: TestApp) {
    let claim = |status: &str| {
        serde_json::json!([{"quote": "would close for six weeks", "status": status,
                            "source": {"name": "Jo Brandt"}}])
    };
    let mut s = story("Harbour bridge to close");
    s["claims"] = claim("unverified");
    app.create(s).await;
    let api = "/api/v1/articles/harbour-bridge-to-close";
    let (status, _) = app
        .send_json(
            reqwest::Method::PATCH,
            api,
            Some(&app.editor),
            &serde_json::json!({"claims": claim("verified")}),
        )
        .await;
    assert_eq!(status, 200);
    let (_, page) = app.get_text("/news/harbour-bridge-to-close").await;
    let history = &page[page.find("claim-history").expect("a claim history")..];
    assert!(
        history.starts_with(r#"claim-history">Status over time: unverified on "#),
        "{history}"
    );
    assert!(history.contains(", then verified on "));
    let ana = Desk::log_in(&app, "ana@example.org", Role::Editor).await;
    let (_, editor) = ana.get("/admin/stories/harbour-bridge-to-close").await;
    assert!(
        editor.contains("Status history: unverified by token:"),
        "{editor}"
    );
    assert!(editor.contains("; then verified by token:"));
}

async fn a_reworded_question_keeps_its_votes_and_the_editor_says_so(app: TestApp) {
    let mut s = story("Harbour bridge to close");
    s["debate"] = serde_json::json!(["Should the bridge close in summer?", "Who should pay?"]);
    let created = app.create(s).await;
    let first = created["debate_questions"][0]["id"].as_i64().unwrap();
    let second = created["debate_questions"][1]["id"].as_i64().unwrap();
    let api = "/api/v1/articles/harbour-bridge-to-close";
    let (status, _) = Reader::new(&app)
        .post_counted(
            &format!("{api}/debate/{first}/vote"),
            &serde_json::json!({"answer": "yes"}),
        )
        .await;
    assert_eq!(status, 200);
    let ana = Desk::log_in(&app, "ana@example.org", Role::Editor).await;
    let (_, page) = ana.get("/admin/stories/harbour-bridge-to-close").await;
    assert!(
        page.contains(&format!(r#"name="question_id" value="{first}""#)),
        "{page}"
    );
    let csrf = ana.csrf().await;
    let revision = created["revision"].to_string();
    let (first_id, second_id) = (first.to_string(), second.to_string());
    let mut change = fields(&csrf, "published", "", "save");
    change[1] = ("revision", &revision);
    let at = change
        .iter()
        .position(|(k, _)| *k == "question_id")
        .unwrap();
    // Reworded, and moved below the other question.
    change.splice(
        at..at + 3,
        [
            ("question_id", first_id.as_str()),
            (
                "question_text",
                "Should the bridge close during the summer holidays?",
            ),
            ("question_order", "2"),
            ("question_id", second_id.as_str()),
            ("question_text", "Who should pay?"),
            ("question_order", "1"),
        ],
    );
    let r = ana
        .post("/admin/stories/harbour-bridge-to-close", &change)
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, page) = ana.get(r.headers()["location"].to_str().unwrap()).await;
    assert!(page.contains("was reworded and keeps its 1 vote"), "{page}");
    let (_, story) = app.get_json(api, None).await;
    assert_eq!(story["debate_questions"][0]["id"], second);
    assert_eq!(
        story["debate_questions"][1]["id"], first,
        "the same question, moved"
    );
    let (_, tallies) = app.get_json(&format!("{api}/debate"), None).await;
    assert!(
        tallies.to_string().contains("\"yes\":1"),
        "the vote stayed: {tallies}"
    );
}

async fn opening_a_story_someone_is_editing_says_who_and_since_when(app: TestApp) {
    app.create(story("Harbour bridge to close")).await;
    let ana = Desk::log_in(&app, "ana@example.org", Role::Editor).await;
    let ben = Desk::log_in(&app, "ben@example.org", Role::Editor).await;
    let path = "/admin/stories/harbour-bridge-to-close";
    let (_, first) = ana.get(path).await;
    assert!(
        !first.contains("has had this story open"),
        "nobody else: {first}"
    );
    let (_, second) = ben.get(path).await;
    assert!(
        second.contains("ana@example.org has had this story open in the editor since"),
        "{second}"
    );
    assert!(!second.contains("ben@example.org has had"));
    // The editor's script says the story is still open; a forged beat is refused.
    let csrf = ana.csrf().await;
    let beat = format!("{path}/editing");
    assert_eq!(
        ana.post(&beat, &[("csrf", &csrf)]).await.status().as_u16(),
        204
    );
    assert_eq!(
        ana.post(&beat, &[("csrf", "forged")])
            .await
            .status()
            .as_u16(),
        403
    );
}

on_both_stores!(
    opening_a_story_someone_is_editing_says_who_and_since_when,
    a_reworded_question_keeps_its_votes_and_the_editor_says_so,
    a_claims_status_changes_are_its_history_on_the_page_and_in_the_editor,
    withdrawing_or_deleting_a_story_is_confirmed_first,
    a_correction_is_dated_on_the_story_and_on_the_public_record,
    a_writer_previews_saves_and_is_shown_each_problem_beside_its_field,
    saving_over_a_newer_version_is_refused_and_says_who_saved_it,
    the_list_finds_stories_and_says_who_changed_them_last,
);
