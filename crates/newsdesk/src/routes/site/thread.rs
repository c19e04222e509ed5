//! A page of a story's conversation as readers see it: threads in order, replies indented to
//! a readable depth and flattened below it, tombstones where comments were removed.

use super::cards::DateLabel;
use crate::render::comment_text;
use crate::render::SafeHtml;
use newsdesk_core::comment::{Comment, CommentStatus, ThreadPage};
use newsdesk_core::DebateQuestion;
use std::collections::HashMap;

/// Replies deeper than this are shown at this depth, with a "replying to" link.
pub const MAX_INDENT: i64 = 4;

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
        }
    }
}

/// A comment in its place in the reading order.
pub struct Placed<'a> {
    pub comment: &'a Comment,
    /// Whom it answers, when the indentation cannot show it: (id, name), id 0 when hidden.
    pub replying_to: Option<(i64, String)>,
    /// Its parent is not shown (held or hidden), so it sits just under the thread's start.
    pub orphan: bool,
}

/// Puts a page's comments in reading order: each thread, then its replies depth-first,
/// oldest first.
pub fn reading_order(page: &ThreadPage) -> Vec<Placed<'_>> {
    let shown: HashMap<i64, &Comment> = page
        .roots
        .iter()
        .chain(&page.replies)
        .map(|c| (c.id.0, c))
        .collect();
    let mut children: HashMap<i64, Vec<&Comment>> = HashMap::new();
    let mut orphans: HashMap<i64, Vec<&Comment>> = HashMap::new();
    for r in &page.replies {
        match r.parent_id {
            Some(p) if shown.contains_key(&p.0) => children.entry(p.0).or_default().push(r),
            _ => orphans.entry(r.root_id.0).or_default().push(r),
        }
    }
    let mut out = Vec::with_capacity(shown.len());
    for root in &page.roots {
        // An explicit stack: threads can be thousands deep.
        let mut stack = vec![root];
        while let Some(c) = stack.pop() {
            let replying_to = (c.depth > MAX_INDENT)
                .then(|| c.parent_id.and_then(|p| shown.get(&p.0)))
                .flatten()
                .map(|p| (p.id.0, display_name(p)));
            out.push(Placed {
                comment: c,
                replying_to,
                orphan: false,
            });
            if let Some(kids) = children.get(&c.id.0) {
                stack.extend(kids.iter().rev());
            }
        }
        // Replies whose parent is held or hidden still read, marked as answering it.
        for o in orphans.get(&root.id.0).into_iter().flatten() {
            out.push(Placed {
                comment: o,
                replying_to: Some((0, "a comment that is hidden".into())),
                orphan: true,
            });
        }
    }
    out
}

/// The page's comments as readers see them, in reading order.
pub fn arrange(page: &ThreadPage, questions: &[DebateQuestion]) -> Vec<CommentView> {
    reading_order(page)
        .into_iter()
        .map(|p| {
            let mut v = CommentView::new(p.comment, questions);
            v.replying_to = p.replying_to;
            if p.orphan {
                v.indent = 1;
            }
            v
        })
        .collect()
}

fn display_name(c: &Comment) -> String {
    if c.status == CommentStatus::Published {
        c.name.clone()
    } else {
        "a removed comment".into()
    }
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
        }
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
