//! Dates and excerpts as readers see them.

use chrono::{DateTime, Utc};

/// "27 November 2026, 08:30 UTC".
pub fn long_date(t: DateTime<Utc>) -> String {
    t.format("%-d %B %Y, %H:%M UTC").to_string()
}

/// "27 Nov 2026".
pub fn short_date(t: DateTime<Utc>) -> String {
    t.format("%-d %b %Y").to_string()
}

/// The machine-readable form for `<time datetime>`.
pub fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Cuts text to at most `max` characters at a word boundary, adding an ellipsis when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let mut out = String::new();
    for word in text.split(' ') {
        if out.chars().count() + word.chars().count() + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    let out = out
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .to_string();
    format!("{out}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_cut_at_a_word_with_an_ellipsis() {
        assert_eq!(excerpt("The quick brown fox jumps", 16), "The quick brown…");
    }

    #[test]
    fn a_short_text_is_not_cut() {
        assert_eq!(excerpt("Short text.", 50), "Short text.");
    }

    #[test]
    fn trailing_punctuation_is_dropped_before_the_ellipsis() {
        assert_eq!(
            excerpt("Rain, wind, and more rain today", 12),
            "Rain, wind…"
        );
    }

    #[test]
    fn dates_read_naturally() {
        let t = DateTime::parse_from_rfc3339("2026-11-27T08:05:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(long_date(t), "27 November 2026, 08:05 UTC");
    }
}
