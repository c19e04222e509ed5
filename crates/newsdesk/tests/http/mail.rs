//! Reply emails and the moderators' digest, received by a real SMTP server the test starts.

use crate::helpers::{story, Backend, Reader, SmtpSink, TestApp};
use newsdesk_core::Role;
use serde_json::json;

const API: &str = "/api/v1/articles/harbour-bridge-to-close";

/// Quoted-printable and folded lines undone, enough to read a message's text.
fn plain(message: &str) -> String {
    message
        .replace("=\n", "")
        .replace("=E2=80=9C", "“")
        .replace("=E2=80=9D", "”")
        .replace("=3D", "=")
}

async fn reply_emails_reach_those_who_asked_and_stop_on_unsubscribe(backend: Backend) {
    let sink = SmtpSink::start().await;
    let url = sink.url();
    let app = TestApp::spawn_with(backend, |c| c.smtp_url = Some(url)).await;
    app.create(story("Harbour bridge to close")).await;
    let mut ana = Reader::new(&app);
    let mut bo = Reader::new(&app);
    let (_, asked) = ana
        .post_json(&format!("{API}/comments"), &json!({"name": "Ana", "body": "Close it in winter.", "email": "ana@example.org", "notify_replies": true}))
        .await;
    // Double opt-in: one email asks Ana to confirm; until she does, replies send nothing.
    let confirmation = plain(&sink.wait_for(1).await[0]);
    assert!(
        confirmation.contains("To: ana@example.org"),
        "{confirmation}"
    );
    bo.post_json(
        &format!("{API}/comments"),
        &json!({"name": "Bo", "body": "Too early to tell.", "parent_id": asked["id"]}),
    )
    .await;
    let link_at = confirmation.find("/replies/confirm?").unwrap();
    let start = confirmation[..link_at].rfind("http").unwrap();
    let end = link_at + confirmation[link_at..].find(char::is_whitespace).unwrap();
    let confirm = confirmation[start..end].to_string();
    let page = app
        .client
        .get(&confirm)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Yes, send me reply emails"),
        "opening the link only asks"
    );
    let forged = confirm.replace("token=", "token=00");
    assert_eq!(app.client.post(&forged).send().await.unwrap().status(), 400);
    let r = app.client.post(&confirm).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Reply emails confirmed"));
    assert_eq!(
        sink.messages().len(),
        1,
        "no reply email before the confirmation"
    );
    let (_, quiet) = ana
        .post_json(
            &format!("{API}/comments"),
            &json!({"name": "Ana", "body": "No emails for this one.", "email": "ana@example.org"}),
        )
        .await;
    // A reply to the quiet comment, and Ana answering herself: neither sends mail.
    bo.post_json(
        &format!("{API}/comments"),
        &json!({"name": "Bo", "body": "Agreed.", "parent_id": quiet["id"]}),
    )
    .await;
    ana.post_json(
        &format!("{API}/comments"),
        &json!({"name": "Ana", "body": "Me again.", "parent_id": asked["id"]}),
    )
    .await;
    let (status, _) = bo
        .post_json(&format!("{API}/comments"), &json!({"name": "Bo <b>", "body": "Winter is when the ferry is busiest.", "parent_id": asked["id"]}))
        .await;
    assert_eq!(status, 201);
    let got = sink.wait_for(2).await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(
        sink.messages().len(),
        2,
        "only the reply Ana asked about is mailed"
    );
    let mail = plain(&got[1]);
    assert!(mail.contains("To: ana@example.org"), "{mail}");
    assert!(
        mail.contains("Winter is when the ferry is busiest."),
        "{mail}"
    );
    assert!(
        mail.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{mail}"
    );
    let link_start = mail.find("List-Unsubscribe: <").unwrap() + "List-Unsubscribe: <".len();
    let unsubscribe =
        mail[link_start..mail[link_start..].find('>').unwrap() + link_start].to_string();
    assert!(unsubscribe.starts_with(&app.base), "{unsubscribe}");
    // A stranger who gives Ana's confirmed address gets her nothing: her consent covers
    // replies to her own comments (and she was sent a confirmation today already).
    let mut prankster = Reader::new(&app);
    let (_, fake) = prankster
        .post_json(&format!("{API}/comments"), &json!({"name": "Sign in at evil.example", "body": "Bait.", "email": "ANA@example.org", "notify_replies": true}))
        .await;
    bo.post_json(
        &format!("{API}/comments"),
        &json!({"name": "Bo", "body": "Taking the bait.", "parent_id": fake["id"]}),
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(sink.messages().len(), 2, "nothing for a stranger's comment");
    // Opening the link only asks; a forged token is refused; the one-click POST unsubscribes.
    let page = app
        .client
        .get(&unsubscribe)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Stop all emails about replies"));
    let forged = unsubscribe.replace("token=", "token=00");
    assert_eq!(
        app.client
            .post(&forged)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        400
    );
    let r = app
        .client
        .post(&unsubscribe)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.text().await.unwrap().contains("You are unsubscribed"));
    bo.post_json(
        &format!("{API}/comments"),
        &json!({"name": "Bo", "body": "Still there?", "parent_id": asked["id"]}),
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(sink.messages().len(), 2, "no email after unsubscribing");
}

