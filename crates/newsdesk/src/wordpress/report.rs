//! What an import found and did, as the person running it reads it: counts by kind and state,
//! every item left out with its line and the reason, and notes on what was changed on the way.

use super::wxr::Item;
use newsdesk_core::import::{ImportOutcome, Tally};
use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Debug, Default)]
pub struct Report {
    pub file: String,
    pub posts: usize,
    pub pages: usize,
    pub attachments: usize,
    /// Comments taken, by their state here.
    pub comments: BTreeMap<&'static str, usize>,
    pub pingbacks: usize,
    /// Items of kinds newsdesk has no place for (menus, reusable blocks…), by kind.
    pub other_kinds: BTreeMap<String, usize>,
    pub pictures: usize,
    pub addresses: usize,
    pub skipped: Vec<String>,
    pub notes: Vec<String>,
}

impl Report {
    /// How the report names an item: where it is in the file, its kind, id and title.
    pub fn name(&self, item: &Item) -> String {
        format!(
            "{}:{}: {} {} \"{}\"",
            self.file,
            item.line,
            item.post_type,
            item.post_id,
            super::text::plain(&item.title)
        )
    }

    pub fn skip(&mut self, why: String) {
        self.skipped.push(why);
    }

    pub fn note(&mut self, what: String) {
        self.notes.push(what);
    }

    pub fn render(&self, outcome: Option<&ImportOutcome>) -> String {
        let mut out = String::new();
        let tally = |t: &Tally| {
            format!(
                "{} new, {} updated, {} unchanged",
                t.added, t.updated, t.unchanged
            )
        };
        let _ = writeln!(out, "WordPress export {}:", self.file);
        let comments: usize = self.comments.values().sum();
        let states = states_tail(&self.comments);
        match outcome {
            Some(o) => {
                let _ = writeln!(
                    out,
                    "  stories:  {} ({})",
                    o.stories.total(),
                    tally(&o.stories)
                );
                let _ = writeln!(out, "  pages:    {} ({})", o.pages.total(), tally(&o.pages));
                let _ = writeln!(
                    out,
                    "  comments: {} ({}{states})",
                    o.comments.total(),
                    tally(&o.comments)
                );
                let _ = writeln!(out, "  old addresses answered: {}", o.addresses);
                for k in &o.kept {
                    let _ = writeln!(out, "  kept: {k}");
                }
                for (from, to) in &o.renamed {
                    let _ = writeln!(
                        out,
                        "  note: the slug {from} was in use; the story is at {to}"
                    );
                }
            }
            None => {
                let _ = writeln!(out, "  stories:  {} to import", self.posts);
                let _ = writeln!(out, "  pages:    {} to import", self.pages);
                let _ = writeln!(out, "  comments: {comments} to import{states}");
                let _ = writeln!(out, "  old addresses to keep: {}", self.addresses);
            }
        }
        let _ = writeln!(out, "  pictures from the uploads folder: {}", self.pictures);
        let _ = writeln!(
            out,
            "  attachments: {} (their pictures are taken where stories show them)",
            self.attachments
        );
        let _ = writeln!(
            out,
            "  pingbacks and trackbacks left out: {}",
            self.pingbacks
        );
        for (kind, n) in &self.other_kinds {
            let _ = writeln!(
                out,
                "  left out: {n} item(s) of the kind '{kind}', which newsdesk has no place for"
            );
        }
        if !self.skipped.is_empty() {
            let _ = writeln!(out, "Not imported ({}):", self.skipped.len());
            for s in &self.skipped {
                let _ = writeln!(out, "  {s}");
            }
        }
        if !self.notes.is_empty() {
            let _ = writeln!(out, "Notes ({}):", self.notes.len());
            for n in &self.notes {
                let _ = writeln!(out, "  {n}");
            }
        }
        out
    }
}

/// "; 8 published, 2 held" to follow a comment count; nothing when there are no comments.
pub fn states_tail(comments: &BTreeMap<&'static str, usize>) -> String {
    if comments.is_empty() {
        return String::new();
    }
    let states: Vec<String> = comments.iter().map(|(k, v)| format!("{v} {k}")).collect();
    format!("; {}", states.join(", "))
}
