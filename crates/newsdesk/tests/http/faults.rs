//! Faults a server meets in production (issue 15): a disk that fills up while comments arrive.
//! The disk is a small tmpfs the test mounts (the tests run as root, as CI does).

use crate::helpers::{comment, story, Backend, Reader, TestApp};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const API: &str = "/api/v1/articles/harbour-bridge-to-close";
const STORY: &str = "/news/harbour-bridge-to-close";

/// A size-limited filesystem, unmounted when dropped.
struct SmallDisk {
    path: PathBuf,
    _dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(megabytes: u32) -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_path_buf();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(&path)
            .status()
            .expect("mount runs");
        assert!(
            status.success(),
            "cannot mount a tmpfs (the tests run as root)"
        );
        SmallDisk { path, _dir: dir }
    }

    /// Fills what is left of the disk with one file.
    fn fill(&self) -> PathBuf {
        let filler = self.path.join("filler");
        let mut f = std::fs::File::create(&filler).unwrap();
        let chunk = vec![0u8; 64 * 1024];
        while f.write_all(&chunk).is_ok() {}
        // Whatever is left in smaller pieces.
        let byte = [0u8; 512];
        while f.write_all(&byte).is_ok() {}
        let _ = f.sync_all();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

async fn post(reader: &mut Reader<'_>, i: usize) -> (u16, Value) {
    let body = format!("Comment {i} while the disk fills. {}", "words ".repeat(600));
    let (status, answer) = reader
        .post_json(&format!("{API}/comments"), &comment("Filler", &body))
        .await;
    (status, answer)
}

async fn ids_listed(app: &TestApp) -> Vec<i64> {
    let mut ids = Vec::new();
    for page in 1..=20 {
        let (status, list) = app
            .get_json(&format!("{API}/comments?per_page=100&page={page}"), None)
            .await;
        assert_eq!(status, 200);
        let items = list["items"].as_array().unwrap();
        if items.is_empty() {
            break;
        }
        ids.extend(items.iter().map(|c| c["id"].as_i64().unwrap()));
    }
    ids
}

fn used(path: &Path) -> String {
    let out = Command::new("df").arg("-k").arg(path).output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap_or("")
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_answers_503_keeps_reading_and_writes_again_when_space_returns() {
    let disk = SmallDisk::mount(32);
    let data = disk.path.join("data");
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.data_dir = data).await;
    app.create(story("Harbour bridge to close")).await;
    let mut reader = Reader::new(&app);
    let mut acknowledged = Vec::new();
    for i in 0..5 {
        let (status, c) = post(&mut reader, i).await;
        assert_eq!(status, 201, "{c}");
        acknowledged.push(c["id"].as_i64().unwrap());
    }
    let filler = disk.fill();
    let full = used(&disk.path);
    // Comments keep arriving: each is taken (while the database has room inside) or refused
    // with 503 and Retry-After; never a 500, never a half-written one.
    let mut refused = 0;
    for i in 5..60 {
        let (status, c) = post(&mut reader, i).await;
        match status {
            201 => acknowledged.push(c["id"].as_i64().unwrap()),
            503 => {
                refused += 1;
                assert_eq!(c["error"], "unavailable", "{c}");
            }
            other => panic!("comment {i} on a full disk answered {other}: {c} ({full})"),
        }
    }
    assert!(refused > 0, "the disk never filled: {full}");
    let r = app
        .client
        .post(app.url(&format!("{API}/comments")))
        .json(&comment("Filler", "One more while full."))
        .send()
        .await
        .unwrap();
    if r.status() == 503 {
        assert_eq!(r.headers()["retry-after"], "5");
    }
    // Reads go on.
    let (status, _) = app.get_text(STORY).await;
    assert_eq!(status, 200);
    let listed = ids_listed(&app).await;
    for id in &acknowledged {
        assert!(listed.contains(id), "acknowledged comment {id} is missing");
    }
    // Space returns: writing resumes by itself.
    std::fs::remove_file(&filler).unwrap();
    let mut resumed = false;
    for i in 60..110 {
        let (status, c) = post(&mut reader, i).await;
        if status == 201 {
            acknowledged.push(c["id"].as_i64().unwrap());
            resumed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(resumed, "writing did not resume once space returned");
    let listed = ids_listed(&app).await;
    for id in &acknowledged {
        assert!(listed.contains(id), "acknowledged comment {id} is missing");
    }
    assert_eq!(
        listed.len(),
        acknowledged.len(),
        "nothing unacknowledged was kept"
    );
}