/// Someone gives a stranger's address for replies, twice: the stranger gets one email asking
/// to confirm, and nothing else, however many replies come.
async fn a_stranger_s_address_gets_one_confirmation_and_no_replies(backend: Backend) {
    let sink = SmtpSink::start().await;
    let url = sink.url();
    let app = TestApp::spawn_with(backend, |c| c.smtp_url = Some(url)).await;
    app.create(story("Harbour bridge to close")).await;
    let mut prankster = Reader::new(&app);
    let mut ids = Vec::new();
    for body in ["First, signed up for someone else.", "And again."] {
        let (status, c) = prankster
            .post_json(&format!("{API}/comments"), &json!({"name": "Pat", "body": body, "email": "carol@example.org", "notify_replies": true}))
            .await;
        assert_eq!(status, 201, "{c}");
        ids.push(c["id"].clone());
    }
    let mut other = Reader::new(&app);
    for id in &ids {
        other
            .post_json(
                &format!("{API}/comments"),
                &json!({"name": "Bo", "body": "A reply.", "parent_id": id}),
            )
            .await;
    }
    let got = sink.wait_for(1).await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(sink.messages().len(), 1, "one email, and only to confirm");
    assert!(plain(&got[0]).contains("Confirm reply emails"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reply_emails_reach_those_who_asked_on_sqlite() {
    reply_emails_reach_those_who_asked_and_stop_on_unsubscribe(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reply_emails_reach_those_who_asked_on_postgres() {
    reply_emails_reach_those_who_asked_and_stop_on_unsubscribe(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stranger_s_address_gets_one_confirmation_and_no_replies_on_sqlite() {
    a_stranger_s_address_gets_one_confirmation_and_no_replies(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stranger_s_address_gets_one_confirmation_and_no_replies_on_postgres() {
    a_stranger_s_address_gets_one_confirmation_and_no_replies(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderators_get_the_queue_by_email() {
    let sink = SmtpSink::start().await;
    let url = sink.url();
    let app = TestApp::spawn_with(Backend::Postgres, |c| {
        c.smtp_url = Some(url);
        c.queue_email_every = std::time::Duration::from_millis(300);
    })
    .await;
    newsdesk::services::staff::create_user(
        app.store.as_ref(),
        "mod@example.org",
        "a long enough password",
        Role::Moderator,
        true,
    )
    .await
    .unwrap();
    newsdesk::services::staff::create_user(
        app.store.as_ref(),
        "quiet@example.org",
        "a long enough password",
        Role::Moderator,
        false,
    )
    .await
    .unwrap();
    app.create(story("Harbour bridge to close")).await;
    let mut r = Reader::new(&app);
    let body = "see https://a.example https://b.example https://c.example";
    let (_, c) = r
        .post_json(
            &format!("{API}/comments"),
            &json!({"name": "Ana", "body": body}),
        )
        .await;
    assert_eq!(c["status"], "held");
    let got = sink.wait_for(1).await;
    let mail = plain(&got[0]);
    assert!(mail.contains("To: mod@example.org"), "{mail}");
    assert!(mail.contains("1 new comment waits"), "{mail}");
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    assert_eq!(
        sink.messages().len(),
        1,
        "one digest for one new held comment, to the one who asked"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mail_server_address_that_cannot_work_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut config =
        newsdesk::ServeConfig::new("127.0.0.1:0".parse().unwrap(), dir.path().join("data"));
    config.smtp_url = Some("carrier-pigeon://coop".into());
    let e = newsdesk::Application::build(config)
        .await
        .err()
        .expect("refused");
    assert!(e.to_string().contains("--smtp-url"), "{e}");
}
