//! PostgreSQL restarting under load (issue 15): the server answers 503 meanwhile instead of
//! hanging, `/healthz` says unhealthy, it reconnects by itself, and no acknowledged comment is
//! lost. The database is a private cluster the test makes on a port of its own, so the shared
//! one the other tests use is never stopped.

use crate::crash::{client, start, token, wait_ready};
use crate::helpers::{free_port, story};
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A PostgreSQL cluster of the test's own, run as the `postgres` user; gone when dropped.
struct PrivateCluster {
    data: PathBuf,
    port: u16,
    _dir: tempfile::TempDir,
}

fn bin(name: &str) -> PathBuf {
    let versions = std::fs::read_dir("/usr/lib/postgresql").expect("PostgreSQL is installed");
    let version = versions.flatten().map(|e| e.path()).max().unwrap();
    version.join("bin").join(name)
}

fn as_postgres(program: &PathBuf, args: &[&str]) {
    let out = Command::new("runuser")
        .args(["-u", "postgres", "--"])
        .arg(program)
        .args(args)
        .output()
        .expect("runuser runs (the tests run as root)");
    assert!(
        out.status.success(),
        "{} {args:?}: {}",
        program.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl PrivateCluster {
    fn create() -> PrivateCluster {
        let dir = tempfile::tempdir().unwrap();
        let status = Command::new("chown")
            .args(["postgres:postgres"])
            .arg(dir.path())
            .status()
            .unwrap();
        assert!(status.success());
        let data = dir.path().join("data");
        as_postgres(
            &bin("initdb"),
            &[
                "-D",
                data.to_str().unwrap(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
            ],
        );
        let cluster = PrivateCluster {
            data,
            port: free_port(),
            _dir: dir,
        };
        cluster.start();
        cluster
    }

    fn pg_ctl(&self, args: &[&str]) {
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -k {}",
            self.port,
            self.data.parent().unwrap().display()
        );
        let log = self.data.parent().unwrap().join("log");
        let mut all = vec![
            "-D",
            self.data.to_str().unwrap(),
            "-o",
            &options,
            "-l",
            log.to_str().unwrap(),
            "-w",
        ];
        all.extend_from_slice(args);
        as_postgres(&bin("pg_ctl"), &all);
    }

    fn start(&self) {
        self.pg_ctl(&["start"]);
    }

    /// A fast shutdown: sessions are ended (the server sees 57P01), nothing new connects.
    fn stop(&self) {
        self.pg_ctl(&["stop", "-m", "fast"]);
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        let _ = Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(bin("pg_ctl"))
            .args(["-D", self.data.to_str().unwrap(), "stop", "-m", "immediate"])
            .output();
    }
}

/// What one comment request came to, and how long it took.
struct Outcome {
    status: u16,
    id: Option<i64>,
    retry_after: bool,
    took: Duration,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_restarting_under_load_loses_no_acknowledged_comment_and_hangs_no_request() {
    let cluster = PrivateCluster::create();
    let url = format!("postgres://postgres@127.0.0.1:{}/postgres", cluster.port);
    let files = tempfile::tempdir().unwrap();
    let store = vec![
        "--database".to_string(),
        url,
        "--data".into(),
        files.path().to_string_lossy().into_owned(),
    ];
    let editor = token("editor", &store);
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let serve = [
        vec![
            "serve".to_string(),
            "--addr".into(),
            format!("127.0.0.1:{port}"),
        ],
        store.clone(),
    ]
    .concat();
    let http = client();
    let mut server = start(&serve);
    wait_ready(&http, &base).await;
    let r = http
        .post(format!("{base}/api/v1/articles"))
        .bearer_auth(&editor)
        .json(&story("Restart story"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);

    // Four writers post comments without pause through the restart.
    let stop = Arc::new(AtomicBool::new(false));
    let outcomes = Arc::new(Mutex::new(Vec::<Outcome>::new()));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (http, stop, outcomes) = (http.clone(), stop.clone(), outcomes.clone());
            let url = format!("{base}/api/v1/articles/restart-story/comments");
            tokio::spawn(async move {
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    i += 1;
                    let began = Instant::now();
                    let body = serde_json::json!({"name": "Steady", "body": format!("Writer {w}, comment {i}")});
                    let outcome = match http.post(&url).json(&body).send().await {
                        Ok(r) => {
                            let status = r.status().as_u16();
                            let retry_after = r.headers().contains_key("retry-after");
                            let answer: serde_json::Value = r.json().await.unwrap_or_default();
                            Outcome {
                                status,
                                id: answer["id"].as_i64().filter(|_| status == 201),
                                retry_after,
                                took: began.elapsed(),
                            }
                        }
                        Err(e) => panic!("a comment request failed without an answer: {e}"),
                    };
                    let refused = outcome.status != 201;
                    outcomes.lock().unwrap().push(outcome);
                    if refused {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                }
            })
        })
        .collect();
    let acknowledged = |outcomes: &Mutex<Vec<Outcome>>| {
        outcomes
            .lock()
            .unwrap()
            .iter()
            .filter(|o| o.id.is_some())
            .count()
    };
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = acknowledged(&outcomes);
    assert!(before > 0, "no comment was taken before the restart");

    cluster.stop();
    let mut unhealthy = 0;
    for _ in 0..6 {
        let began = Instant::now();
        let r = http.get(format!("{base}/healthz")).send().await.unwrap();
        assert!(began.elapsed() < Duration::from_secs(15), "/healthz hung");
        if r.status().as_u16() == 503 {
            unhealthy += 1;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(
        unhealthy >= 5,
        "/healthz said healthy while PostgreSQL was down"
    );
    let during = acknowledged(&outcomes);
    cluster.start();

    let back = Instant::now();
    loop {
        let r = http.get(format!("{base}/healthz")).send().await.unwrap();
        if r.status().is_success() {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(30),
            "the server did not reconnect"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let resumed = Instant::now();
    while acknowledged(&outcomes) < during + 20 {
        assert!(
            resumed.elapsed() < Duration::from_secs(30),
            "comments were not taken again after PostgreSQL came back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }

    let outcomes = std::mem::take(&mut *outcomes.lock().unwrap());
    let refused: Vec<&Outcome> = outcomes.iter().filter(|o| o.status != 201).collect();
    assert!(!refused.is_empty(), "no request met the database down");
    for o in &refused {
        assert_eq!(
            o.status, 503,
            "a request while PostgreSQL was down got {}",
            o.status
        );
        assert!(o.retry_after, "a 503 without Retry-After");
    }
    let slowest = outcomes.iter().map(|o| o.took).max().unwrap();
    eprintln!(
        "PostgreSQL restart: {} comments acknowledged, {} answered 503, slowest answer {slowest:?}",
        outcomes.len() - refused.len(),
        refused.len()
    );
    assert!(
        slowest < Duration::from_secs(15),
        "a request took {slowest:?} while PostgreSQL restarted"
    );
    let mut taken: Vec<i64> = outcomes.iter().filter_map(|o| o.id).collect();
    taken.sort();
    let mut stored = Vec::new();
    for page in 1.. {
        let list: serde_json::Value = http
            .get(format!(
                "{base}/api/v1/articles/restart-story/comments?per_page=100&page={page}"
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let items = list["items"].as_array().unwrap();
        if items.is_empty() {
            break;
        }
        stored.extend(items.iter().map(|c| c["id"].as_i64().unwrap()));
    }
    stored.sort();
    assert_eq!(
        stored, taken,
        "the stored comments are exactly the acknowledged ones"
    );
    server.kill().unwrap();
    server.wait().unwrap();
}
