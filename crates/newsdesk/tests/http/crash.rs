//! kill -9 right after acknowledged writes loses nothing and corrupts nothing.

use crate::helpers::{free_port, story, PgDatabase};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub fn start(args: &[String]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(args)
        .env("NEWSDESK_LOG", "warn")
        .env("NEWSDESK_COMMENTS_PER_MINUTE", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// A client that keeps no connection across the server's deaths and restarts (a pooled
/// connection to a killed server once left a request waiting for ever), and gives up on a
/// request after a while instead of hanging the run.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

async fn get_json(client: &reqwest::Client, url: String) -> serde_json::Value {
    client.get(url).send().await.unwrap().json().await.unwrap()
}

pub async fn wait_ready(client: &reqwest::Client, base: &str) {
    for _ in 0..200 {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await {
            if r.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not become ready");
}

/// A token made by the binary's own `token create`, for the store the arguments name.
pub fn token(role: &str, store_args: &[String]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(["token", "create", "--role", role])
        .args(store_args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .to_string()
}

async fn crash_after_writes(store_args: Vec<String>) {
    let token = token("editor", &store_args);
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let serve = [
        vec![
            "serve".to_string(),
            "--addr".into(),
            format!("127.0.0.1:{port}"),
        ],
        store_args.clone(),
    ]
    .concat();
    let client = client();

    let mut server = start(&serve);
    wait_ready(&client, &base).await;
    let mut acknowledged = Vec::new();
    for i in 0..40 {
        let headline = format!("Durable story {i}");
        let r = client
            .post(format!("{base}/api/v1/articles"))
            .bearer_auth(&token)
            .json(&story(&headline))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 201);
        acknowledged.push(headline);
    }
    // A PATCH acknowledged just before the crash must survive too.
    let r = client
        .patch(format!("{base}/api/v1/articles/durable-story-39"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"standfirst": "Changed just before the crash."}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    // Comments arrive in a burst and are committed in groups; every acknowledged one counts.
    let posts = (0..200).map(|i| {
        let client = client.clone();
        let url = format!("{base}/api/v1/articles/durable-story-0/comments");
        tokio::spawn(async move {
            let r = client
                .post(url)
                .json(&serde_json::json!({"name": "Durable", "body": format!("Comment {i}")}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status().as_u16(), 201);
            r.json::<serde_json::Value>().await.unwrap()["id"]
                .as_i64()
                .unwrap()
        })
    });
    let mut comment_ids = Vec::new();
    for p in posts.collect::<Vec<_>>() {
        comment_ids.push(p.await.unwrap());
    }
    server.kill().unwrap(); // SIGKILL: no shutdown, no flush
    server.wait().unwrap();

    let mut server = start(&serve);
    wait_ready(&client, &base).await;
    let page: serde_json::Value =
        get_json(&client, format!("{base}/api/v1/articles?per_page=100")).await;
    let mut found: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["headline"].as_str().unwrap().to_string())
        .collect();
    found.sort();
    acknowledged.sort();
    assert_eq!(found, acknowledged);
    let last: serde_json::Value =
        get_json(&client, format!("{base}/api/v1/articles/durable-story-39")).await;
    assert_eq!(last["standfirst"], "Changed just before the crash.");
    let mut stored = Vec::new();
    for page in 1..=2 {
        let list = get_json(
            &client,
            format!("{base}/api/v1/articles/durable-story-0/comments?per_page=100&page={page}"),
        )
        .await;
        assert_eq!(list["total"], 200);
        stored.extend(
            list["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_i64().unwrap()),
        );
    }
    stored.sort();
    comment_ids.sort();
    assert_eq!(
        stored, comment_ids,
        "every acknowledged comment survived the crash"
    );
    server.kill().unwrap();
    server.wait().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_after_acknowledged_writes_loses_nothing_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    crash_after_writes(vec!["--data".into(), data.to_string_lossy().into_owned()]).await;
    // And the database file is sound.
    use sqlx::{Connection, Row};
    let mut conn = sqlx::SqliteConnection::connect(&format!(
        "sqlite://{}",
        data.join("newsdesk.db").display()
    ))
    .await
    .unwrap();
    let row = sqlx::query("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>(0), "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_after_acknowledged_writes_loses_nothing_on_postgres() {
    let db = PgDatabase::create().await;
    // The node's own files (its search index) go to a folder of the test's, not the crate's.
    let dir = tempfile::tempdir().unwrap();
    crash_after_writes(vec![
        "--database".into(),
        db.url.clone(),
        "--data".into(),
        dir.path().to_string_lossy().into_owned(),
    ])
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_server_cleanly_and_keeps_its_data() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data").to_string_lossy().into_owned();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = client();
    let args = vec![
        "serve".to_string(),
        "--demo".into(),
        "--addr".into(),
        format!("127.0.0.1:{port}"),
        "--data".into(),
        data.clone(),
    ];
    let mut server = start(&args);
    wait_ready(&client, &base).await;
    let status = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut exit = None;
    for _ in 0..100 {
        if let Some(s) = server.try_wait().unwrap() {
            exit = Some(s);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let exit = exit.expect("the server did not stop within 5 s of SIGTERM");
    assert!(exit.success(), "the server exited with {exit}");
    // A restart without --demo finds the demo stories still there.
    let mut server = start(
        &args[..1]
            .iter()
            .chain(&args[2..])
            .cloned()
            .collect::<Vec<_>>(),
    );
    wait_ready(&client, &base).await;
    let page: serde_json::Value =
        get_json(&client, format!("{base}/api/v1/articles?per_page=1")).await;
    assert!(page["total"].as_i64().unwrap() >= 30);
    server.kill().unwrap();
    server.wait().unwrap();
}

/// mimalloc's arenas under khugepaged made a node's memory creep up under a steady load; the
/// binary turns transparent huge pages off for itself before anything else.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_runs_without_transparent_huge_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(&[
        "serve".to_string(),
        "--addr".into(),
        format!("127.0.0.1:{port}"),
        "--data".into(),
        tmp.path().join("data").to_string_lossy().into_owned(),
    ]);
    wait_ready(&client(), &base).await;
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.id())).unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    let thp = status
        .lines()
        .find(|l| l.starts_with("THP_enabled:"))
        .expect("the kernel reports THP_enabled");
    assert_eq!(thp.split_whitespace().nth(1), Some("0"), "{thp}");
}
