//! The readers' debate: threads, one vote and one report per reader, one answer per reader
//! and question.

use crate::stories::fields;
use chrono::{Duration, Utc};
use newsdesk_core::comment::{CommentSort, CommentStatus, NewComment, ThreadQuery};
use newsdesk_core::debate::PollAnswer;
use newsdesk_core::store::Report;
use newsdesk_core::{
    Article, ArticleId, ArticleStatus, CommentId, Conflict, QuestionId, ReaderId, Store, StoreError,
};

pub async fn story(s: &dyn Store, slug: &str) -> Article {
    s.insert_article(&fields(slug, ArticleStatus::Published), "x", Utc::now())
        .await
        .unwrap()
}

pub fn comment(article: ArticleId, reader: &str, status: CommentStatus) -> NewComment {
    NewComment {
        article_id: article,
        parent_id: None,
        question_id: None,
        name: "Ada".into(),
        body: format!("A comment by {reader}."),
        email: Some("Ada@Example.org".into()),
        notify_replies: true,
        reader: ReaderId(reader.into()),
        ip: "192.0.2.1".into(),
        status,
        reason: String::new(),
        created_at: Utc::now(),
    }
}

fn reader(name: &str) -> ReaderId {
    ReaderId(name.into())
}

async fn a_reply_joins_its_root_s_thread_and_the_counts(s: &dyn Store) {
    let a = story(s, "threaded").await;
    let root = s
        .add_comment(comment(a.id, "r1", CommentStatus::Published))
        .await
        .unwrap();
    let mut reply = comment(a.id, "r2", CommentStatus::Published);
    reply.parent_id = Some(root.id);
    let reply = s.add_comment(reply).await.unwrap();
    assert_eq!((reply.root_id, reply.depth), (root.id, 1));
    let page = s
        .thread_page(&ThreadQuery {
            article_id: a.id,
            sort: CommentSort::Oldest,
            question: None,
            offset: 0,
            limit: 10,
            max_replies: 10,
        })
        .await
        .unwrap();
    let ids = |cs: &[newsdesk_core::comment::Comment]| cs.iter().map(|c| c.id).collect::<Vec<_>>();
    assert_eq!(ids(&page.roots), vec![root.id]);
    assert_eq!(ids(&page.replies), vec![reply.id]);
    assert_eq!((page.total_roots, page.comment_count), (1, 2));
    assert_eq!(s.threads_up_to(a.id, root.id).await.unwrap(), 1);
    assert_eq!(
        s.find_article("threaded")
            .await
            .unwrap()
            .unwrap()
            .comment_count,
        2
    );
}

async fn a_reply_to_a_comment_of_another_story_is_not_found(s: &dyn Store) {
    let a = story(s, "first").await;
    let b = story(s, "second").await;
    let root = s
        .add_comment(comment(a.id, "r1", CommentStatus::Published))
        .await
        .unwrap();
    let mut stray = comment(b.id, "r1", CommentStatus::Published);
    stray.parent_id = Some(root.id);
    assert!(matches!(
        s.add_comment(stray).await,
        Err(StoreError::NotFound)
    ));
    let mut orphan = comment(a.id, "r1", CommentStatus::Published);
    orphan.parent_id = Some(CommentId(root.id.0 + 1000));
    assert!(matches!(
        s.add_comment(orphan).await,
        Err(StoreError::NotFound)
    ));
}

async fn a_second_vote_by_the_same_reader_is_already_voted(s: &dyn Store) {
    let a = story(s, "voted").await;
    let c = s
        .add_comment(comment(a.id, "writer", CommentStatus::Published))
        .await
        .unwrap();
    let tally = s
        .vote_comment(c.id, &reader("r1"), true, Utc::now())
        .await
        .unwrap();
    assert_eq!((tally.upvotes, tally.downvotes), (1, 0));
    let again = s.vote_comment(c.id, &reader("r1"), false, Utc::now()).await;
    match again {
        Err(StoreError::Conflict(Conflict::AlreadyVoted(id))) => assert_eq!(id, c.id),
        other => panic!("expected AlreadyVoted, got {other:?}"),
    }
    let tally = s
        .vote_comment(c.id, &reader("r2"), false, Utc::now())
        .await
        .unwrap();
    assert_eq!(
        (tally.upvotes, tally.downvotes),
        (1, 1),
        "the refused vote left no trace"
    );
}

fn report<'a>(reader: &'a ReaderId, reason: &'a str) -> Report<'a> {
    Report {
        reader,
        address: reader.0.as_str(),
        reason,
        hide_at: 2,
        trusted_before: Utc::now() - Duration::days(1),
    }
}

