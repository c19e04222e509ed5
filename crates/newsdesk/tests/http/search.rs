//! Search over HTTP: every field searched, the query language, filters, paging, marked
//! snippets, bad input, the same answers on both stores and on several nodes, and reindexing.

use crate::helpers::{story, Backend, TestApp};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use std::time::Instant;

struct Seed {
    headline: &'static str,
    standfirst: &'static str,
    body: &'static str,
    section: &'static str,
    tags: &'static [&'static str],
    author: &'static str,
    days_ago: i64,
}

const SEEDS: &[Seed] = &[
    Seed {
        headline: "Ferry fares rise for island commuters",
        standfirst: "The harbour board blames fuel costs.",
        body:
            "Return tickets to Kessel Island will cost more from January, the harbour board said.",
        section: "city",
        tags: &["seaway"],
        author: "Maya Okafor",
        days_ago: 2,
    },
    Seed {
        headline: "Night trains return to the coast line",
        standfirst: "Sleeper services are back after a decade.",
        body: "Cabins on the first month of sleeper services are booked out, the operator said.",
        section: "transport",
        tags: &["rail"],
        author: "Ilse Varga",
        days_ago: 10,
    },
    Seed {
        headline: "Council approves the harbour bridge budget",
        standfirst: "Nine votes to four after a long night.",
        body: "The city council approved the bridge budget after a debate that ran past midnight.",
        section: "politics",
        tags: &["harbour", "council"],
        author: "Maya Okafor",
        days_ago: 40,
    },
    Seed {
        headline: "Striking dock workers meet ministers",
        standfirst: "Talks are set for noon.",
        body: "Dock workers on strike since Monday will meet transport ministers at noon.",
        section: "business",
        tags: &["strikes"],
        author: "Ilse Varga",
        days_ago: 1,
    },
    Seed {
        headline: "Festival <b>crowds</b> & \"quince\" stalls",
        standfirst: "Stalls sold out by lunchtime.",
        body: "The quince festival drew crowds to the old market square on Sunday.",
        section: "culture",
        tags: &[],
        author: "Tomas Reyes",
        days_ago: 5,
    },
];

async fn seed(app: &TestApp, now: DateTime<Utc>) {
    for s in SEEDS {
        let mut body = story(s.headline);
        body["standfirst"] = json!(s.standfirst);
        body["body"] = json!(s.body);
        body["section"] = json!(s.section);
        body["tags"] = json!(s.tags);
        body["authors"] = json!([s.author]);
        body["published_at"] = json!((now - Duration::days(s.days_ago)).to_rfc3339());
        app.create(body).await;
    }
    // A draft dated before 1970 (a negative time) must not pass for a live story.
    let mut draft = story("Secret ferry plan");
    draft["status"] = json!("draft");
    draft["published_at"] = json!("1969-07-20T20:17:00Z");
    app.create(draft).await;
    wait_for(app, "/api/v1/search?q=quince", 1).await;
}

