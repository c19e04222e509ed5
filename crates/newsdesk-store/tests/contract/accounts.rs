//! Accounts: one account per email, sessions that expire, failed logins, and API tokens.

use chrono::{Duration, Utc};
use newsdesk_core::store::SessionOrigin;
use newsdesk_core::{Conflict, Role, Store, StoreError};

async fn a_second_account_with_the_same_email_is_an_email_conflict(s: &dyn Store) {
    let user = s
        .create_user(
            "Editor@Example.org",
            "hash",
            Role::Editor,
            false,
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(user.email, "editor@example.org");
    let again = s
        .create_user(
            " editor@example.ORG",
            "other",
            Role::Admin,
            true,
            Utc::now(),
        )
        .await;
    match again {
        Err(StoreError::Conflict(Conflict::Email(email))) => {
            assert_eq!(email, "editor@example.org")
        }
        other => panic!("expected an email conflict, got {other:?}"),
    }
    let (found, hash) = s
        .find_user_by_email("EDITOR@example.org")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((found, hash.as_str()), (user, "hash"));
}

async fn a_session_is_found_until_it_expires_or_is_deleted(s: &dyn Store) {
    let user = s
        .create_user("mod@example.org", "hash", Role::Moderator, true, Utc::now())
        .await
        .unwrap();
    let now = Utc::now();
    s.create_session(
        "session-hash",
        user.id,
        "csrf",
        &SessionOrigin::default(),
        now,
        now + Duration::hours(1),
    )
    .await
    .unwrap();
    let (found, csrf) = s.find_session("session-hash", now).await.unwrap().unwrap();
    assert_eq!((found.id, csrf.as_str()), (user.id, "csrf"));
    assert!(s
        .find_session("session-hash", now + Duration::hours(2))
        .await
        .unwrap()
        .is_none());
    s.delete_session("session-hash").await.unwrap();
    assert!(s.find_session("session-hash", now).await.unwrap().is_none());
}

async fn failed_logins_count_up_until_cleared(s: &dyn Store) {
    assert_eq!(s.login_failures("ip:192.0.2.1").await.unwrap().0, 0);
    let at = Utc::now();
    s.record_login_failure("ip:192.0.2.1", at).await.unwrap();
    s.record_login_failure("ip:192.0.2.1", at).await.unwrap();
    let (count, last) = s.login_failures("ip:192.0.2.1").await.unwrap();
    assert_eq!((count, last.timestamp_millis()), (2, at.timestamp_millis()));
    s.clear_login_failures("ip:192.0.2.1").await.unwrap();
    assert_eq!(s.login_failures("ip:192.0.2.1").await.unwrap().0, 0);
}

async fn a_token_is_found_by_its_hash_and_a_reused_hash_is_not_called_a_slug(s: &dyn Store) {
    let id = s
        .create_token(
            "hash-1",
            Role::Author,
            "newsroom laptop",
            None,
            None,
            Utc::now(),
        )
        .await
        .unwrap();
    let record = s.find_token("hash-1", Utc::now()).await.unwrap().unwrap();
    assert_eq!(
        (record.id, record.role, record.label.as_str()),
        (id, Role::Author, "newsroom laptop")
    );
    assert!(s.find_token("hash-2", Utc::now()).await.unwrap().is_none());
    let again = s
        .create_token("hash-1", Role::Admin, "copy", None, None, Utc::now())
        .await;
    assert!(
        matches!(again, Err(StoreError::Conflict(Conflict::Unnamed(_)))),
        "{again:?}"
    );
}

async fn of_login_attempts_racing_on_one_count_only_one_is_counted(s: &dyn Store) {
    let now = Utc::now();
    let key = "pair:ana@example.org|192.0.2.7";
    let (a, b, c) = tokio::join!(
        s.count_login_attempt(key, 0, now),
        s.count_login_attempt(key, 0, now),
        s.count_login_attempt(key, 0, now),
    );
    let won = [a.unwrap(), b.unwrap(), c.unwrap()];
    assert_eq!(won.iter().filter(|w| **w).count(), 1, "{won:?}");
    assert_eq!(s.login_failures(key).await.unwrap().0, 1);
    assert!(
        !s.count_login_attempt(key, 0, now).await.unwrap(),
        "the count moved on"
    );
    assert!(s.count_login_attempt(key, 1, now).await.unwrap());
    assert_eq!(s.login_failures(key).await.unwrap().0, 2);
}

on_both_stores!(
    of_login_attempts_racing_on_one_count_only_one_is_counted,
    a_second_account_with_the_same_email_is_an_email_conflict,
    a_session_is_found_until_it_expires_or_is_deleted,
    failed_logins_count_up_until_cleared,
    a_token_is_found_by_its_hash_and_a_reused_hash_is_not_called_a_slug,
);
