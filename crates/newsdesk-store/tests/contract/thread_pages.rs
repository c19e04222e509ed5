//! A page of a story's thread, as readers see it: each sort's order, paging, the first
//! replies of each thread with the count of all of them, a question's answers as a flat
//! list, and the counts beside them.

use crate::debate::{comment, story};
use chrono::Utc;
use newsdesk_core::comment::{Comment, CommentSort, CommentStatus, ThreadPage, ThreadQuery};
use newsdesk_core::{ArticleId, CommentId, QuestionId, ReaderId, Store};

fn query(article: ArticleId, sort: CommentSort, offset: i64, limit: i64) -> ThreadQuery {
    ThreadQuery {
        article_id: article,
        sort,
        question: None,
        offset,
        limit,
        max_replies: 2,
    }
}

async fn page(s: &dyn Store, q: &ThreadQuery) -> ThreadPage {
    s.thread_page(q).await.unwrap()
}

fn ids(comments: &[Comment]) -> Vec<CommentId> {
    comments.iter().map(|c| c.id).collect()
}

async fn add(
    s: &dyn Store,
    article: ArticleId,
    parent: Option<CommentId>,
    status: CommentStatus,
) -> CommentId {
    let mut c = comment(article, "writer", status);
    c.parent_id = parent;
    s.add_comment(c).await.unwrap().id
}

async fn upvotes(s: &dyn Store, id: CommentId, how_many: usize) {
    for n in 0..how_many {
        s.vote_comment(id, &ReaderId(format!("voter{n}")), true, Utc::now())
            .await
            .unwrap();
    }
}

async fn each_sort_keeps_its_order_across_pages(s: &dyn Store) {
    let a = story(s, "sorted").await;
    let r1 = add(s, a.id, None, CommentStatus::Published).await;
    let r2 = add(s, a.id, None, CommentStatus::Published).await;
    add(s, a.id, None, CommentStatus::Held).await;
    let r3 = add(s, a.id, None, CommentStatus::Published).await;
    let r4 = add(s, a.id, None, CommentStatus::Rejected).await;
    let r5 = add(s, a.id, None, CommentStatus::Published).await;
    upvotes(s, r3, 2).await;
    upvotes(s, r5, 1).await;
    upvotes(s, r1, 1).await;

    let oldest = page(s, &query(a.id, CommentSort::Oldest, 0, 10)).await;
    assert_eq!(
        ids(&oldest.roots),
        vec![r1, r2, r3, r4, r5],
        "a held comment takes no place; a rejected one keeps its place"
    );
    assert_eq!((oldest.total_roots, oldest.comment_count), (5, 4));
    let newest = page(s, &query(a.id, CommentSort::Newest, 0, 10)).await;
    assert_eq!(ids(&newest.roots), vec![r5, r4, r3, r2, r1]);
    let best = page(s, &query(a.id, CommentSort::Best, 0, 10)).await;
    assert_eq!(
        ids(&best.roots),
        vec![r3, r1, r5, r2, r4],
        "score falling, then oldest first among equals"
    );
    for (sort, whole) in [
        (CommentSort::Oldest, &oldest),
        (CommentSort::Newest, &newest),
        (CommentSort::Best, &best),
    ] {
        let second = page(s, &query(a.id, sort, 2, 2)).await;
        assert_eq!(ids(&second.roots), ids(&whole.roots[2..4]), "{sort:?}");
        assert_eq!((second.total_roots, second.comment_count), (5, 4));
    }
    let beyond = page(s, &query(a.id, CommentSort::Oldest, 10, 10)).await;
    assert!(beyond.roots.is_empty() && beyond.replies.is_empty());
    assert_eq!(
        (beyond.total_roots, beyond.comment_count),
        (5, 4),
        "a page past the end still counts the thread"
    );
}

async fn each_thread_shows_its_first_replies_and_counts_them_all(s: &dyn Store) {
    let a = story(s, "replied").await;
    let busy = add(s, a.id, None, CommentStatus::Published).await;
    let quiet = add(s, a.id, None, CommentStatus::Published).await;
    let other = add(s, a.id, None, CommentStatus::Published).await;
    let first = add(s, a.id, Some(busy), CommentStatus::Published).await;
    add(s, a.id, Some(busy), CommentStatus::Held).await;
    let second = add(s, a.id, Some(first), CommentStatus::Published).await;
    add(s, a.id, Some(busy), CommentStatus::Published).await;
    let only = add(s, a.id, Some(other), CommentStatus::Deleted).await;

    let p = page(s, &query(a.id, CommentSort::Newest, 0, 10)).await;
    assert_eq!(ids(&p.roots), vec![other, quiet, busy]);
    assert_eq!(
        ids(&p.replies),
        vec![first, second, only],
        "the first two of each thread, oldest first, at any depth"
    );
    assert_eq!(
        p.reply_counts,
        vec![(busy, 3), (other, 1)],
        "every reply in the thread's place counted, a held one not; a thread without replies is left out"
    );
    assert_eq!((p.total_roots, p.comment_count), (3, 6));

    let mut counted_only = query(a.id, CommentSort::Newest, 0, 10);
    counted_only.max_replies = 0;
    let p = page(s, &counted_only).await;
    assert!(p.replies.is_empty(), "no replies asked, none shown");
    assert_eq!(
        p.reply_counts,
        vec![(busy, 3), (other, 1)],
        "but all counted"
    );

    let one = page(s, &query(a.id, CommentSort::Oldest, 1, 1)).await;
    assert_eq!(ids(&one.roots), vec![quiet]);
    assert!(
        one.replies.is_empty() && one.reply_counts.is_empty(),
        "only the page's threads' replies"
    );
}

async fn a_question_s_answers_read_as_one_flat_list(s: &dyn Store) {
    let a = story(s, "answered").await;
    let question = QuestionId(a.debate[0].id);
    let mut answer = comment(a.id, "a1", CommentStatus::Published);
    answer.question_id = Some(question);
    let top = s.add_comment(answer).await.unwrap().id;
    let plain = add(s, a.id, None, CommentStatus::Published).await;
    let mut reply = comment(a.id, "a2", CommentStatus::Published);
    reply.question_id = Some(question);
    reply.parent_id = Some(plain);
    let nested = s.add_comment(reply).await.unwrap().id;

    let mut q = query(a.id, CommentSort::Newest, 0, 10);
    q.question = Some(question);
    let p = page(s, &q).await;
    assert_eq!(ids(&p.roots), vec![nested, top]);
    assert!(p.replies.is_empty() && p.reply_counts.is_empty());
    assert_eq!((p.total_roots, p.comment_count), (2, 3));
}

async fn a_story_without_comments_has_an_empty_page(s: &dyn Store) {
    let a = story(s, "quiet").await;
    let p = page(s, &query(a.id, CommentSort::Best, 0, 10)).await;
    assert!(p.roots.is_empty() && p.replies.is_empty() && p.reply_counts.is_empty());
    assert_eq!((p.total_roots, p.comment_count), (0, 0));
}

on_both_stores!(
    each_sort_keeps_its_order_across_pages,
    each_thread_shows_its_first_replies_and_counts_them_all,
    a_question_s_answers_read_as_one_flat_list,
    a_story_without_comments_has_an_empty_page,
);