/// Waits until the demo site's stories are in the node's search index.
pub async fn wait_until_searchable(app: &TestApp) {
    let start = Instant::now();
    while search(app, "q=strike").await["total"] == 0 {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "the demo stories were never indexed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

/// Waits until the node's index answers `path` with `total` results.
async fn wait_for(app: &TestApp, path: &str, total: u64) -> Instant {
    let start = Instant::now();
    loop {
        let (status, found) = app.get_json(path, None).await;
        assert_eq!(status, 200, "{found}");
        if found["total"] == total {
            return start;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(5),
            "{path} never reached {total}: {found}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

async fn search(app: &TestApp, query: &str) -> Value {
    let (status, found) = app.get_json(&format!("/api/v1/search?{query}"), None).await;
    assert_eq!(status, 200, "{query}: {found}");
    found
}

/// An answer without its absolute links, which name the node's own address.
fn comparable(mut found: Value) -> Value {
    for r in found["results"].as_array_mut().unwrap() {
        r["url"] = Value::Null;
    }
    found
}

async fn slugs(app: &TestApp, query: &str) -> Vec<String> {
    search(app, query).await["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["slug"].as_str().unwrap().to_string())
        .collect()
}

const FERRY: &str = "ferry-fares-rise-for-island-commuters";
const TRAINS: &str = "night-trains-return-to-the-coast-line";
const COUNCIL: &str = "council-approves-the-harbour-bridge-budget";
const DOCK: &str = "striking-dock-workers-meet-ministers";
const FESTIVAL: &str = "festival-b-crowds-b-quince-stalls";

async fn every_field_is_searched_and_the_query_language_holds(app: TestApp) {
    seed(&app, Utc::now()).await;
    for (q, want) in [
        ("q=kessel", vec![FERRY]),                 // body
        ("q=fuel", vec![FERRY]),                   // standfirst
        ("q=seaway", vec![FERRY]),                 // tag
        ("q=okafor+ferry", vec![FERRY]),           // author and headline
        ("q=%22harbour+bridge%22", vec![COUNCIL]), // phrase
        ("q=%22bridge+harbour%22", vec![]),        // the phrase's words out of order
        ("q=strike", vec![DOCK]),                  // "Striking" and "strike" share a stem
        ("q=minist*", vec![DOCK]),                 // prefix
        ("q=harbour+-council", vec![FERRY]),       // exclusion
        ("q=secret", vec![]),                      // drafts are never found
        ("q=kessel+unicorn", vec![]),              // every word must match
    ] {
        assert_eq!(slugs(&app, q).await, want, "{q}");
    }
    let mut varga = slugs(&app, "q=varga").await;
    varga.sort();
    assert_eq!(varga, vec![TRAINS, DOCK]);
    // Relevance: a headline and tag match outranks a standfirst and body match.
    assert_eq!(slugs(&app, "q=harbour").await, vec![COUNCIL, FERRY]);
}

async fn filters_narrow_and_pages_follow_each_other(app: TestApp) {
    let now = Utc::now();
    seed(&app, now).await;
    assert_eq!(
        slugs(&app, "q=harbour&section=politics").await,
        vec![COUNCIL]
    );
    assert_eq!(slugs(&app, "tag=Rail").await, vec![TRAINS]);
    for author in ["Maya+Okafor", "maya-okafor"] {
        assert_eq!(
            slugs(&app, &format!("author={author}&sort=newest")).await,
            vec![FERRY, COUNCIL]
        );
    }
    let day = |d: i64| (now - Duration::days(d)).format("%Y-%m-%d").to_string();
    assert_eq!(
        slugs(&app, &format!("from={}&to={}&sort=newest", day(5), day(2))).await,
        vec![FERRY, FESTIVAL]
    );
    let all = format!("from={}&sort=newest&per_page=2", day(400));
    let mut seen = Vec::new();
    for page in 1..=3 {
        let found = search(&app, &format!("{all}&page={page}")).await;
        assert_eq!(found["total"], 5);
        assert_eq!(found["page"], page);
        seen.extend(slugs(&app, &format!("{all}&page={page}")).await);
    }
    assert_eq!(seen, vec![DOCK, FERRY, FESTIVAL, TRAINS, COUNCIL]);
    assert!(slugs(&app, &format!("{all}&page=4")).await.is_empty());
}

async fn matches_are_marked_and_readers_text_is_escaped(app: TestApp) {
    seed(&app, Utc::now()).await;
    let found = search(&app, "q=kessel").await;
    let hit = &found["results"][0];
    assert_eq!(
        hit["snippet"]["html"],
        "Return tickets to <mark>Kessel</mark> Island will cost more from January, the harbour board said."
    );
    assert_eq!(hit["snippet"]["cut_after"], false);
    assert!(hit["url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/news/{FERRY}")));
    assert!(hit["score"].as_f64().unwrap() > 0.0);
    let festival = &search(&app, "q=crowds").await["results"][0];
    assert_eq!(
        festival["headline_marked"]["html"],
        "Festival &lt;b&gt;<mark>crowds</mark>&lt;/b&gt; &amp; \"quince\" stalls"
    );

    let (status, html) = app.get_text("/search?q=kessel").await;
    assert_eq!(status, 200);
    assert!(html.contains("<mark>Kessel</mark> Island"), "{html}");
    assert_eq!(html.matches("class=\"search-result\"").count(), 1);
    assert!(html.contains("<meta name=\"robots\" content=\"noindex, follow\">"));
    assert!(html.contains("1 story match “kessel”"));
    let (_, html) = app.get_text("/search?q=crowds").await;
    assert!(html.contains("<mark>crowds</mark>"), "{html}");
    assert!(
        !html.contains("<b>"),
        "the headline's markup is shown as text"
    );
    let (status, html) = app
        .get_text("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        .await;
    assert_eq!(status, 200);
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("value=\"&#60;script&#62;alert(1)&#60;/script&#62;\""));
    // Every page offers the search box.
    let (_, home) = app.get_text("/").await;
    assert!(home.contains("action=\"/search\""));
}

async fn bad_search_input_is_refused_naming_the_field(app: TestApp) {
    let long = "a".repeat(201);
    for (query, field) in [
        (format!("q={long}"), "q"),
        ("from=2026-13-01".into(), "from"),
        ("from=2026-05-02&to=2026-05-01".into(), "to"),
        ("sort=loudest".into(), "sort"),
        ("page=0".into(), "page"),
        ("page=1000".into(), "page"),
        ("per_page=51".into(), "per_page"),
        ("per_page=30&page=34".into(), "page"),
        (format!("q={}", "word+".repeat(17)), "q"),
        ("q=abc*+def*+ghi*+jkl*+mno*".into(), "q"),
    ] {
        let (status, body) = app.get_json(&format!("/api/v1/search?{query}"), None).await;
        assert_eq!(status, 422, "{query}: {body}");
        assert!(body["fields"][field].is_string(), "{query}: {body}");
    }
    let (status, html) = app.get_text("/search?q=bridge&from=yesterday").await;
    assert_eq!(status, 422);
    assert!(html.contains("href=\"#search-from\">from</a> must be a date"));
    assert!(
        html.contains("value=\"bridge\""),
        "the typed words are kept"
    );
    assert!(html.contains("id=\"search-from\" name=\"from\" value=\"\" aria-invalid=\"true\""));
    // Asking for nothing is not an error: it shows the form.
    let (status, html) = app.get_text("/search").await;
    assert_eq!(status, 200);
    assert!(!html.contains("search-summary"));
}

async fn another_node_answers_alike_and_sees_changes_within_a_second(app: TestApp) {
    seed(&app, Utc::now()).await;
    // Edits leave replaced versions in this node's index until its segments merge.
    for round in 0..3 {
        let (status, body) = app
            .send_json(
                reqwest::Method::PATCH,
                &format!("/api/v1/articles/{COUNCIL}"),
                Some(&app.editor),
                &json!({"standfirst": format!("Nine votes to four, harbour round {round}.")}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    wait_for(&app, "/api/v1/search?q=round+2", 1).await;
    // A node started now indexes every story once, with no history.
    let other = app.another_node().await;
    wait_for(&other, "/api/v1/search?q=round+2", 1).await;
    for q in [
        "q=harbour",
        "q=harbour+board",
        "q=the",
        "q=minist*",
        "q=nine+votes",
    ] {
        assert_eq!(
            comparable(search(&app, q).await),
            comparable(search(&other, q).await),
            "{q}"
        );
    }

    let mut fresh = story("Lighthouse keeper retires after forty winters");
    fresh["body"] = json!("The keeper of the Kessel light hands over the lamp on Friday.");
    app.create(fresh).await;
    let start = wait_for(&other, "/api/v1/search?q=lighthouse", 1).await;
    assert!(
        start.elapsed() < std::time::Duration::from_secs(2),
        "the other node found the new story after {:?}",
        start.elapsed()
    );
    let (status, _) = app
        .send_json(
            reqwest::Method::PATCH,
            "/api/v1/articles/lighthouse-keeper-retires-after-forty-winters",
            Some(&app.editor),
            &json!({"status": "unpublished"}),
        )
        .await;
    assert_eq!(status, 200);
    wait_for(&other, "/api/v1/search?q=lighthouse", 0).await;
    // Each node follows the store on its own clock, the writing node too: wait for both.
    wait_for(&app, "/api/v1/search?q=lighthouse", 0).await;
    assert_eq!(
        comparable(search(&app, "q=kessel").await),
        comparable(search(&other, "q=kessel").await)
    );
}

on_both_stores!(
    every_field_is_searched_and_the_query_language_holds,
    filters_narrow_and_pages_follow_each_other,
    matches_are_marked_and_readers_text_is_escaped,
    bad_search_input_is_refused_naming_the_field,
    another_node_answers_alike_and_sees_changes_within_a_second,
);

#[tokio::test]
async fn sqlite_and_postgresql_give_the_same_results() {
    let now = Utc::now();
    let lite = TestApp::spawn(Backend::Sqlite).await;
    let pg = TestApp::spawn(Backend::Postgres).await;
    seed(&lite, now).await;
    seed(&pg, now).await;
    for q in [
        "q=harbour",
        "q=the",
        "q=str*",
        "q=%22sleeper+services%22",
        "q=noon+-ferry",
        "section=city",
        "q=the&sort=newest&per_page=2&page=2",
    ] {
        assert_eq!(
            comparable(search(&lite, q).await),
            comparable(search(&pg, q).await),
            "{q}"
        );
    }
}

#[tokio::test]
async fn reindex_rebuilds_a_node_index_and_refuses_while_a_server_holds_it() {
    use std::process::Command;
    // A data folder that outlives the server, so the command can work on it afterwards.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let folder = data.clone();
    let app = TestApp::spawn_with(Backend::Sqlite, move |c| c.data_dir = folder).await;
    seed(&app, Utc::now()).await;
    let reindex = || {
        Command::new(env!("CARGO_BIN_EXE_newsdesk"))
            .args(["reindex", "--data"])
            .arg(&data)
            .env("NEWSDESK_LOG", "warn")
            .output()
            .expect("the binary runs")
    };
    let busy = reindex();
    assert!(!busy.status.success());
    assert!(
        String::from_utf8_lossy(&busy.stderr).contains("in use by a running newsdesk"),
        "{}",
        String::from_utf8_lossy(&busy.stderr)
    );
    drop(app);
    // The server lets go of its index as it stops.
    let start = Instant::now();
    let out = loop {
        let out = reindex();
        if out.status.success() || start.elapsed() > std::time::Duration::from_secs(10) {
            break out;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("Indexed 5 stories for search"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
