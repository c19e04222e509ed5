//! A page of a story's conversation as readers see it: threads in order, replies indented to
//! a readable depth and flattened below it, tombstones where comments were removed.

use crate::render::cards::DateLabel;
use crate::render::comment_text;
use crate::render::markdown::SafeHtml;
use crate::services::debate::reading_order::{reading_order, MAX_INDENT};
use newsdesk_core::comment::{Comment, CommentStatus, ThreadPage};
use newsdesk_core::DebateQuestion;

pub struct CommentView {
    pub id: i64,
    pub name: String,
    pub body: SafeHtml,
    pub date: DateLabel,
    pub edited: bool,
    /// The indentation level, 0 to `MAX_INDENT`.
    pub indent: i64,
    /// For replies: the comment answered, when the indentation alone cannot show it.
    pub replying_to: Option<(i64, String)>,
    pub upvotes: i64,
    pub downvotes: i64,
    /// Why the comment is gone, for a tombstone.
    pub tombstone: Option<String>,
    /// The debate question the comment answers.
    pub question: Option<String>,
    /// The commenter's website (imported comments), linked from the name with nofollow.
    pub website: Option<String>,
    /// The comment's number on the site it was imported from, for old `#comment-N` links.
    pub archive_id: Option<String>,
    /// On the last comment shown of a thread whose other replies are not: the thread's first
    /// comment and how many replies its own page shows beyond these.
    pub more_replies: Option<(i64, i64)>,
}

impl CommentView {
    pub fn new(c: &Comment, questions: &[DebateQuestion]) -> CommentView {
        let tombstone = match c.status {
            CommentStatus::Rejected => Some(if c.reason.is_empty() {
                "This comment was removed by a moderator.".to_string()
            } else {
                format!("This comment was removed by a moderator: {}", c.reason)
            }),
            CommentStatus::Deleted => Some("This comment was deleted by its writer.".into()),
            _ => None,
        };
        let website = c.url.clone().filter(|_| tombstone.is_none());
        CommentView {
            id: c.id.0,
            name: if tombstone.is_some() {
                String::new()
            } else {
                c.name.clone()
            },
            body: if tombstone.is_some() {
                crate::render::markdown::trusted(String::new())
            } else {
                comment_text::render(&c.body)
            },
            date: DateLabel::long(c.created_at),
            edited: c.edited_at.is_some(),
            indent: c.depth.min(MAX_INDENT),
            replying_to: None,
            upvotes: c.upvotes,
            downvotes: c.downvotes,
            tombstone,
            question: c
                .question_id
                .and_then(|q| questions.iter().find(|d| d.id == q.0))
                .map(|d| d.text.clone()),
            website,
            archive_id: c.archive_id.clone(),
            more_replies: None,
        }
    }
}

/// The most reply text (bytes, as readers wrote it) one story page shows: replies past it
/// wait on their thread's page, so a page stays small whatever readers write.
const REPLY_TEXT_BUDGET: usize = 192 * 1024;

