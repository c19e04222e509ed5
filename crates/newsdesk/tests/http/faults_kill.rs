//! `kill -9` in the middle of work (issue 15): a burst of comments, a story import and a
//! moderation batch are each whole or absent after a restart, never half, on both stores.

use crate::crash::{client, start, token, wait_ready};
use crate::helpers::{free_port, story, PgDatabase};
use serde_json::{json, Value};
use std::process::{Child, Command};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A node on a store of its own, killed and started again by the test.
struct Node {
    store: Vec<String>,
    base: String,
    serve: Vec<String>,
    server: Option<Child>,
    http: reqwest::Client,
    _files: tempfile::TempDir,
    _db: Option<PgDatabase>,
}

impl Node {
    async fn new(postgres: bool) -> Node {
        let files = tempfile::tempdir().unwrap();
        let data = files.path().join("data").to_string_lossy().into_owned();
        let db = if postgres {
            Some(PgDatabase::create().await)
        } else {
            None
        };
        let mut store = vec!["--data".to_string(), data];
        if let Some(db) = &db {
            store.extend(["--database".to_string(), db.url.clone()]);
        }
        let port = free_port();
        let serve = [
            vec![
                "serve".to_string(),
                "--addr".into(),
                format!("127.0.0.1:{port}"),
            ],
            store.clone(),
        ]
        .concat();
        Node {
            store,
            base: format!("http://127.0.0.1:{port}"),
            serve,
            server: None,
            http: client(),
            _files: files,
            _db: db,
        }
    }

    async fn start(&mut self) {
        self.server = Some(start(&self.serve));
        wait_ready(&self.http, &self.base).await;
    }

    fn kill(&mut self) {
        let mut server = self.server.take().unwrap();
        server.kill().unwrap(); // SIGKILL: no shutdown, no flush
        server.wait().unwrap();
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Value {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        let r = request.send().await.unwrap();
        assert!(r.status().is_success(), "GET {path}: {}", r.status());
        r.json().await.unwrap()
    }

    async fn create_story(&self, editor: &str, headline: &str) {
        let r = self
            .http
            .post(format!("{}/api/v1/articles", self.base))
            .bearer_auth(editor)
            .json(&story(headline))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 201);
    }

    /// Every comment on a story as the API lists it, and the story's own count.
    async fn comments(&self, slug: &str) -> (Vec<Value>, i64) {
        let mut all = Vec::new();
        for page in 1.. {
            let list = self
                .get(
                    &format!("/api/v1/articles/{slug}/comments?per_page=100&page={page}"),
                    None,
                )
                .await;
            let items = list["items"].as_array().unwrap().clone();
            if items.is_empty() {
                break;
            }
            all.extend(items);
        }
        let story = self.get(&format!("/api/v1/articles/{slug}"), None).await;
        (all, story["comment_count"].as_i64().unwrap())
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        if let Some(mut s) = self.server.take() {
            let _ = s.kill();
            let _ = s.wait();
        }
    }
}

fn burst_body(i: usize) -> String {
    format!(
        "Burst comment {i}. {}",
        "A whole sentence, kept whole. ".repeat(40)
    )
}

