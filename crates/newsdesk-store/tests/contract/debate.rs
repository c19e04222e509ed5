//! The readers' debate: threads, one vote and one report per reader, one answer per reader
//! and question.

use crate::stories::fields;
use chrono::Utc;
use newsdesk_core::comment::{CommentSort, CommentStatus, NewComment, ThreadQuery};
use newsdesk_core::debate::PollAnswer;
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

async fn a_second_report_by_the_same_reader_is_already_flagged(s: &dyn Store) {
    let a = story(s, "flagged").await;
    let c = s
        .add_comment(comment(a.id, "writer", CommentStatus::Published))
        .await
        .unwrap();
    let once = s
        .flag_comment(c.id, &reader("r1"), "rude", 2, Utc::now())
        .await
        .unwrap();
    assert_eq!((once.flags, once.status), (1, CommentStatus::Published));
    let again = s
        .flag_comment(c.id, &reader("r1"), "rude", 2, Utc::now())
        .await;
    match again {
        Err(StoreError::Conflict(Conflict::AlreadyFlagged(id))) => assert_eq!(id, c.id),
        other => panic!("expected AlreadyFlagged, got {other:?}"),
    }
    let held = s
        .flag_comment(c.id, &reader("r2"), "", 2, Utc::now())
        .await
        .unwrap();
    assert_eq!((held.flags, held.status), (2, CommentStatus::Held));
    assert_eq!(held.reason, "flagged by 2 readers");
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

async fn an_edit_and_a_status_change_read_back(s: &dyn Store) {
    let a = story(s, "edited").await;
    let c = s
        .add_comment(comment(a.id, "writer", CommentStatus::Published))
        .await
        .unwrap();
    let edited = s
        .edit_comment(c.id, "Better words.", Utc::now())
        .await
        .unwrap();
    assert_eq!(edited.body, "Better words.");
    assert!(edited.edited_at.is_some());
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
        s.edit_comment(CommentId(c.id.0 + 1000), "x", Utc::now())
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
    a_second_answer_to_a_debate_question_is_already_answered,
    an_edit_and_a_status_change_read_back,
    a_changed_conversation_is_listed_from_its_change_on,
);
