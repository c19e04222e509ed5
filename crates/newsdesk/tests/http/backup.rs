//! Backups: a copy taken while comments keep coming holds every comment acknowledged before
//! it began, passes SQLite's integrity check, and restores into an empty data folder that a
//! server then serves.

use crate::helpers::{story, Backend, TestApp};
use serde_json::json;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

fn newsdesk(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(args)
        .env("NEWSDESK_LOG", "warn")
        .env_remove("NEWSDESK_DATA")
        .output()
        .expect("the binary runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_a_stream_of_comments_holds_every_acknowledged_one() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.create(story("Harbour bridge to close")).await;
    let acked: Arc<Mutex<Vec<i64>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (client, url) = (
            app.client.clone(),
            app.url("/api/v1/articles/harbour-bridge-to-close/comments"),
        );
        let (acked, stop) = (acked.clone(), stop.clone());
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let r = client
                    .post(&url)
                    .json(&json!({"name": "Bo", "body": format!("Comment number {n} on the bridge.")}))
                    .send()
                    .await
                    .unwrap();
                if r.status().as_u16() == 201 {
                    let body: serde_json::Value = r.json().await.unwrap();
                    acked.lock().unwrap().push(body["id"].as_i64().unwrap());
                }
            }
        })
    };
    while acked.lock().unwrap().len() < 30 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let before: Vec<i64> = acked.lock().unwrap().clone();
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join("backup");
    let data = app.data_dir.to_str().unwrap().to_string();
    let to_s = to.to_str().unwrap().to_string();
    let out =
        tokio::task::spawn_blocking(move || newsdesk(&["backup", "--to", &to_s, "--data", &data]))
            .await
            .unwrap();
    let after = acked.lock().unwrap().len();
    stop.store(true, Ordering::Relaxed);
    writer.await.unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("SQLite's check: ok"));
    assert!(
        after > before.len(),
        "comments kept coming while the backup ran"
    );
    assert_eq!(
        newsdesk_store::sqlite_integrity(&to.join("newsdesk.db"))
            .await
            .unwrap(),
        "ok"
    );

    let again = newsdesk(&[
        "backup",
        "--to",
        to.to_str().unwrap(),
        "--data",
        app.data_dir.to_str().unwrap(),
    ]);
    assert!(
        !again.status.success(),
        "a backup is never written over another"
    );
    assert!(String::from_utf8_lossy(&again.stderr).contains("--to"));

    let restored = dir.path().join("restored");
    let out = newsdesk(&[
        "restore",
        "--from",
        to.to_str().unwrap(),
        "--data",
        restored.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let refused = newsdesk(&[
        "restore",
        "--from",
        to.to_str().unwrap(),
        "--data",
        restored.to_str().unwrap(),
    ]);
    assert!(!refused.status.success(), "a restore never lands on a site");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--data"));

    let node = TestApp::spawn_with(Backend::Sqlite, |c| c.data_dir = restored.clone()).await;
    for id in &before {
        let c = node
            .store
            .find_comment(newsdesk_core::CommentId(*id))
            .await
            .unwrap();
        assert!(
            c.is_some(),
            "comment {id}, acknowledged before the backup began, is in it"
        );
    }
    let (status, page) = node.get_text("/news/harbour-bridge-to-close").await;
    assert_eq!(status, 200);
    assert!(page.contains("Comment number 1 on the bridge."));
}