async fn a_burst_of_comments_is_whole_after_kill_9(postgres: bool) {
    let mut node = Node::new(postgres).await;
    let editor = token("editor", &node.store);
    node.start().await;
    node.create_story(&editor, "Burst story").await;
    let taken = Arc::new(AtomicUsize::new(0));
    let posts: Vec<_> = (0..400)
        .map(|i| {
            let (http, taken) = (node.http.clone(), taken.clone());
            let url = format!("{}/api/v1/articles/burst-story/comments", node.base);
            tokio::spawn(async move {
                let body = json!({"name": "Burst", "body": burst_body(i)});
                let answer = http.post(url).json(&body).send().await.ok()?;
                if answer.status().as_u16() != 201 {
                    return None;
                }
                let id = answer.json::<Value>().await.ok()?["id"].as_i64()?;
                taken.fetch_add(1, Ordering::SeqCst);
                Some((id, i))
            })
        })
        .collect();
    let began = Instant::now();
    while taken.load(Ordering::SeqCst) < 40 {
        assert!(
            began.elapsed() < Duration::from_secs(60),
            "the burst did not start"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    node.kill();
    let mut acknowledged = Vec::new();
    for p in posts {
        acknowledged.extend(p.await.unwrap());
    }
    assert!(
        acknowledged.len() < 400,
        "every comment was acknowledged before the kill: the kill came too late to test anything"
    );

    node.start().await;
    let (stored, count) = node.comments("burst-story").await;
    assert_eq!(
        count,
        stored.len() as i64,
        "the story's count matches its comments"
    );
    for (id, i) in &acknowledged {
        let c = stored.iter().find(|c| c["id"] == *id);
        let c = c.unwrap_or_else(|| panic!("acknowledged comment {id} was lost"));
        assert_eq!(c["body"], burst_body(*i), "comment {id} is whole");
    }
    for c in &stored {
        let body = c["body"].as_str().unwrap();
        let i: usize = body["Burst comment ".len()..body.find('.').unwrap()]
            .parse()
            .unwrap();
        assert_eq!(body, burst_body(i), "a stored comment is whole");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_in_a_burst_of_comments_keeps_each_whole_or_absent_on_sqlite() {
    a_burst_of_comments_is_whole_after_kill_9(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_in_a_burst_of_comments_keeps_each_whole_or_absent_on_postgres() {
    a_burst_of_comments_is_whole_after_kill_9(true).await;
}

/// Story files for `import stories`: many, so the import is still writing when it is killed.
fn story_files(dir: &std::path::Path, count: usize) {
    for i in 0..count {
        let text = format!(
            "+++\nslug = \"imported-{i}\"\nheadline = \"Imported story number {i}\"\n\
             standfirst = \"One of a batch imported at once.\"\nsection = \"world\"\n\
             tags = [\"batch\", \"tag-{t}\"]\nauthors = [\"Ada Imported\"]\n\
             status = \"published\"\npublished_at = \"2026-11-01T08:00:00Z\"\n+++\n{body}\n",
            t = i % 50,
            body =
                "A paragraph of the imported story, long enough to weigh something.\n\n".repeat(12)
        );
        std::fs::write(dir.join(format!("{i:05}.md")), text).unwrap();
    }
}

/// How many stories the node's store holds, asked of the binary itself.
fn stored_stories(store: &[String]) -> usize {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(["export", "stories"])
        .arg(out.path())
        .args(store)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    // Story files only: the export also copies the media folder.
    std::fs::read_dir(out.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "md")
        })
        .count()
}

/// Whether the import has begun writing: the SQLite journal has grown, or PostgreSQL runs an
/// insert for the importer.
async fn import_is_writing(node: &Node) -> bool {
    match &node._db {
        None => {
            let wal = std::path::Path::new(&node.store[1]).join("newsdesk.db-wal");
            std::fs::metadata(wal).is_ok_and(|m| m.len() > 512 * 1024)
        }
        Some(db) => {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
            let busy: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
                 AND pid <> pg_backend_pid() AND xact_start IS NOT NULL \
                 AND query ILIKE 'INSERT INTO articles%'",
            )
            .fetch_one(&mut conn)
            .await
            .unwrap();
            busy > 0
        }
    }
}

async fn an_import_is_whole_or_absent_after_kill_9(postgres: bool) {
    let mut node = Node::new(postgres).await;
    // The store exists and is migrated before the import is timed.
    node.start().await;
    node.kill();
    let files = tempfile::tempdir().unwrap();
    story_files(files.path(), 3000);
    let mut import = Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(["import", "stories"])
        .arg(files.path())
        .args(&node.store)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let began = Instant::now();
    while !import_is_writing(&node).await {
        assert!(
            import.try_wait().unwrap().is_none(),
            "the import ended before it was seen writing"
        );
        assert!(
            began.elapsed() < Duration::from_secs(120),
            "the import never wrote"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    import.kill().unwrap();
    import.wait().unwrap();
    assert_eq!(
        stored_stories(&node.store),
        0,
        "a killed import left part of its batch"
    );
    // The same import run again, whole.
    let again = Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(["import", "stories"])
        .arg(files.path())
        .args(&node.store)
        .output()
        .unwrap();
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(stored_stories(&node.store), 3000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_in_a_story_import_leaves_all_or_none_on_sqlite() {
    an_import_is_whole_or_absent_after_kill_9(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_in_a_story_import_leaves_all_or_none_on_postgres() {
    an_import_is_whole_or_absent_after_kill_9(true).await;
}

async fn a_moderation_batch_is_whole_after_kill_9(postgres: bool) {
    let mut node = Node::new(postgres).await;
    let editor = token("editor", &node.store);
    let moderator = token("moderator", &node.store);
    node.start().await;
    node.create_story(&editor, "Moderated story").await;
    let mut ids = Vec::new();
    for i in 0..300 {
        let r = node
            .http
            .post(format!(
                "{}/api/v1/articles/moderated-story/comments",
                node.base
            ))
            .json(&json!({"name": "Member", "body": format!("Comment {i} for the batch")}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 201);
        ids.push(r.json::<Value>().await.unwrap()["id"].as_i64().unwrap());
    }
    let mut unanswered = 0;
    let mut state = "published";
    for wait_ms in [0u64, 5, 10, 20, 40, 80, 160] {
        let action = if state == "published" {
            "reject"
        } else {
            "approve"
        };
        let http = node.http.clone();
        let url = format!("{}/api/v1/moderation/actions", node.base);
        let (body, m) = (
            json!({"ids": ids, "action": action, "reason": "Batch"}),
            moderator.clone(),
        );
        let batch =
            tokio::spawn(
                async move { http.post(url).bearer_auth(m).json(&body).send().await.ok() },
            );
        tokio::time::sleep(Duration::from_millis(wait_ms)).await;
        node.kill();
        if batch.await.unwrap().is_none() {
            unanswered += 1;
        }
        node.start().await;
        let (stored, count) = node.comments("moderated-story").await;
        let states: std::collections::BTreeSet<&str> = stored
            .iter()
            .map(|c| c["status"].as_str().unwrap())
            .collect();
        assert_eq!(
            states.len(),
            1,
            "a killed batch left comments in {states:?}"
        );
        let now = *states.first().unwrap();
        let published = if now == "published" { 300 } else { 0 };
        assert_eq!(count, published, "the story's count matches its comments");
        if now != state {
            let log = node.get("/api/v1/moderation/log", Some(&moderator)).await;
            let latest: Vec<&str> = log.as_array().unwrap()[..300]
                .iter()
                .map(|e| e["action"].as_str().unwrap())
                .collect();
            assert!(
                latest.iter().all(|a| *a == action),
                "the log holds the whole batch"
            );
            state = if now == "published" {
                "published"
            } else {
                "rejected"
            };
        }
    }
    assert!(unanswered > 0, "no kill came before the batch's answer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_in_a_moderation_batch_leaves_it_whole_or_absent_on_sqlite() {
    a_moderation_batch_is_whole_after_kill_9(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_in_a_moderation_batch_leaves_it_whole_or_absent_on_postgres() {
    a_moderation_batch_is_whole_after_kill_9(true).await;
}
