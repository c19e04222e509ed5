//! A restarted node relates stories by content from the index it kept in its data folder,
//! and a damaged copy of that index is built again, never trusted.

use crate::crash::{client, wait_ready};
use crate::helpers::free_port;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn start_logged(args: &[String], log: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(args)
        .env("NEWSDESK_LOG", "info,sqlx=warn")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap()
}

fn stop(mut server: Child) {
    let status = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(server.wait().unwrap().success());
}

/// Waits until the server's log says `line`, and gives the whole log.
async fn wait_for_log(log: &Path, line: &str) -> String {
    for _ in 0..300 {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if text.contains(line) {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the log never said {line:?}:\n{}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

async fn related(client: &reqwest::Client, base: &str, slug: &str) -> Vec<String> {
    let found: serde_json::Value = client
        .get(format!("{base}/api/v1/articles/{slug}/related?limit=5"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["slug"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_node_relates_stories_from_its_kept_index_and_rebuilds_a_damaged_one() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = client();
    let args: Vec<String> = ["serve", "--addr", &format!("127.0.0.1:{port}"), "--data"]
        .iter()
        .map(|s| s.to_string())
        .chain([data.to_string_lossy().into_owned()])
        .collect();
    let first_log = tmp.path().join("first.log");
    let server = start_logged(&[args.clone(), vec!["--demo".into()]].concat(), &first_log);
    wait_ready(&client, &base).await;
    wait_for_log(&first_log, "built the related-stories index").await;
    let kept = data.join("related.idx");
    for _ in 0..100 {
        if kept.exists() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&kept).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "readable by its owner only");
    }
    let slug = "rail-strike-halts-commuter-lines";
    let before = related(&client, &base, slug).await;
    assert_eq!(before.len(), 5, "{before:?}");
    stop(server);

    let second_log = tmp.path().join("second.log");
    let server = start_logged(&args, &second_log);
    wait_ready(&client, &base).await;
    let log = wait_for_log(&second_log, "loaded the kept related-stories index").await;
    assert!(
        !log.contains("built the related-stories index"),
        "the kept index was not used:\n{log}"
    );
    assert_eq!(related(&client, &base, slug).await, before);
    stop(server);

    // A damaged copy: the index is built from the stories, with the same answers.
    let mut bytes = std::fs::read(&kept).unwrap();
    let middle = bytes.len() / 2;
    bytes.truncate(middle);
    std::fs::write(&kept, &bytes).unwrap();
    let third_log = tmp.path().join("third.log");
    let server = start_logged(&args, &third_log);
    wait_ready(&client, &base).await;
    let log = wait_for_log(&third_log, "built the related-stories index").await;
    assert!(
        log.contains("the kept related-stories index cannot be used"),
        "{log}"
    );
    // Built afresh, its document counts differ a little from an index kept in step with
    // changes, so near-equal stories may trade places; the closest ones do not.
    let rebuilt = related(&client, &base, slug).await;
    assert_eq!(rebuilt.len(), 5, "{rebuilt:?}");
    assert_eq!(rebuilt[..3], before[..3], "{rebuilt:?} against {before:?}");
    stop(server);
}
