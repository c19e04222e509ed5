//! Shared secrets: the first proposal wins, for every node.

use newsdesk_core::Store;

async fn the_first_proposed_secret_is_what_every_later_caller_gets(s: &dyn Store) {
    let first = s.shared_secret("reader_keys", "first").await.unwrap();
    assert_eq!(first, "first");
    assert_eq!(
        s.shared_secret("reader_keys", "second").await.unwrap(),
        "first"
    );
    assert_eq!(
        s.shared_secret("other_key", "its own").await.unwrap(),
        "its own",
        "each name keeps a secret of its own"
    );
}

async fn callers_proposing_at_once_all_get_one_secret(s: &dyn Store) {
    // All four are in flight together, as nodes starting at once would send them.
    let (a, b, c, d) = tokio::join!(
        s.shared_secret("signing_key", "from a"),
        s.shared_secret("signing_key", "from b"),
        s.shared_secret("signing_key", "from c"),
        s.shared_secret("signing_key", "from d"),
    );
    let answers = [a.unwrap(), b.unwrap(), c.unwrap(), d.unwrap()];
    assert!(answers[0].starts_with("from "), "{answers:?}");
    assert!(answers.iter().all(|x| x == &answers[0]), "{answers:?}");
}

on_both_stores!(
    the_first_proposed_secret_is_what_every_later_caller_gets,
    callers_proposing_at_once_all_get_one_secret,
);
