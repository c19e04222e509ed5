//! Mail: the outbox's claims and retries, opt-outs, and the queue digest.

use crate::debate::{comment, story};
use chrono::{Duration, Utc};
use newsdesk_core::comment::CommentStatus;
use newsdesk_core::store::OutboundEmail;
use newsdesk_core::{ReaderId, Role, Store};

async fn an_email_is_claimed_by_one_node_until_its_claim_lapses(s: &dyn Store) {
    let now = Utc::now();
    let id = s
        .enqueue_email(
            "reader@example.org",
            "A reply",
            "Someone answered you.",
            Some("https://news.example/unsubscribe"),
            now,
        )
        .await
        .unwrap();
    let claimed = s.claim_emails(now, 10).await.unwrap();
    assert_eq!(
        claimed,
        vec![OutboundEmail {
            id,
            recipient: "reader@example.org".into(),
            subject: "A reply".into(),
            body: "Someone answered you.".into(),
            unsubscribe_url: Some("https://news.example/unsubscribe".into()),
        }]
    );
    assert!(
        s.claim_emails(now, 10).await.unwrap().is_empty(),
        "claimed already"
    );
    assert!(
        s.claim_emails(now + Duration::seconds(59), 10)
            .await
            .unwrap()
            .is_empty(),
        "a claim holds for a minute"
    );
    let lapsed = now + Duration::seconds(61);
    assert_eq!(s.claim_emails(lapsed, 10).await.unwrap().len(), 1);
    s.finish_email(id, Ok(()), lapsed).await.unwrap();
    let much_later = now + Duration::hours(1);
    assert!(
        s.claim_emails(much_later, 10).await.unwrap().is_empty(),
        "sent"
    );
}

async fn a_failing_email_is_tried_five_times_at_most(s: &dyn Store) {
    let start = Utc::now();
    let id = s
        .enqueue_email("reader@example.org", "Subject", "Body", None, start)
        .await
        .unwrap();
    for attempt in 0..5 {
        let at = start + Duration::minutes(2 * attempt);
        let claimed = s.claim_emails(at, 10).await.unwrap();
        assert_eq!(claimed.len(), 1, "attempt {attempt}");
        s.finish_email(id, Err("connection refused".into()), at)
            .await
            .unwrap();
    }
    let after = start + Duration::hours(1);
    assert!(s.claim_emails(after, 10).await.unwrap().is_empty());
}

async fn an_opted_out_address_is_known_whatever_its_case_and_gets_no_reply_emails(s: &dyn Store) {
    let a = story(s, "mailed").await;
    let c = s
        .add_comment(comment(a.id, "r1", CommentStatus::Published))
        .await
        .unwrap();
    assert!(c.notify_replies);
    assert!(!s.opted_out("ada@example.org").await.unwrap());
    s.opt_out(" Ada@Example.org", Utc::now()).await.unwrap();
    s.opt_out("ada@example.org", Utc::now()).await.unwrap();
    assert!(s.opted_out("ADA@example.ORG").await.unwrap());
    assert!(!s.find_comment(c.id).await.unwrap().unwrap().notify_replies);
}

async fn the_queue_digest_is_claimed_once_per_batch_of_newly_held_comments(s: &dyn Store) {
    let now = Utc::now();
    s.create_user("mod@example.org", "h", Role::Moderator, true, now)
        .await
        .unwrap();
    s.create_user("quiet@example.org", "h", Role::Moderator, false, now)
        .await
        .unwrap();
    s.create_user("editor@example.org", "h", Role::Editor, true, now)
        .await
        .unwrap();
    assert_eq!(
        s.queue_subscribers().await.unwrap(),
        vec!["mod@example.org".to_string()]
    );
    assert_eq!(s.claim_queue_digest().await.unwrap(), None, "nothing held");
    let a = story(s, "digest").await;
    let first = s
        .add_comment(comment(a.id, "r1", CommentStatus::Held))
        .await
        .unwrap();
    let second = s
        .add_comment(comment(a.id, "r2", CommentStatus::Held))
        .await
        .unwrap();
    assert_eq!(
        s.claim_queue_digest().await.unwrap(),
        Some((2, second.id.0))
    );
    assert_eq!(s.claim_queue_digest().await.unwrap(), None, "sent already");
    let third = s
        .add_comment(comment(a.id, "r3", CommentStatus::Held))
        .await
        .unwrap();
    assert!(third.id.0 > first.id.0);
    assert_eq!(s.claim_queue_digest().await.unwrap(), Some((1, third.id.0)));
}

/// One of Ana's reply emails of the day, about `reader`'s comment, two a day at most.
async fn take(s: &dyn Store, reader: &ReaderId, at: chrono::DateTime<Utc>) -> bool {
    s.take_reply_email("ana@example.org", reader, at, 2)
        .await
        .unwrap()
}

async fn reply_emails_need_a_confirmed_address_and_stop_at_the_day_s_count(s: &dyn Store) {
    let now = Utc::now();
    let ana = ReaderId("ana".into());
    let stranger = ReaderId("stranger".into());
    assert!(!take(s, &ana, now).await, "never asked");
    assert!(s
        .ask_reply_emails("Ana@Example.org", &ana, now)
        .await
        .unwrap());
    assert!(
        !s.ask_reply_emails("ana@example.org", &ana, now)
            .await
            .unwrap(),
        "one confirmation for a reader's ask"
    );
    assert!(
        !s.ask_reply_emails("ana@example.org", &stranger, now)
            .await
            .unwrap(),
        "and one a day for the address, whoever asks"
    );
    assert!(!take(s, &ana, now).await, "asked, not confirmed");
    assert!(!s
        .confirm_reply_emails("bo@example.org", &ana, now)
        .await
        .unwrap());
    assert!(s
        .confirm_reply_emails("ANA@example.org", &ana, now)
        .await
        .unwrap());
    assert!(
        !take(s, &stranger, now).await,
        "a stranger's comments with Ana's address send her nothing"
    );
    assert!(take(s, &ana, now).await);
    assert!(take(s, &ana, now).await);
    assert!(!take(s, &ana, now).await, "two a day");
    let tomorrow = now + chrono::Duration::days(1);
    assert!(take(s, &ana, tomorrow).await);
    s.opt_out("ana@example.org", tomorrow).await.unwrap();
    assert!(
        !take(s, &ana, tomorrow).await,
        "an opt-out wins over the confirmation"
    );
}

on_both_stores!(
    an_email_is_claimed_by_one_node_until_its_claim_lapses,
    a_failing_email_is_tried_five_times_at_most,
    an_opted_out_address_is_known_whatever_its_case_and_gets_no_reply_emails,
    the_queue_digest_is_claimed_once_per_batch_of_newly_held_comments,
    reply_emails_need_a_confirmed_address_and_stop_at_the_day_s_count,
);
