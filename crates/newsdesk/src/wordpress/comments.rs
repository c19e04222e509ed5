//! A post's comments as the debate's: threading kept (parents before replies), WordPress's
//! states mapped, HTML read as text with its links kept as addresses; pingbacks and trackbacks
//! are counted and left out.

use super::body;
use super::report::Report;
use super::text::{clean_field, digest, gmt, plain};
use super::wxr::{Item, WpComment};
use newsdesk_core::comment::CommentStatus;
use newsdesk_core::import::{CommentHome, ImportedComment};
use std::collections::{HashMap, HashSet};

/// A comment's text as plain text: its links kept as their address.
pub fn comment_text(content: &str) -> String {
    if !content.contains('<') {
        return plain(content);
    }
    let md = body::to_markdown(content, &HashMap::new()).markdown;
    plain(&words_with_links(&md))
}

fn words_with_links(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = String::new();
    let mut link: Option<String> = None;
    for e in Parser::new(markdown) {
        match e {
            Event::Start(Tag::Link { dest_url, .. }) => link = Some(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = link.take() {
                    if !out.ends_with(&url) {
                        out.push_str(&format!(" ({url})"));
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::End(TagEnd::Paragraph) => out.push_str("\n\n"),
            _ => {}
        }
    }
    out
}

/// The comments of the posts taken, parents before replies; pingbacks and trackbacks are
/// counted and left out.
pub fn comments(items: &[(&Item, String)], report: &mut Report) -> Vec<ImportedComment> {
    let mut out = Vec::new();
    let mut ids_seen: HashSet<&str> = HashSet::new();
    // Each id is taken once, the first time the file gives it.
    let mut taken_ids: HashSet<&str> = HashSet::new();
    for (item, story) in items {
        for c in &item.comments {
            if !ids_seen.insert(c.id.as_str()) {
                report.skip(format!(
                    "comment {} on post {story}: another comment of the file has its id",
                    c.id
                ));
            }
        }
        let all: HashMap<&str, &WpComment> =
            item.comments.iter().map(|c| (c.id.as_str(), c)).collect();
        let mut written: HashSet<&str> = HashSet::new();
        let mut ordered: Vec<&WpComment> = item.comments.iter().collect();
        ordered.sort_by_key(|c| c.id.parse::<i64>().unwrap_or(i64::MAX));
        // Parents first: a reply waits until its parent (when the file has it) is written.
        let mut pending = ordered;
        while !pending.is_empty() {
            let before = pending.len();
            let mut later = Vec::new();
            for c in pending {
                let parent = Some(c.parent.as_str()).filter(|p| !p.is_empty() && *p != "0");
                match parent {
                    Some(p) if all.contains_key(p) && !written.contains(p) && p != c.id => {
                        later.push(c)
                    }
                    _ => {
                        written.insert(&c.id);
                        if !taken_ids.insert(c.id.as_str()) {
                            continue;
                        }
                        if let Some(taken) = comment(c, story, parent, &all, report) {
                            out.push(taken);
                        }
                    }
                }
            }
            if later.len() == before {
                // A loop of parents: write the rest at the top of the thread.
                for c in later.drain(..) {
                    written.insert(&c.id);
                    if !taken_ids.insert(c.id.as_str()) {
                        continue;
                    }
                    if let Some(taken) = comment(c, story, None, &all, report) {
                        out.push(taken);
                    }
                }
            }
            pending = later;
        }
    }
    out
}

fn comment(
    c: &WpComment,
    story: &str,
    parent: Option<&str>,
    all: &HashMap<&str, &WpComment>,
    report: &mut Report,
) -> Option<ImportedComment> {
    if matches!(c.kind.as_str(), "pingback" | "trackback") {
        report.pingbacks += 1;
        return None;
    }
    let status = match c.approved.as_str() {
        "1" | "approve" => CommentStatus::Published,
        "0" | "hold" => CommentStatus::Held,
        "spam" => CommentStatus::Spam,
        "trash" | "post-trashed" => CommentStatus::Rejected,
        other => {
            report.skip(format!(
                "comment {} on post {story}: its state '{other}' has no match here",
                c.id
            ));
            return None;
        }
    };
    let Some(created_at) = gmt(&c.date_gmt).or_else(|| gmt(&c.date)) else {
        report.skip(format!("comment {} on post {story}: it has no date", c.id));
        return None;
    };
    let body = comment_text(&c.content);
    if body.is_empty() {
        report.skip(format!("comment {} on post {story}: it is empty", c.id));
        return None;
    }
    // A reply whose parent was a pingback (left out) joins the thread at the top.
    let parent = parent
        .filter(|p| {
            all.get(p)
                .is_some_and(|pc| !matches!(pc.kind.as_str(), "pingback" | "trackback"))
        })
        .map(str::to_string);
    let name: String = plain(&c.author)
        .chars()
        .filter(|ch| !ch.is_control())
        .take(80)
        .collect();
    let name = if name.trim().is_empty() {
        "Anonymous".to_string()
    } else {
        name
    };
    let url = clean_field(&c.url)
        .filter(|u| {
            (u.starts_with("https://") || u.starts_with("http://")) && u.len() > 8 && u.len() < 300
        })
        .map(str::to_string);
    let email = clean_field(&c.email)
        .filter(|e| e.contains('@') && e.len() < 200)
        .map(str::to_string);
    *report.comments.entry(status.as_str()).or_default() += 1;
    let digest = digest(&[
        &name,
        &body,
        status.as_str(),
        url.as_deref().unwrap_or(""),
        email.as_deref().unwrap_or(""),
    ]);
    Some(ImportedComment {
        external_id: c.id.clone(),
        digest,
        home: CommentHome::Imported(story.to_string()),
        parent,
        name,
        url,
        email,
        body,
        status,
        created_at,
        archive_id: Some(c.id.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_keeps_its_links_as_addresses() {
        assert_eq!(
            comment_text(
                "See <a href=\"https://example.org/r\">the report</a> &amp; <em>more</em>."
            ),
            "See the report (https://example.org/r) & more."
        );
    }
}
