//! The command line's story files: import and export round-trip a site, and a bad batch
//! imports nothing.

use crate::helpers::{repo_root, PgDatabase};
use std::path::Path;
use std::process::{Command, Output};

fn newsdesk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(args)
        .env("NEWSDESK_LOG", "warn")
        .output()
        .expect("the binary runs")
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `--data DIR` or `--database URL`.
fn target<'a>(data: &'a str, pg: Option<&'a PgDatabase>) -> Vec<&'a str> {
    match pg {
        Some(db) => vec!["--database", db.url.as_str()],
        None => vec!["--data", data],
    }
}

fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_and_import_round_trip_a_site_across_both_stores() {
    let tmp = tempfile::tempdir().unwrap();
    let t = |p: &str| tmp.path().join(p).to_string_lossy().into_owned();
    let demo = repo_root().join("demo/stories");
    let pg = PgDatabase::create().await;

    // demo files -> SQLite -> export A -> PostgreSQL -> export B -> SQLite -> export C
    let out = ok(newsdesk(
        &[
            &["import", "stories", demo.to_str().unwrap()][..],
            &target(&t("a"), None),
        ]
        .concat(),
    ));
    assert!(out.contains("Imported 36 stories"), "{out}");
    ok(newsdesk(
        &[
            &["export", "stories", &t("export-a")][..],
            &target(&t("a"), None),
        ]
        .concat(),
    ));
    ok(newsdesk(
        &[
            &["import", "stories", &t("export-a")][..],
            &target("", Some(&pg)),
        ]
        .concat(),
    ));
    ok(newsdesk(
        &[
            &["export", "stories", &t("export-b")][..],
            &target("", Some(&pg)),
        ]
        .concat(),
    ));
    ok(newsdesk(
        &[
            &["import", "stories", &t("export-b")][..],
            &target(&t("c"), None),
        ]
        .concat(),
    ));
    ok(newsdesk(
        &[
            &["export", "stories", &t("export-c")][..],
            &target(&t("c"), None),
        ]
        .concat(),
    ));

    let a = files(&tmp.path().join("export-a"));
    assert_eq!(a.len(), 36);
    assert_eq!(
        a,
        files(&tmp.path().join("export-b")),
        "SQLite -> PostgreSQL lost or changed something"
    );
    assert_eq!(
        a,
        files(&tmp.path().join("export-c")),
        "PostgreSQL -> SQLite lost or changed something"
    );
    // Every field made it into the files.
    let all: String = a.iter().map(|(_, text)| text.as_str()).collect();
    for key in [
        "[hero]",
        "[[claims]]",
        "[claims.source]",
        "[[corrections]]",
        "debate = [",
        "status = \"draft\"",
        "status = \"scheduled\"",
        "updated_at =",
    ] {
        assert!(all.contains(key), "no {key} in the export");
    }
    // The body comes back byte for byte.
    let original =
        std::fs::read_to_string(demo.join("02-rail-strike-halts-commuter-lines.md")).unwrap();
    let body = original.splitn(3, "+++\n").nth(2).unwrap();
    let exported = &a
        .iter()
        .find(|(n, _)| n == "rail-strike-halts-commuter-lines.md")
        .unwrap()
        .1;
    assert!(exported.ends_with(body));
}

fn copy_demo(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(repo_root().join("demo/stories")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
    }
}

fn story_count(data: &str) -> usize {
    let out_dir = tempfile::tempdir().unwrap();
    ok(newsdesk(&[
        "export",
        "stories",
        out_dir.path().to_str().unwrap(),
        "--data",
        data,
    ]));
    std::fs::read_dir(out_dir.path()).unwrap().count()
}

/// Imports the demo with one file changed by `edit`; answers what the importer said on
/// standard error, the changed text, and how many stories the site then holds.
fn import_with_one_bad_file(edit: impl FnOnce(&str) -> String) -> (String, String, usize) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("stories");
    copy_demo(&dir);
    let victim = dir.join("05-fare-rise-vote.md");
    let changed = edit(&std::fs::read_to_string(&victim).unwrap());
    std::fs::write(&victim, &changed).unwrap();
    let data = tmp.path().join("data");
    let out = newsdesk(&[
        "import",
        "stories",
        dir.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
    ]);
    assert!(!out.status.success(), "a bad batch was accepted");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains("nothing was imported"), "{err}");
    (err, changed, story_count(data.to_str().unwrap()))
}