/// The page's comments as readers see them, in reading order. Every thread's first comment
/// is shown; its replies while the page's reply budget lasts; a thread with more replies than
/// shown ends with a link to its own page.
pub fn arrange(page: &ThreadPage, questions: &[DebateQuestion]) -> Vec<CommentView> {
    let mut budget = REPLY_TEXT_BUDGET;
    let mut views: Vec<CommentView> = Vec::new();
    let mut view_roots: Vec<i64> = Vec::new();
    // Per thread: (its first comment, replies shown).
    let mut threads: Vec<(i64, i64)> = Vec::new();
    for p in reading_order(page) {
        let c = p.comment;
        if c.depth > 0 {
            if c.body.len() > budget {
                // Nothing more of this page's replies fits.
                budget = 0;
                continue;
            }
            budget -= c.body.len();
        }
        let root = c.root_id.0;
        match threads.last_mut() {
            Some((r, shown)) if *r == root => *shown += i64::from(c.depth > 0),
            _ => threads.push((root, i64::from(c.depth > 0))),
        }
        let mut v = CommentView::new(c, questions);
        v.replying_to = p.replying_to;
        if p.orphan {
            v.indent = 1;
        }
        views.push(v);
        view_roots.push(root);
    }
    for (root, shown) in threads {
        let total = page
            .reply_counts
            .iter()
            .find(|(r, _)| r.0 == root)
            .map_or(0, |(_, n)| *n);
        if total > shown {
            if let Some(i) = view_roots.iter().rposition(|r| *r == root) {
                views[i].more_replies = Some((root, total - shown));
            }
        }
    }
    views
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use newsdesk_core::{ArticleId, CommentId, ReaderId};

    fn comment(id: i64, parent: Option<i64>, root: i64, depth: i64) -> Comment {
        Comment {
            id: CommentId(id),
            article_id: ArticleId(1),
            parent_id: parent.map(CommentId),
            root_id: CommentId(root),
            depth,
            question_id: None,
            name: format!("R{id}"),
            body: "text".into(),
            email: None,
            notify_replies: false,
            reader: ReaderId("r".into()),
            ip: String::new(),
            status: CommentStatus::Published,
            reason: String::new(),
            upvotes: 0,
            downvotes: 0,
            flags: 0,
            created_at: Utc::now(),
            edited_at: None,
            url: None,
            archive_id: None,
        }
    }

    #[test]
    fn a_thread_with_more_replies_than_shown_ends_with_a_link_and_long_replies_stop_at_the_budget()
    {
        let mut replies = Vec::new();
        for id in 2..=40 {
            let mut r = comment(id, Some(1), 1, 1);
            r.body = "é".repeat(5_000);
            replies.push(r);
        }
        let page = ThreadPage {
            roots: vec![comment(1, None, 1, 0), comment(50, None, 50, 0)],
            replies,
            reply_counts: vec![(CommentId(1), 120)],
            ..Default::default()
        };
        let views = arrange(&page, &[]);
        let shown_replies = views.iter().filter(|v| v.indent > 0).count();
        assert_eq!(shown_replies, 19, "192 KiB of 10,000-byte replies");
        let linked: Vec<_> = views.iter().filter_map(|v| v.more_replies).collect();
        assert_eq!(linked, vec![(1, 101)]);
        assert_eq!(views.last().unwrap().id, 50, "the next thread still shows");
    }

    #[test]
    fn replies_follow_their_parent_depth_first() {
        let page = ThreadPage {
            roots: vec![comment(1, None, 1, 0), comment(5, None, 5, 0)],
            replies: vec![
                comment(2, Some(1), 1, 1),
                comment(3, Some(1), 1, 1),
                comment(4, Some(2), 1, 2),
            ],
            ..Default::default()
        };
        let order: Vec<i64> = arrange(&page, &[]).iter().map(|v| v.id).collect();
        assert_eq!(order, vec![1, 2, 4, 3, 5]);
    }

    #[test]
    fn deep_replies_are_flattened_and_name_whom_they_answer() {
        let mut replies = Vec::new();
        for d in 1..=7 {
            replies.push(comment(d + 1, Some(d), 1, d));
        }
        let page = ThreadPage {
            roots: vec![comment(1, None, 1, 0)],
            replies,
            ..Default::default()
        };
        let views = arrange(&page, &[]);
        assert_eq!(views.last().unwrap().indent, MAX_INDENT);
        assert_eq!(
            views.last().unwrap().replying_to,
            Some((7, "R7".to_string()))
        );
        assert_eq!(views[2].replying_to, None);
    }

    #[test]
    fn a_removed_comment_leaves_a_tombstone_with_its_reason() {
        let mut c = comment(1, None, 1, 0);
        c.status = CommentStatus::Rejected;
        c.reason = "personal attack".into();
        let v = CommentView::new(&c, &[]);
        assert!(v.tombstone.unwrap().contains("personal attack"));
        assert!(v.name.is_empty());
    }
}
