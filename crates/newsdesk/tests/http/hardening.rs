//! The debate turned against readers, tried as a stranger would (issue 15): reports and votes
//! that count people and not requests.

use crate::helpers::{comment, story, Backend, Reader, TestApp};
use chrono::{Duration, Utc};
use newsdesk_core::comment::{CommentStatus, NewComment};
use newsdesk_core::Role;
use serde_json::{json, Value};

const STORY: &str = "/news/harbour-bridge-to-close";
const API: &str = "/api/v1/articles/harbour-bridge-to-close";

/// Gives a reader a record on the site: a comment of theirs on the harbour story, published
/// two days ago (what a report needs to count toward hiding).
pub async fn give_a_record(app: &TestApp, reader: &Reader<'_>) {
    let article = app
        .store
        .find_article("harbour-bridge-to-close")
        .await
        .unwrap()
        .expect("the harbour story");
    app.store
        .add_comment(NewComment {
            article_id: article.id,
            parent_id: None,
            question_id: None,
            name: "Regular".into(),
            body: "An old comment of a regular reader.".into(),
            email: None,
            notify_replies: false,
            reader: reader.id(),
            ip: "192.0.2.9".into(),
            status: CommentStatus::Published,
            reason: String::new(),
            created_at: Utc::now() - Duration::days(2),
        })
        .await
        .unwrap();
}

async fn posted(app: &TestApp, text: &str) -> i64 {
    let mut writer = Reader::new(app);
    let (status, c) = writer
        .post_json(&format!("{API}/comments"), &comment("Writer", text))
        .await;
    assert_eq!(status, 201, "{c}");
    c["id"].as_i64().unwrap()
}

async fn status_of(app: &TestApp, id: i64) -> CommentStatus {
    let c = app
        .store
        .find_comment(newsdesk_core::CommentId(id))
        .await
        .unwrap()
        .unwrap();
    c.status
}