fn line_of(text: &str, start: &str) -> usize {
    text.lines().position(|l| l.starts_with(start)).unwrap() + 1
}

#[test]
fn a_bad_file_fails_the_whole_batch_naming_the_file_and_line() {
    let (err, text, stored) =
        import_with_one_bad_file(|t| t.replacen("section = \"", "section = ", 1));
    assert!(
        err.contains(&format!(
            "05-fare-rise-vote.md:{}:",
            line_of(&text, "section = ")
        )),
        "{err}"
    );
    assert_eq!(stored, 0);
}

#[test]
fn a_promo_to_a_missing_story_fails_the_batch_naming_the_file_and_line() {
    let (err, text, stored) =
        import_with_one_bad_file(|t| format!("{t}\n[[a-story-that-is-not-there]] REPORT\n"));
    let line = line_of(&text, "[[a-story-that-is-not-there]]");
    assert!(
        err.contains(&format!(
            "05-fare-rise-vote.md:{line}: body: promo [[a-story-that-is-not-there]]"
        )),
        "{err}"
    );
    assert_eq!(stored, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_create_prints_a_working_token_last() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().to_str().unwrap();
    let out = ok(newsdesk(&[
        "token", "create", "--role", "editor", "--data", data,
    ]));
    let token = out.lines().last().unwrap().trim().to_string();
    assert!(token.starts_with("nd_"));
    let store = newsdesk_store::SqlStore::connect(&newsdesk::config::sqlite_url(tmp.path()))
        .await
        .unwrap();
    let record = newsdesk_core::store::AccountStore::find_token(
        &store,
        &newsdesk::services::tokens::hash_token(&token),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(record.unwrap().role, newsdesk_core::Role::Editor);
    let bad = newsdesk(&["token", "create", "--role", "chief", "--data", data]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("chief"));

    // A person's token carries at most their role, and may expire.
    newsdesk::services::staff::create_user(
        &store,
        "cleo@example.org",
        "a long enough password",
        newsdesk_core::Role::Author,
        false,
    )
    .await
    .unwrap();
    let beyond = newsdesk(&[
        "token",
        "create",
        "--role",
        "admin",
        "--email",
        "cleo@example.org",
        "--data",
        data,
    ]);
    assert!(!beyond.status.success());
    assert!(
        String::from_utf8_lossy(&beyond.stderr).contains("--role"),
        "{}",
        String::from_utf8_lossy(&beyond.stderr)
    );
    ok(newsdesk(&[
        "token",
        "create",
        "--role",
        "author",
        "--email",
        "cleo@example.org",
        "--expires-days",
        "7",
        "--label",
        "cleo's phone",
        "--data",
        data,
    ]));

    let list = ok(newsdesk(&["token", "list", "--data", data]));
    let system = list
        .lines()
        .find(|l| l.contains("(system)"))
        .expect("the system token is listed");
    assert!(
        system.contains("editor") && system.contains("live"),
        "{list}"
    );
    let cleo = list
        .lines()
        .find(|l| l.contains("cleo@example.org"))
        .expect("cleo's token is listed");
    assert!(
        cleo.contains("cleo's phone") && cleo.contains("author"),
        "{list}"
    );
    let id = system.split_whitespace().next().unwrap().to_string();
    ok(newsdesk(&["token", "revoke", &id, "--data", data]));
    let gone = newsdesk_core::store::AccountStore::find_token(
        &store,
        &newsdesk::services::tokens::hash_token(&token),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    assert!(gone.is_none(), "a revoked token is refused");
    let again = newsdesk(&["token", "revoke", &id, "--data", data]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains(&id));
    let list = ok(newsdesk(&["token", "list", "--data", data]));
    assert!(
        list.lines()
            .any(|l| l.starts_with(&format!("{id:>5}")) && l.contains("revoked")),
        "{list}"
    );
    let audit = newsdesk_core::store::AuditStore::audit_entries(
        &store,
        &newsdesk_core::audit::AuditFilter {
            actor: Some("cli".into()),
            limit: 10,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(
        audit.iter().any(|e| e.action == "token.revoked"),
        "{audit:?}"
    );
}
