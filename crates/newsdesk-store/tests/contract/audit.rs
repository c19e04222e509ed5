//! The audit log: lines read back newest first, filtered by who, what and when; and the
//! database itself refuses to change or remove a line.

use crate::helpers::{Backend, TestDb};
use chrono::{Duration, Utc};
use newsdesk_core::audit::{AuditAction, AuditFilter, NewAuditEntry};
use newsdesk_core::store::AuditStore;
use newsdesk_core::Store;

fn entry(actor: &str, action: AuditAction, subject: &str) -> NewAuditEntry {
    NewAuditEntry {
        actor: actor.into(),
        action,
        subject: subject.into(),
        detail: "status draft → published".into(),
        ip: "203.0.113.9".into(),
    }
}

async fn the_log_reads_back_newest_first_and_filters_by_who_what_and_when(s: &dyn Store) {
    let t0 = Utc::now() - Duration::hours(2);
    s.record_audit(
        &entry(
            "user:ana@example.org",
            AuditAction::StoryCreated,
            "rail-strike",
        ),
        t0,
    )
    .await
    .unwrap();
    s.record_audit(
        &entry(
            "user:ben@example.org",
            AuditAction::StoryPublished,
            "rail-strike",
        ),
        t0 + Duration::hours(1),
    )
    .await
    .unwrap();
    s.record_audit(
        &entry("token:7", AuditAction::PictureUploaded, "0123abcd"),
        Utc::now(),
    )
    .await
    .unwrap();
    s.record_audit(
        &entry("user:50%_off\0", AuditAction::SignInFailed, "x"),
        Utc::now(),
    )
    .await
    .unwrap();
    let all = s
        .audit_entries(&AuditFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(all[3].action, "story.created", "oldest last");
    assert_eq!(all[3].ip, "203.0.113.9");
    assert_eq!(
        all[0].actor, "user:50%_off\u{FFFD}",
        "text that cannot be kept is marked, not lost"
    );
    let stories = s
        .audit_entries(&AuditFilter {
            action: Some("story.".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(stories.len(), 2);
    let ben = s
        .audit_entries(&AuditFilter {
            actor: Some("ben@".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(ben.len(), 1);
    assert_eq!(ben[0].action, "story.published");
    let wild = s
        .audit_entries(&AuditFilter {
            actor: Some("%".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(wild.len(), 1, "% is matched as itself");
    let early = s
        .audit_entries(&AuditFilter {
            until: Some(t0 + Duration::minutes(30)),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(early.len(), 1);
    let page2 = s
        .audit_entries(&AuditFilter {
            before_id: Some(all[1].id),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page2.len(), 2);
}

on_both_stores!(the_log_reads_back_newest_first_and_filters_by_who_what_and_when);

async fn no_one_can_change_or_remove_a_line(backend: Backend) {
    use sqlx::Executor;
    let db = TestDb::open(backend).await;
    db.store
        .record_audit(
            &entry("user:ana@example.org", AuditAction::SignedIn, "ana"),
            Utc::now(),
        )
        .await
        .unwrap();
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
    for sql in [
        "DELETE FROM audit_log",
        "UPDATE audit_log SET actor = 'someone else'",
    ] {
        let err = pool.execute(sql).await.expect_err(sql).to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    let left = db
        .store
        .audit_entries(&AuditFilter {
            limit: 5,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(left[0].actor, "user:ana@example.org");
    pool.close().await;
    db.store.close().await;
}

#[tokio::test]
async fn no_one_can_change_or_remove_a_line_on_sqlite() {
    no_one_can_change_or_remove_a_line(Backend::Sqlite).await;
}

#[tokio::test]
async fn no_one_can_change_or_remove_a_line_on_postgres() {
    no_one_can_change_or_remove_a_line(Backend::Postgres).await;
}
