//! Highlighted text for results: the best passage of a story's body, or its whole headline,
//! with the words the query matched marked. Parts are plain strings, escaped where rendered.

use std::collections::BTreeMap;
use std::ops::Range;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;

/// About two lines of a results page.
pub const SNIPPET_CHARS: usize = 220;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snippet {
    /// Text in order; `true` where the query matched.
    pub parts: Vec<(String, bool)>,
    /// Whether text was left out before or after the passage.
    pub cut_before: bool,
    pub cut_after: bool,
}

impl Snippet {
    pub fn is_highlighted(&self) -> bool {
        self.parts.iter().any(|(_, hit)| *hit)
    }

    /// The text as plain words, for places that cannot mark it.
    pub fn text(&self) -> String {
        self.parts.iter().map(|(t, _)| t.as_str()).collect()
    }
}

/// Marks the terms one query matched, in any text given to it.
#[derive(Clone)]
pub struct Highlighter {
    terms: BTreeMap<String, f32>,
    analyzer: TextAnalyzer,
    field: tantivy::schema::Field,
}

impl Highlighter {
    pub(crate) fn new(
        terms: BTreeMap<String, f32>,
        analyzer: TextAnalyzer,
        field: tantivy::schema::Field,
    ) -> Self {
        Highlighter {
            terms,
            analyzer,
            field,
        }
    }

    fn generator(&self, max_chars: usize) -> SnippetGenerator {
        SnippetGenerator::new(
            self.terms.clone(),
            self.analyzer.clone(),
            self.field,
            max_chars,
        )
    }

    /// The passage of `text` richest in matched words, or its opening when none is there.
    pub fn passage(&self, text: &str) -> Snippet {
        let found = self.generator(SNIPPET_CHARS).snippet(text);
        if found.highlighted().is_empty() {
            return opening(text, SNIPPET_CHARS);
        }
        let fragment = found.fragment_range();
        let offset = fragment.start;
        let marks = found
            .highlighted()
            .iter()
            .map(|r| r.start + offset..r.end + offset)
            .collect::<Vec<_>>();
        // The fragment runs from a word's first letter to a word's last; widen it to the
        // spaces around, so quotes and a closing full stop stay with their words.
        let start = text[..fragment.start]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let end = text[fragment.end..]
            .find(char::is_whitespace)
            .map_or(text.len(), |i| fragment.end + i);
        Snippet {
            parts: split(text, start..end, &marks),
            cut_before: !text[..start].trim().is_empty(),
            cut_after: !text[end..].trim().is_empty(),
        }
    }

    /// All of `text` (a headline), with matched words marked.
    pub fn whole(&self, text: &str) -> Snippet {
        // The generator counts bytes, not characters.
        let found = self.generator(text.len() + 1).snippet(text);
        let offset = found.fragment_range().start;
        let marks = found
            .highlighted()
            .iter()
            .map(|r| r.start + offset..r.end + offset)
            .collect::<Vec<_>>();
        Snippet {
            parts: split(text, 0..text.len(), &marks),
            cut_before: false,
            cut_after: false,
        }
    }
}

/// The start of `text`, cut at a word boundary.
fn opening(text: &str, max_chars: usize) -> Snippet {
    let text = text.trim();
    if text.chars().count() <= max_chars {
        return Snippet {
            parts: vec![(text.to_string(), false)],
            ..Snippet::default()
        };
    }
    let end = text
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(i, _)| i);
    let cut = text[..end]
        .rfind(char::is_whitespace)
        .filter(|&i| i > 0)
        .unwrap_or(end);
    Snippet {
        parts: vec![(text[..cut].trim_end().to_string(), false)],
        cut_before: false,
        cut_after: true,
    }
}

/// `text[range]` in plain and marked pieces; `marks` are sorted byte ranges inside `range`.
fn split(text: &str, range: Range<usize>, marks: &[Range<usize>]) -> Vec<(String, bool)> {
    let mut parts = Vec::new();
    let mut at = range.start;
    for mark in marks {
        if mark.start < at || mark.end > range.end {
            continue;
        }
        if mark.start > at {
            parts.push((text[at..mark.start].to_string(), false));
        }
        parts.push((text[mark.clone()].to_string(), true));
        at = mark.end;
    }
    if at < range.end {
        parts.push((text[at..range.end].to_string(), false));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_marks_the_given_ranges_and_keeps_the_rest() {
        let text = "Rail strike halts trains";
        let strike = 5..11;
        assert_eq!(
            split(text, 0..text.len(), std::slice::from_ref(&strike)),
            vec![
                ("Rail ".to_string(), false),
                ("strike".to_string(), true),
                (" halts trains".to_string(), false)
            ]
        );
    }

    #[test]
    fn an_opening_is_cut_at_a_word_boundary() {
        let text = "word ".repeat(100);
        let s = opening(&text, 22);
        assert_eq!(s.text(), "word word word word");
        assert!(s.cut_after && !s.cut_before);
    }
}