/// A reader with a record: a comment of theirs published two days ago.
async fn regular(s: &dyn Store, article: ArticleId, name: &str) -> ReaderId {
    let mut c = comment(article, name, CommentStatus::Published);
    c.created_at = Utc::now() - Duration::days(2);
    s.add_comment(c).await.unwrap();
    reader(name)
}

async fn a_second_report_by_the_same_reader_is_already_flagged(s: &dyn Store) {
    let a = story(s, "flagged").await;
    let c = s
        .add_comment(comment(a.id, "writer", CommentStatus::Published))
        .await
        .unwrap();
    let r1 = regular(s, a.id, "r1").await;
    let once = s
        .flag_comment(c.id, &report(&r1, "rude"), Utc::now())
        .await
        .unwrap();
    assert_eq!((once.flags, once.status), (1, CommentStatus::Published));
    let again = s.flag_comment(c.id, &report(&r1, "rude"), Utc::now()).await;
    match again {
        Err(StoreError::Conflict(Conflict::AlreadyFlagged(id))) => assert_eq!(id, c.id),
        other => panic!("expected AlreadyFlagged, got {other:?}"),
    }
    let r2 = regular(s, a.id, "r2").await;
    let held = s
        .flag_comment(c.id, &report(&r2, ""), Utc::now())
        .await
        .unwrap();
    assert_eq!((held.flags, held.status), (2, CommentStatus::Held));
    assert_eq!(held.reason, "flagged by 2 readers");
    let log = s.moderation_log(Some(c.id), 10).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.comment_id == Some(c.id) && e.actor == "readers" && e.action == "hide"),
        "the hide is in the moderation log: {log:?}"
    );
}

async fn reports_by_readers_without_a_record_never_hide_a_comment(s: &dyn Store) {
    let a = story(s, "brigaded").await;
    let c = s
        .add_comment(comment(a.id, "writer", CommentStatus::Published))
        .await
        .unwrap();
    // Fresh readers, a reader whose only comment is newer than a day, and a regular whose
    // other comment was thrown out as spam: none of them has a say.
    let fresh: Vec<ReaderId> = (0..5).map(|i| reader(&format!("fresh{i}"))).collect();
    let newcomer = reader("newcomer");
    s.add_comment(comment(a.id, "newcomer", CommentStatus::Published))
        .await
        .unwrap();
    let spammer = regular(s, a.id, "spammer").await;
    s.add_comment(comment(a.id, "spammer", CommentStatus::Spam))
        .await
        .unwrap();
    for r in fresh.iter().chain([&newcomer, &spammer]) {
        let after = s
            .flag_comment(c.id, &report(r, "brigade"), Utc::now())
            .await
            .unwrap();
        assert_eq!(after.status, CommentStatus::Published, "reported by {r:?}");
    }
    let seen = s.find_comment(c.id).await.unwrap().unwrap();
    assert_eq!(
        (seen.flags, seen.status),
        (7, CommentStatus::Published),
        "every report is counted for the moderators, none hides"
    );
}

async fn regulars_behind_one_address_count_once(s: &dyn Store) {
    let a = story(s, "one-home").await;
    let c = s
        .add_comment(comment(a.id, "writer", CommentStatus::Published))
        .await
        .unwrap();
    for name in ["h1", "h2", "h3"] {
        let r = regular(s, a.id, name).await;
        let mut from_home = report(&r, "");
        from_home.address = "2001:db8:1:2::/64";
        let after = s.flag_comment(c.id, &from_home, Utc::now()).await.unwrap();
        assert_eq!(after.status, CommentStatus::Published, "{name}");
    }
    let outside = regular(s, a.id, "o1").await;
    let held = s
        .flag_comment(c.id, &report(&outside, ""), Utc::now())
        .await
        .unwrap();
    assert_eq!(
        (held.flags, held.status),
        (4, CommentStatus::Held),
        "three regulars of one home weigh one (above, the second did not hide it); with an \
         outsider, two"
    );
}

