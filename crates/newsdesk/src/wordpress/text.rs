//! Small readings of WordPress's values: its dates, its entity-laden text, its slugs, and the
//! first sentence of a body for a standfirst.

use chrono::{DateTime, NaiveDateTime, Utc};
use newsdesk_core::slug::{is_valid_slug, slugify};
use sha2::{Digest, Sha256};

/// A WordPress date (`2026-05-14 09:30:00`), read as UTC; WordPress writes zeros for none.
pub fn gmt(text: &str) -> Option<DateTime<Utc>> {
    if text.starts_with("0000") {
        return None;
    }
    NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|t| t.and_utc())
}

/// Text WordPress keeps with HTML entities (titles, names), as plain text.
pub fn plain(text: &str) -> String {
    html_escape::decode_html_entities(text)
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect::<String>()
        .trim()
        .to_string()
}

/// A field that must hold no control character (an address, a link), or none at all.
pub fn clean_field(text: &str) -> Option<&str> {
    let t = text.trim();
    (!t.is_empty() && !t.chars().any(char::is_control)).then_some(t)
}

/// A slug WordPress wrote (percent-encoded for non-ASCII letters) as a slug of this site.
pub fn slug_of(post_name: &str, title: &str, id: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(post_name).decode_utf8_lossy();
    let made = slugify(&decoded, 100);
    if is_valid_slug(&made) {
        return made;
    }
    let from_title = slugify(title, 80);
    if is_valid_slug(&from_title) {
        from_title
    } else {
        format!("post-{id}")
    }
}

pub fn digest(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    hex::encode(&h.finalize()[..12])
}

/// The first sentence of a text, for a standfirst when a post has no excerpt; cut at a word
/// when it is longer than a standfirst may be.
pub fn first_sentence(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let end = flat
        .char_indices()
        .find(|(i, c)| {
            matches!(c, '.' | '!' | '?') && flat[i + c.len_utf8()..].starts_with(' ') && *i > 20
        })
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(flat.len());
    let sentence = &flat[..end];
    if sentence.chars().count() <= 300 {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(297).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut}…")
}

/// Markdown as the words a reader sees, for a standfirst.
pub fn words_of(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::new();
    for e in Parser::new(markdown) {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => out.push(' '),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_standfirst_is_the_first_sentence_cut_at_a_word_when_long() {
        assert_eq!(
            first_sentence("The council met on Tuesday night. It voted twice."),
            "The council met on Tuesday night."
        );
        let long = "word ".repeat(100);
        let s = first_sentence(&long);
        assert!(s.chars().count() <= 300 && s.ends_with('…'), "{s}");
    }

    #[test]
    fn a_wordpress_slug_in_percent_encoding_becomes_a_slug_here() {
        assert_eq!(
            slug_of("caf%c3%a9-reopens", "Café reopens", "9"),
            "cafe-reopens"
        );
        assert_eq!(slug_of("", "Bridge & road", "9"), "bridge-road");
        assert_eq!(slug_of("", "", "9"), "post-9");
    }

    #[test]
    fn wordpress_dates_are_read_as_utc_and_zeros_as_none() {
        assert_eq!(gmt("0000-00-00 00:00:00"), None);
        assert_eq!(
            gmt("2026-05-14 09:30:00").unwrap().to_rfc3339(),
            "2026-05-14T09:30:00+00:00"
        );
    }
}
