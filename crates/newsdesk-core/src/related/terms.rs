//! The terms a story is known by for "more like this": words folded to lower case, stop
//! words dropped, a light stemmer, and field weights (headline, standfirst and tags over body).

use super::StoryText;
use std::collections::HashMap;

const STOPWORDS: &[&str] = &[
    "the",
    "and",
    "for",
    "that",
    "with",
    "was",
    "were",
    "are",
    "has",
    "had",
    "have",
    "his",
    "her",
    "its",
    "their",
    "they",
    "them",
    "this",
    "these",
    "those",
    "from",
    "but",
    "not",
    "who",
    "whom",
    "which",
    "what",
    "when",
    "where",
    "will",
    "would",
    "could",
    "should",
    "been",
    "being",
    "said",
    "says",
    "say",
    "also",
    "than",
    "then",
    "there",
    "here",
    "into",
    "onto",
    "out",
    "over",
    "under",
    "after",
    "before",
    "about",
    "more",
    "most",
    "some",
    "such",
    "can",
    "may",
    "might",
    "must",
    "our",
    "you",
    "your",
    "she",
    "him",
    "all",
    "any",
    "each",
    "other",
    "one",
    "two",
    "new",
    "just",
    "only",
    "very",
    "because",
    "while",
    "did",
    "does",
    "doing",
    "done",
    "how",
    "why",
    "now",
    "yet",
    "still",
    "last",
    "first",
    "week",
    "year",
    "years",
    "told",
    "per",
    "cent",
    "mr",
    "mrs",
    "ms",
    "upon",
    "both",
    "own",
    "same",
    "between",
    "through",
    "during",
    "against",
    "without",
    "within",
    "among",
    "again",
    "further",
    "once",
    "off",
    "few",
    "many",
    "much",
    "like",
    "make",
    "made",
    "get",
    "got",
    "take",
    "took",
    "come",
    "came",
    "going",
    "went",
    "way",
    "day",
    "days",
    "time",
    "times",
    "people",
    "according",
    "including",
];

/// A crude English stemmer: enough that "strikes", "striking" and "strike" meet.
pub(super) fn stem(word: &str) -> String {
    let w = word.trim_end_matches("'s").trim_end_matches('\'');
    let n = w.len();
    let cut = |suffix: &str, min: usize| n > min && w.ends_with(suffix);
    let stemmed = if cut("ies", 4) {
        format!("{}y", &w[..n - 3])
    } else if cut("sses", 5) || cut("shes", 5) || cut("ches", 5) || cut("xes", 4) {
        w[..n - 2].to_string()
    } else if cut("ing", 5) {
        w[..n - 3].to_string()
    } else if cut("ed", 4) && !w.ends_with("eed") {
        w[..n - 2].to_string()
    } else if cut("s", 3) && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        w[..n - 1].to_string()
    } else {
        w.to_string()
    };
    // "striking" and "strike" both end as "strik".
    stemmed.trim_end_matches('e').to_string()
}

/// The terms of a text, each with how often it occurs.
pub fn terms(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\'').to_lowercase())
        .filter(|w| w.chars().count() >= 3 && !w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| !STOPWORDS.contains(&w.as_str()))
        .map(|w| stem(&w))
        .filter(|w| w.len() >= 2)
        .collect()
}

/// Raw field-weighted term counts of a story.
pub(super) fn counts(doc: &StoryText) -> HashMap<String, f32> {
    let mut out: HashMap<String, f32> = HashMap::new();
    let mut add = |text: &str, weight: f32| {
        for t in terms(text) {
            *out.entry(t).or_default() += weight;
        }
    };
    add(&doc.headline, 3.0);
    add(&doc.standfirst, 2.0);
    // Promo lines name other stories; they say nothing about this one.
    let body: String = doc
        .body
        .lines()
        .filter(|l| !l.trim_start().starts_with("[["))
        .collect::<Vec<_>>()
        .join("\n");
    add(&body, 1.0);
    for tag in &doc.tags {
        add(tag, 3.0);
    }
    for tag in &doc.tags {
        *out.entry(format!("#{}", tag.to_lowercase())).or_default() += 4.0;
    }
    // A story of random words would give every one a term of its own for as long as the
    // index lives; real stories use a few hundred.
    if out.len() > MAX_TERMS {
        let mut by_count: Vec<(String, f32)> = out.into_iter().collect();
        by_count.select_nth_unstable_by(MAX_TERMS - 1, |a, b| {
            b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0))
        });
        by_count.truncate(MAX_TERMS);
        out = by_count.into_iter().collect();
    }
    out
}

/// Distinct terms counted per story, the most frequent kept.
const MAX_TERMS: usize = 2_000;
