//! Word-level differences between two versions of a text, as HTML: removed words in `<del>`,
//! added ones in `<ins>`, everything escaped.

use super::markdown::{trusted, SafeHtml};
use similar::{ChangeTag, TextDiff};
use std::time::Duration;

/// A long story diffs within this time; past it the diff is coarser, never slower.
const DEADLINE: Duration = Duration::from_millis(200);

pub fn word_diff(old: &str, new: &str) -> SafeHtml {
    let diff = TextDiff::configure().timeout(DEADLINE).diff_words(old, new);
    let mut out = String::with_capacity(old.len().max(new.len()) + 64);
    for change in diff.iter_all_changes() {
        let text = html_escape::encode_text(change.value());
        match change.tag() {
            ChangeTag::Equal => out.push_str(&text),
            ChangeTag::Delete => {
                out.push_str("<del>");
                out.push_str(&text);
                out.push_str("</del>");
            }
            ChangeTag::Insert => {
                out.push_str("<ins>");
                out.push_str(&text);
                out.push_str("</ins>");
            }
        }
    }
    trusted(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_words_are_marked_and_everything_is_escaped() {
        let html = word_diff("close for six weeks", "close for <b>four</b> weeks").to_string();
        assert_eq!(
            html,
            "close for <del>six</del><ins>&lt;b&gt;four&lt;/b&gt;</ins> weeks"
        );
    }
}
