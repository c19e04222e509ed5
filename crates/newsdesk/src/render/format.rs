//! Dates and excerpts as readers see them.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

tokio::task_local! {
    /// The time zone readers see dates in while a request is answered: the site's setting.
    static TIME_ZONE: Tz;
}

/// Runs `f` (a request's handling) with dates shown in `tz`.
pub async fn in_time_zone<F: std::future::Future>(tz: Tz, f: F) -> F::Output {
    TIME_ZONE.scope(tz, f).await
}

fn time_zone() -> Tz {
    TIME_ZONE.try_with(|z| *z).unwrap_or(Tz::UTC)
}

/// "27 November 2026, 08:30 UTC", in the site's time zone.
pub fn long_date(t: DateTime<Utc>) -> String {
    t.with_timezone(&time_zone())
        .format("%-d %B %Y, %H:%M %Z")
        .to_string()
}

/// "27 Nov 2026", in the site's time zone.
pub fn short_date(t: DateTime<Utc>) -> String {
    t.with_timezone(&time_zone())
        .format("%-d %b %Y")
        .to_string()
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
