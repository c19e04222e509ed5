//! Site settings: saved by an admin, in force on a second node within a second; a setting the
//! configuration gives wins and the page says so; a story without a hero shares with the
//! default picture; a role can be required to use two-factor sign-in; author profiles.

use crate::desk::Desk;
use crate::helpers::{comment, story, Backend, Reader, TestApp};
use newsdesk::services::settings::SettingKey;
use newsdesk_core::Role;
use std::time::{Duration, Instant};

fn og_image(html: &str) -> String {
    let at = html
        .find("<meta property=\"og:image\" content=\"")
        .expect("an og:image")
        + 35;
    html[at..at + html[at..].find('"').unwrap()].to_string()
}

async fn settings_saved_on_one_node_are_in_force_on_another_within_a_second(app: TestApp) {
    let other = app.another_node().await;
    app.create(story("Harbour bridge to close")).await;
    let admin = Desk::log_in(&app, "chief@example.org", Role::Admin).await;
    let csrf = admin.csrf().await;
    let r = admin
        .post(
            "/admin/settings",
            &[
                ("csrf", &csrf),
                ("time_zone", "Mars/Olympus"),
                ("site_name", ""),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("time zone name") && page.contains("1 to 100 characters"),
        "{page}"
    );
    let saved_at = Instant::now();
    let r = admin
        .post(
            "/admin/settings",
            &[
                ("csrf", &csrf),
                ("site_name", "The Harbour Post"),
                ("description", "News from the harbour town."),
                ("time_zone", "Asia/Tokyo"),
                ("comment_mode", "open"),
                ("suspect_words", "harbourmaster"),
                ("banned_words", "casino"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    loop {
        let (_, home) = other.get_text("/").await;
        if home.contains("The Harbour Post") {
            assert!(home.contains("News from the harbour town."));
            break;
        }
        assert!(
            saved_at.elapsed() < Duration::from_secs(1),
            "the second node still shows the old name"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (_, page) = other.get_text("/news/harbour-bridge-to-close").await;
    assert!(page.contains("JST"), "dates in the site's time zone");
    let mut reader = Reader::new(&other);
    let api = "/api/v1/articles/harbour-bridge-to-close/comments";
    let (status, held) = reader
        .post_json(api, &comment("Bo", "Ask the harbourmaster."))
        .await;
    assert_eq!(
        (status, held["status"].as_str()),
        (201, Some("held")),
        "a suspect word now: {held}"
    );
    let (_, spam) = reader
        .post_json(api, &comment("Bo", "Best CASINO deals"))
        .await;
    // A spammer is told "held", never "spam"; the store says what it really is.
    let stored = app
        .store
        .find_comment(newsdesk_core::CommentId(spam["id"].as_i64().unwrap()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status.as_str(), "spam", "{}", stored.reason);
    let (_, log) = admin.get("/admin/audit?action=setting.changed").await;
    assert!(
        log.contains("site_name") && log.contains("The Harbour Post"),
        "{log}"
    );
}

async fn a_setting_the_configuration_gives_wins_and_the_page_says_so(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.site_name = "The Flag Gazette".into();
        c.pinned_settings.insert(SettingKey::SiteName);
    })
    .await;
    let admin = Desk::log_in(&app, "chief@example.org", Role::Admin).await;
    let (_, page) = admin.get("/admin/settings").await;
    assert!(
        page.contains("Set by the server's configuration (--site-name or NEWSDESK_SITE_NAME)"),
        "{page}"
    );
    assert!(
        !page.contains("name=\"site_name\""),
        "no field for a pinned setting"
    );
    let csrf = admin.csrf().await;
    admin
        .post(
            "/admin/settings",
            &[
                ("csrf", &csrf),
                ("site_name", "Changed Anyway"),
                ("description", "Kept."),
            ],
        )
        .await;
    let (_, home) = app.get_text("/").await;
    assert!(home.contains("The Flag Gazette") && !home.contains("Changed Anyway"));
    assert!(home.contains("Kept."), "settings not pinned still apply");
}

async fn a_story_without_a_hero_shares_with_the_default_picture(app: TestApp) {
    app.create(story("Quiet night at the harbour")).await;
    let (_, page) = app.get_text("/news/quiet-night-at-the-harbour").await;
    let image = og_image(&page);
    assert!(
        image.starts_with(&format!("{}/share-card.png?v=", app.base)),
        "{image}"
    );
    assert!(page.contains("summary_large_image"));
    assert!(
        page.contains(&format!("\"image\":[\"{image}\"]"))
            || page.contains(&format!("\"image\":\"{image}\"")),
        "NewsArticle has the image"
    );
    let r = app.client.get(&image).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "image/png");
    let card = image::load_from_memory(&r.bytes().await.unwrap()).unwrap();
    assert_eq!((card.width(), card.height()), (1200, 630));
    let wrong = app
        .client
        .get(app.url("/share-card.png?v=000000000000"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        wrong.status().as_u16(),
        404,
        "no card under another name's address"
    );

    let admin = Desk::log_in(&app, "chief@example.org", Role::Admin).await;
    let csrf = admin.csrf().await;
    admin
        .post(
            "/admin/settings",
            &[
                ("csrf", &csrf),
                ("share_picture", "/media/default-share.png"),
            ],
        )
        .await;
    let (_, page) = app.get_text("/news/quiet-night-at-the-harbour").await;
    assert_eq!(
        og_image(&page),
        format!("{}/media/default-share.png", app.base)
    );
}

async fn a_role_required_to_use_two_factor_reaches_only_its_account_page_until_it_does(
    app: TestApp,
) {
    let admin = Desk::log_in(&app, "chief@example.org", Role::Admin).await;
    let csrf = admin.csrf().await;
    admin
        .post(
            "/admin/settings",
            &[("csrf", &csrf), ("two_factor_roles", "editor")],
        )
        .await;
    let ed = Desk::log_in(&app, "ed@example.org", Role::Editor).await;
    let r = app
        .client
        .get(app.url("/admin/stories"))
        .header("cookie", &ed.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/admin/account?done="));
    assert_eq!(ed.get("/admin/account").await.0, 200);
    assert_eq!(
        admin.get("/admin/stories").await.0,
        200,
        "other roles are not asked"
    );
    // Nor through the API: no new token, and one made before the rule is refused.
    let (_, account) = ed.get("/admin/account").await;
    let at = account.find("name=\"csrf\" value=\"").unwrap() + 19;
    let ecsrf = account[at..at + account[at..].find('"').unwrap()].to_string();
    let r = ed
        .post(
            "/admin/account/tokens",
            &[
                ("csrf", &ecsrf),
                ("label", "script"),
                ("role", "editor"),
                ("days", ""),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303, "sent to set up two-factor first");
    let ed_id = app
        .store
        .find_user_by_email("ed@example.org")
        .await
        .unwrap()
        .unwrap()
        .0
        .id;
    let (token, _) = newsdesk::services::tokens::issue(
        app.store.as_ref(),
        newsdesk::services::tokens::TokenRequest {
            role: Role::Editor,
            label: "made before the rule",
            owner: Some((ed_id, Role::Editor)),
            expires: None,
        },
    )
    .await
    .unwrap();
    app.create(story("Tide tables published")).await;
    let r = app
        .client
        .get(app.url("/api/v1/articles/tide-tables-published/revisions"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
}

async fn an_author_page_shows_the_profile_and_says_who_in_schema_org(app: TestApp) {
    app.create(story("Harbour bridge to close")).await;
    let mut s = story("Ferry fares to rise");
    s["authors"] = serde_json::json!(["Cleo Park"]);
    let input: newsdesk_core::ArticleInput = serde_json::from_value(s).unwrap();
    let cleo_writes = newsdesk_core::newsroom::Actor {
        role: Role::Author,
        principal: "user:cleo@example.org".into(),
    };
    newsdesk_core::newsroom::create_article(
        app.store.as_ref(),
        &cleo_writes,
        input,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    // No one puts their words on another writer's author page, not even with a draft of
    // their own under that byline.
    let other = Desk::log_in(&app, "mod@example.org", Role::Author).await;
    let ocsrf = other.csrf().await;
    let mut draft = story("A draft under another's name");
    draft["authors"] = serde_json::json!(["Maya Okafor"]);
    draft["status"] = serde_json::json!("draft");
    let input: newsdesk_core::ArticleInput = serde_json::from_value(draft).unwrap();
    let mod_writes = newsdesk_core::newsroom::Actor {
        role: Role::Author,
        principal: "user:mod@example.org".into(),
    };
    newsdesk_core::newsroom::create_article(
        app.store.as_ref(),
        &mod_writes,
        input,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let r = other
        .post(
            "/admin/account/profile",
            &[
                ("csrf", &ocsrf),
                ("name", "Maya Okafor"),
                ("bio", "Not her."),
            ],
        )
        .await;
    assert_eq!(
        r.status().as_u16(),
        422,
        "Maya Okafor's byline is on stories others wrote"
    );
    let cleo = Desk::log_in(&app, "cleo@example.org", Role::Author).await;
    let csrf = cleo.csrf().await;
    let r = cleo
        .post(
            "/admin/account/profile",
            &[
                ("csrf", &csrf),
                ("name", "Cleo Park"),
                ("bio", "Covers the port <and> its ferries."),
                ("picture", "/media/cleo.jpg"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let r = other
        .post(
            "/admin/account/profile",
            &[("csrf", &ocsrf), ("name", "Cleo Park")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422, "another account's byline");
    let (_, page) = app.get_text("/author/cleo-park").await;
    assert!(
        page.contains("Covers the port &#60;and&#62; its ferries."),
        "{page}"
    );
    assert!(page.contains("\"@type\":\"ProfilePage\""));
    assert!(page.contains(&format!("\"url\":\"{}/author/cleo-park\"", app.base)));
    assert!(page.contains("\"description\":\"Covers the port \\u003cand\\u003e its ferries.\""));
    let (_, article) = app.get_text("/news/ferry-fares-to-rise").await;
    assert!(
        article.contains(&format!(
            "{{\"@type\":\"Person\",\"name\":\"Cleo Park\",\"url\":\"{}/author/cleo-park\"}}",
            app.base
        )),
        "{article}"
    );
}

on_both_stores!(
    settings_saved_on_one_node_are_in_force_on_another_within_a_second,
    a_story_without_a_hero_shares_with_the_default_picture,
    a_role_required_to_use_two_factor_reaches_only_its_account_page_until_it_does,
    an_author_page_shows_the_profile_and_says_who_in_schema_org,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pinned_setting_wins_on_sqlite() {
    a_setting_the_configuration_gives_wins_and_the_page_says_so(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pinned_setting_wins_on_postgres() {
    a_setting_the_configuration_gives_wins_and_the_page_says_so(Backend::Postgres).await;
}