async fn a_brigade_of_cookieless_and_fresh_readers_cannot_hide_a_comment(app: TestApp) {
    app.create(story("Harbour bridge to close")).await;
    let id = posted(&app, "An unpopular but fair opinion").await;
    let flag = format!("{API}/comments/{id}/flag");
    // Without a cookie: refused, naming the stamp, and nothing counted.
    for _ in 0..3 {
        let (status, body) = app
            .send_json(
                reqwest::Method::POST,
                &flag,
                None,
                &json!({"reason": "rude", "stamp": "1.00"}),
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body["fields"]["stamp"].is_string(), "{body}");
    }
    let seen = app
        .store
        .find_comment(newsdesk_core::CommentId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(seen.flags, 0, "no report counted without a cookie");
    // The site's form without a cookie is shown back to confirm, and counts nothing either.
    let r = app
        .client
        .post(app.url(&format!("{STORY}/comments/{id}/flag")))
        .form(&[("stamp", ""), ("reason", "rude")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200, "the confirm page");
    // Six fresh readers, each with a cookie and a stamp of their own: counted, never hiding.
    for i in 0..6 {
        let mut fresh = Reader::new(&app);
        let (status, body) = fresh.post_counted(&flag, &json!({"reason": "rude"})).await;
        assert_eq!(status, 200, "fresh reader {i}: {body}");
        assert_eq!(body["status"], "published", "fresh reader {i}: {body}");
    }
    assert_eq!(status_of(&app, id).await, CommentStatus::Published);
    let (_, html) = app.get_text(STORY).await;
    assert!(html.contains("An unpopular but fair opinion"));
    let moderator = app.token(Role::Moderator).await;
    let (_, queue) = app
        .get_json("/api/v1/moderation/queue?kind=flagged", Some(&moderator))
        .await;
    assert_eq!(
        queue["items"][0]["flags"], 6,
        "every report reaches the moderators: {queue}"
    );
    // Three readers with a record hide it; the log says so, and a moderator restores it.
    for i in 0..3 {
        let mut regular = Reader::from(&app, &format!("198.51.100.{i}"));
        regular.api_stamp().await;
        give_a_record(&app, &regular).await;
        let (status, body) = regular.post_counted(&flag, &json!({})).await;
        assert_eq!(status, 200, "{body}");
        let expected = if i < 2 { "published" } else { "held" };
        assert_eq!(body["status"], expected, "regular {i}: {body}");
    }
    let (_, html) = app.get_text(STORY).await;
    assert!(!html.contains("An unpopular but fair opinion"));
    let (_, log) = app
        .get_json("/api/v1/moderation/log", Some(&moderator))
        .await;
    let hide = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["comment_id"] == id && e["action"] == "hide")
        .unwrap_or_else(|| panic!("the hide is in the log: {log}"));
    assert_eq!(hide["actor"], "readers");
    assert!(hide["detail"]
        .as_str()
        .unwrap()
        .contains("9 reports, 3 of them"));
    let (_, held) = app
        .get_json("/api/v1/moderation/queue?kind=held", Some(&moderator))
        .await;
    assert_eq!(held["items"][0]["id"], id, "{held}");
    let (status, _) = app
        .send_json(
            reqwest::Method::POST,
            "/api/v1/moderation/actions",
            Some(&moderator),
            &json!({"ids": [id], "action": "approve"}),
        )
        .await;
    assert_eq!(status, 200);
    let (_, html) = app.get_text(STORY).await;
    assert!(html.contains("An unpopular but fair opinion"), "restored");
}

async fn a_stamp_counts_once_and_only_for_its_own_reader(app: TestApp) {
    let mut s = story("Harbour bridge to close");
    s["debate"] = json!([
        "Should the bridge close in summer?",
        "Is six weeks too long?"
    ]);
    app.create(s).await;
    let a = posted(&app, "First view").await;
    let b = posted(&app, "Second view").await;
    let mut reader = Reader::new(&app);
    let stamp = reader.api_stamp().await;
    let vote = |id: i64| format!("{API}/comments/{id}/vote");
    let (status, body) = reader
        .post_json(&vote(a), &json!({"value": 1, "stamp": stamp}))
        .await;
    assert_eq!(status, 200, "{body}");
    // The same stamp again, on another comment: refused, and not counted.
    let (status, body) = reader
        .post_json(&vote(b), &json!({"value": 1, "stamp": stamp}))
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(body["message"].as_str().unwrap().contains("sent already"));
    // Another reader's stamp does not serve this one.
    let mut other = Reader::new(&app);
    let theirs = other.api_stamp().await;
    let (status, body) = reader
        .post_json(&vote(b), &json!({"value": 1, "stamp": theirs}))
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["fields"]["stamp"].is_string());
    let (_, list) = app
        .get_json(&format!("{API}/comments?sort=oldest"), None)
        .await;
    let votes: Vec<Value> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["upvotes"].clone())
        .collect();
    assert_eq!(votes, vec![json!(1), json!(0)], "{list}");
    // Poll answers alike: none without a cookie, one per stamp.
    let (_, d) = app.get_json(&format!("{API}/debate"), None).await;
    let q: Vec<i64> = d
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    let (status, body) = app
        .send_json(
            reqwest::Method::POST,
            &format!("{API}/debate/{}/vote", q[0]),
            None,
            &json!({"answer": "yes", "stamp": ""}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let stamp = reader.api_stamp().await;
    for (question, expected) in [(q[0], 200), (q[1], 409)] {
        let (status, body) = reader
            .post_json(
                &format!("{API}/debate/{question}/vote"),
                &json!({"answer": "no", "stamp": stamp}),
            )
            .await;
        assert_eq!(status, expected, "{body}");
    }
}

/// A report by a new reader from `address` (the server trusts `X-Forwarded-For` here).
async fn report_from(app: &TestApp, flag: &str, address: &str) -> u16 {
    let mut r = Reader::new(app);
    let stamp = r.api_stamp().await;
    app.client
        .post(app.url(flag))
        .header("x-forwarded-for", address)
        .header("cookie", r.cookie.clone().unwrap())
        .json(&json!({"stamp": stamp}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn reports_are_limited_per_address_and_an_ipv6_block_counts_as_one(app: TestApp) {
    app.create(story("Harbour bridge to close")).await;
    let id = posted(&app, "Reported from one home").await;
    let flag = format!("{API}/comments/{id}/flag");
    for address in ["2001:db8:1:2::a", "2001:db8:1:2::b", "2001:db8:1:2:ffff::c"] {
        assert_eq!(report_from(&app, &flag, address).await, 200, "{address}");
    }
    assert_eq!(
        report_from(&app, &flag, "2001:db8:1:2::d").await,
        429,
        "a fourth address of the same /64 is over the allowance"
    );
    assert_eq!(
        report_from(&app, &flag, "2001:db8:1:3::1").await,
        200,
        "the next /64 is not"
    );
    assert_eq!(report_from(&app, &flag, "192.0.2.1").await, 200);
}

async fn a_thread_of_long_replies_keeps_the_page_small_and_links_the_rest(app: TestApp) {
    app.create(story("Harbour bridge to close")).await;
    let root = posted(&app, "Where does this end?").await;
    let mut writer = Reader::new(&app);
    // 120 replies of 5,000 characters that each escape to four times their length.
    for i in 0..120 {
        let body = format!("{i:03} {}", "<é>".repeat(1_665));
        let mut c = comment("Replier", &body);
        c["parent_id"] = json!(root);
        let (status, r) = writer.post_json(&format!("{API}/comments"), &c).await;
        assert_eq!(status, 201, "reply {i}: {r}");
    }
    let (status, html) = app.get_text(STORY).await;
    assert_eq!(status, 200);
    assert!(
        html.len() < 1_500_000,
        "the story page is {} bytes",
        html.len()
    );
    let shown = html.matches("class=\"comment indent-1").count();
    assert!((1..=10).contains(&shown), "{shown} replies shown");
    let link = format!(r#"<a href="{STORY}/comments/{root}#replies">"#);
    let at = html.find(&link).expect("a link to the whole thread");
    let text = &html[at + link.len()..];
    assert!(text.starts_with(&format!("{} more replies in this thread", 120 - shown)));
    let data = &html[html.find("application/ld+json").unwrap()..];
    let data = &data[..data.find("</script>").unwrap()];
    assert!(data.matches(r#""@type":"Comment""#).count() <= 20);
    // The thread's own page holds them all, fifty at a time.
    let mut seen = 0;
    for rpage in 1..=3 {
        let (status, page) = app
            .get_text(&format!("{STORY}/comments/{root}?rpage={rpage}"))
            .await;
        assert_eq!(status, 200);
        seen += page.matches("class=\"comment indent-").count() - 1;
        // A visitor without a cookie gets empty stamps to fill at `/stamp`, not ones made for
        // no reader, which could not count a vote.
        assert!(
            page.contains(
                r#"action="/news/harbour-bridge-to-close/comments/1/vote" class="vote-form">
        <input type="hidden" name="stamp" value="">"#
            ),
            "{page}"
        );
        assert!(page.contains(&format!("Page {rpage} of 3 (120 replies)")));
    }
    assert_eq!(seen, 120);
    let (status, page) = app
        .get_text(&format!("{STORY}/comments/{root}?rpage=x"))
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("rpage"));
}

async fn a_standfirst_reaches_feed_readers_as_the_text_it_is(app: TestApp) {
    let mut s = story("Harbour bridge to close");
    s["standfirst"] = json!("Plain <b>bold</b> text & more");
    app.create(s).await;
    for path in ["/feed.xml", "/atom.xml"] {
        let script = r#"
import feedparser, json, sys, urllib.request
body = urllib.request.urlopen(sys.argv[1]).read()
print(json.dumps([[e.summary_detail.type, e.summary] for e in feedparser.parse(body).entries]))
"#;
        let out = tokio::process::Command::new("python3")
            .arg("-c")
            .arg(script)
            .arg(app.url(path))
            .output()
            .await
            .expect("python3 runs");
        let summaries: Vec<(String, String)> = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
        // Shown as HTML, the words read as written and nothing is bold; as plain text, they
        // are the text itself.
        let expected = match summaries[0].0.as_str() {
            "text/html" => "Plain &lt;b&gt;bold&lt;/b&gt; text &amp; more",
            _ => "Plain <b>bold</b> text & more",
        };
        assert_eq!(summaries.len(), 1, "{path}");
        assert_eq!(summaries[0].1, expected, "{path}: {summaries:?}");
        if path == "/feed.xml" {
            assert_eq!(
                summaries[0].0, "text/html",
                "RSS descriptions are read as HTML"
            );
        }
    }
}

on_both_stores!(
    a_brigade_of_cookieless_and_fresh_readers_cannot_hide_a_comment,
    a_stamp_counts_once_and_only_for_its_own_reader,
    a_thread_of_long_replies_keeps_the_page_small_and_links_the_rest,
    a_standfirst_reaches_feed_readers_as_the_text_it_is,
);

async fn behind_a_trusted_https_proxy_cookies_are_secure_and_hsts_is_sent(app: TestApp) {
    app.create(story("Harbour bridge to close")).await;
    let ask = |proto: Option<&str>| {
        let mut req = app.client.post(app.url("/stamp"));
        if let Some(p) = proto {
            req = req.header("x-forwarded-proto", p);
        }
        req.send()
    };
    let r = ask(Some("https")).await.unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.ends_with("; Secure"), "{cookie}");
    assert_eq!(r.headers()["strict-transport-security"], "max-age=31536000");
    let r = ask(Some("http")).await.unwrap();
    assert!(!r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Secure"));
    assert!(r.headers().get("strict-transport-security").is_none());
    // A page from the cache's fast path carries it too.
    for _ in 0..2 {
        let r = app
            .client
            .get(app.url(STORY))
            .header("x-forwarded-proto", "https")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert!(r.headers().get("strict-transport-security").is_some());
    }
}

async fn without_a_trusted_proxy_a_forwarded_scheme_means_nothing(app: TestApp) {
    let r = app
        .client
        .post(app.url("/stamp"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert!(!r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Secure"));
    assert!(r.headers().get("strict-transport-security").is_none());
}

/// A slow client: a connection from `from` that starts a request and sends one more byte of
/// its head every half second; answers how long the server kept it open.
async fn slow_client(server: std::net::SocketAddr, from: &str) -> std::time::Duration {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    let mut stream = socket.connect(server).await.unwrap();
    let start = std::time::Instant::now();
    if stream
        .write_all(b"GET / HTTP/1.1\r\nHost: newsdesk\r\n")
        .await
        .is_err()
    {
        return start.elapsed();
    }
    let mut buf = [0u8; 1024];
    loop {
        tokio::select! {
            read = stream.read(&mut buf) => match read {
                Ok(0) | Err(_) => return start.elapsed(),
                Ok(_) => {}
            },
            () = tokio::time::sleep(std::time::Duration::from_millis(500)) => {
                if stream.write_all(b"X").await.is_err() {
                    return start.elapsed();
                }
            }
        }
    }
}

async fn slow_clients_are_cut_off_while_readers_are_served(app: TestApp) {
    use std::time::Duration;
    app.create(story("Harbour bridge to close")).await;
    let server: std::net::SocketAddr = app.base.trim_start_matches("http://").parse().unwrap();
    // 200 slow connections from one address (another loopback one than the readers').
    let slow: Vec<_> = (0..200)
        .map(|_| tokio::spawn(slow_client(server, "127.0.0.2")))
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    for _ in 0..20 {
        let started = std::time::Instant::now();
        let (status, _) = app.get_text(STORY).await;
        assert_eq!(status, 200);
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "a reader waited"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut held = Vec::new();
    for s in slow {
        let open = tokio::time::timeout(Duration::from_secs(15), s)
            .await
            .expect("the server closed the slow connection")
            .unwrap();
        held.push(open);
    }
    let at_once = held
        .iter()
        .filter(|d| **d < Duration::from_millis(500))
        .count();
    assert!(
        at_once >= 150,
        "over the cap of 50, connections close at once: {at_once}"
    );
    let longest = held.iter().max().unwrap();
    assert!(
        *longest < Duration::from_secs(5),
        "the 2 s header deadline closes the rest: {longest:?}"
    );
}

mod tuned {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn slow_clients_are_cut_off_while_readers_are_served_on_sqlite() {
        slow_clients_are_cut_off_while_readers_are_served(
            TestApp::spawn_with(Backend::Sqlite, |c| {
                c.header_timeout = std::time::Duration::from_secs(2);
                c.connections_per_address = 50;
                c.trust_proxy = false;
            })
            .await,
        )
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn behind_a_trusted_https_proxy_cookies_are_secure_and_hsts_is_sent_on_sqlite() {
        behind_a_trusted_https_proxy_cookies_are_secure_and_hsts_is_sent(
            TestApp::spawn_with(Backend::Sqlite, |c| c.trust_proxy = true).await,
        )
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn without_a_trusted_proxy_a_forwarded_scheme_means_nothing_on_sqlite() {
        without_a_trusted_proxy_a_forwarded_scheme_means_nothing(
            TestApp::spawn_with(Backend::Sqlite, |c| c.trust_proxy = false).await,
        )
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn reports_are_limited_per_address_and_an_ipv6_block_counts_as_one_on_sqlite() {
        reports_are_limited_per_address_and_an_ipv6_block_counts_as_one(
            TestApp::spawn_with(Backend::Sqlite, |c| {
                c.trust_proxy = true;
                c.reports_per_hour = 3;
            })
            .await,
        )
        .await;
    }
}
