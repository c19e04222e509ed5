//! The order a page of a conversation is read in: each thread, then its replies depth-first,
//! oldest first. The site's thread view and the API's list both follow it.

use newsdesk_core::comment::{Comment, CommentStatus, ThreadPage};
use std::collections::HashMap;

/// Replies deeper than this are shown at this depth, with a "replying to" link.
pub const MAX_INDENT: i64 = 4;

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

fn display_name(c: &Comment) -> String {
    if c.status == CommentStatus::Published {
        c.name.clone()
    } else {
        "a removed comment".into()
    }
}