async fn a_form_stamp_is_spent_once(s: &dyn Store) {
    let until = Utc::now() + Duration::hours(1);
    s.spend_stamp("100.abc", until).await.unwrap();
    match s.spend_stamp("100.abc", until).await {
        Err(StoreError::Conflict(Conflict::StampSpent)) => {}
        other => panic!("expected StampSpent, got {other:?}"),
    }
    s.spend_stamp("101.abc", Utc::now() - Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(s.forget_spent_stamps(Utc::now()).await.unwrap(), 1);
    assert!(
        s.spend_stamp("100.abc", until).await.is_err(),
        "a live one is kept"
    );
}

async fn a_second_answer_to_a_debate_question_is_already_answered(s: &dyn Store) {
    let a = story(s, "polled").await;
    let question = QuestionId(a.debate[0].id);
    s.vote_poll(question, &reader("r1"), PollAnswer::Yes, Utc::now())
        .await
        .unwrap();
    let again = s
        .vote_poll(question, &reader("r1"), PollAnswer::No, Utc::now())
        .await;
    match again {
        Err(StoreError::Conflict(Conflict::AlreadyAnswered(q))) => assert_eq!(q, question),
        other => panic!("expected AlreadyAnswered, got {other:?}"),
    }
    s.vote_poll(question, &reader("r2"), PollAnswer::NotSure, Utc::now())
        .await
        .unwrap();
    let tallies = s.poll_tallies(a.id).await.unwrap();
    assert_eq!(tallies.len(), 1);
    let t = tallies[0];
    assert_eq!(
        (t.question_id, t.yes, t.no, t.not_sure),
        (question, 1, 0, 1)
    );
}

async fn tallies_count_each_vote_once_and_the_answers_readers_can_see(s: &dyn Store) {
    let a = story(s, "tallied").await;
    let question = QuestionId(a.debate[0].id);
    for (r, answer) in [
        ("t1", PollAnswer::Yes),
        ("t2", PollAnswer::Yes),
        ("t3", PollAnswer::No),
    ] {
        s.vote_poll(question, &reader(r), answer, Utc::now())
            .await
            .unwrap();
    }
    assert!(s
        .vote_poll(question, &reader("t1"), PollAnswer::No, Utc::now())
        .await
        .is_err());
    for (r, status) in [
        ("t1", CommentStatus::Published),
        ("t2", CommentStatus::Published),
        ("t3", CommentStatus::Held),
    ] {
        let mut answer = comment(a.id, r, status);
        answer.question_id = Some(question);
        s.add_comment(answer).await.unwrap();
    }
    // A comment that answers nothing is not an answer.
    s.add_comment(comment(a.id, "t4", CommentStatus::Published))
        .await
        .unwrap();
    let t = s.poll_tallies(a.id).await.unwrap()[0];
    assert_eq!(
        (t.question_id, t.yes, t.no, t.not_sure, t.answers),
        (question, 2, 1, 0, 2),
        "a held answer is not counted until a moderator lets it through"
    );
}

async fn an_edit_and_a_status_change_read_back(s: &dyn Store) {
    let a = story(s, "edited").await;
    let c = s
        .add_comment(comment(a.id, "writer", CommentStatus::Published))
        .await
        .unwrap();
    let edited = s
        .edit_comment(
            c.id,
            "Better words.",
            (CommentStatus::Published, ""),
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(edited.body, "Better words.");
    assert!(edited.edited_at.is_some());
    // Words a rule would hold send it back to the queue in the same write.
    let held = s
        .edit_comment(
            c.id,
            "Cheap pills.",
            (CommentStatus::Held, "suspect words"),
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(
        (held.status, held.reason.as_str(), held.body.as_str()),
        (CommentStatus::Held, "suspect words", "Cheap pills.")
    );
    let article = s.find_article("edited").await.unwrap().unwrap();
    assert_eq!(article.comment_count, 0, "a held comment is not counted");
    let deleted = s
        .set_comment_status(c.id, CommentStatus::Deleted, "by its writer", Utc::now())
        .await
        .unwrap();
    assert_eq!(deleted.status, CommentStatus::Deleted);
    assert!(s.recent_comments(a.id, 10).await.unwrap().is_empty());
    assert_eq!(
        s.find_article("edited")
            .await
            .unwrap()
            .unwrap()
            .comment_count,
        0
    );
    assert!(matches!(
        s.edit_comment(
            CommentId(c.id.0 + 1000),
            "x",
            (CommentStatus::Published, ""),
            Utc::now()
        )
        .await,
        Err(StoreError::NotFound)
    ));
}

async fn a_changed_conversation_is_listed_from_its_change_on(s: &dyn Store) {
    let a = story(s, "changing").await;
    let before = Utc::now().timestamp_millis();
    s.add_comment(comment(a.id, "r1", CommentStatus::Published))
        .await
        .unwrap();
    let changed = s.threads_changed_since(before).await.unwrap();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].0, "changing");
    let later = changed[0].1 + 1;
    assert!(s.threads_changed_since(later).await.unwrap().is_empty());
}

on_both_stores!(
    a_reply_joins_its_root_s_thread_and_the_counts,
    a_reply_to_a_comment_of_another_story_is_not_found,
    a_second_vote_by_the_same_reader_is_already_voted,
    a_second_report_by_the_same_reader_is_already_flagged,
    reports_by_readers_without_a_record_never_hide_a_comment,
    a_form_stamp_is_spent_once,
    regulars_behind_one_address_count_once,
    a_second_answer_to_a_debate_question_is_already_answered,
    tallies_count_each_vote_once_and_the_answers_readers_can_see,
    an_edit_and_a_status_change_read_back,
    a_changed_conversation_is_listed_from_its_change_on,
);
