//! The fuzz check of the readers' search language: any query is read into parts within the
//! limits or refused with a reason, each part written out reads back the same, a query
//! answers over a small index without error, finds what its wanted parts find less what its
//! excluded parts find, and marks matched words in any text without losing or adding a
//! character.
//!
//! The input is the query, then (after the first line break) a text to mark.

use chrono::Utc;
use newsdesk_core::story_text::StoryText;
use newsdesk_core::ArticleId;
use newsdesk_search::query::{
    check as check_query, parse, Match, Part, MAX_PARTS, MAX_PREFIXES, MIN_PREFIX_CHARS,
};
use newsdesk_search::{Filters, Found, SearchIndex, SearchRequest, Sort, MAX_PER_PAGE};
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// A few stories in words of several scripts, so queries find something.
static INDEX: LazyLock<SearchIndex> = LazyLock::new(|| {
    let index = SearchIndex::in_memory().expect("an index in memory");
    let story = |id: i64, headline: &str, body: &str, tags: &[&str]| StoryText {
        id: ArticleId(id),
        published_ms: 1_790_000_000_000 + id * 86_400_000,
        stamp: 1,
        headline: headline.into(),
        standfirst: format!("{headline}, in short."),
        body: body.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        section: "world".into(),
        authors: vec!["Maya Okafor".into()],
    };
    let stories = [
        story(1, "Rail strike halts commuter lines", "Drivers walked out over night-shift pay; the covid-19 rules ended.\n\n[[fare-rise-vote]] INSIGHT\n\nTalks *resume* on Monday.", &["rail-strike", "transport"]),
        story(2, "Café owners count the cost", "Les cafés du port ont fermé. Über 40 % weniger Umsatz, sagen die Wirte.", &["économie"]),
        story(3, "Harbour bridge to close", "The bridge closes for six weeks; ferries run every 20 minutes. 港口 大桥 关闭。", &["harbour"]),
        story(4, "Mayor's first budget", "Rents, rates and the rail: what the budget holds for Port Avel's 310,000 residents.", &["budget", "rail-strike"]),
    ];
    index.apply(&stories, &[]).expect("stories indexed");
    index
});

pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (query, marked) = text.split_once('\n').unwrap_or((text, ""));
    let parts = parse(query);
    for part in &parts {
        match &part.matches {
            Match::Word(w) => assert_is_word(w),
            Match::Phrase(ws) => {
                assert!(ws.len() > 1, "a phrase of one word: {ws:?}");
                ws.iter().for_each(|w| assert_is_word(w));
            }
            Match::Prefix(p) => {
                assert_is_word(p);
                assert!(p.chars().count() >= MIN_PREFIX_CHARS, "a short prefix: {p}");
            }
        }
    }
    for part in &parts {
        let again = parse(&written(part));
        assert_eq!(
            again,
            std::slice::from_ref(part),
            "a part written out reads as another"
        );
    }
    if let Ok(checked) = check_query(query) {
        assert_eq!(checked, parts, "checking changed the parts");
        assert!(checked.len() <= MAX_PARTS);
        let prefixes = checked
            .iter()
            .filter(|p| matches!(p.matches, Match::Prefix(_)))
            .count();
        assert!(prefixes <= MAX_PREFIXES);
        assert_exclusions_exclude(query, &checked);
    }

    // The index answers unchecked queries too, dropping what passes the limits.
    let found = search(query);
    assert!(found.hits.len() <= found.total, "more hits than matches");
    if found.hits.is_empty() {
        return;
    }
    let whole = found.highlighter.whole(marked);
    assert_eq!(whole.text(), marked, "marking a headline changed its words");
    let passage = found.highlighter.passage(marked);
    assert!(
        marked.contains(&passage.text()),
        "a passage that is not in the text: {:?}",
        passage.text()
    );
    for (words, hit) in whole.parts.iter().chain(&passage.parts) {
        assert!(
            !hit || !words.trim().is_empty(),
            "a mark on no word: {words:?}"
        );
    }
}

fn search(query: &str) -> Found {
    INDEX
        .search(&SearchRequest {
            text: query.to_string(),
            filters: Filters::default(),
            sort: if query.len().is_multiple_of(2) {
                Sort::Relevance
            } else {
                Sort::Newest
            },
            offset: 0,
            limit: MAX_PER_PAGE,
            now_ms: Utc::now().timestamp_millis() / 3_600_000 * 3_600_000,
        })
        .unwrap_or_else(|e| panic!("search failed for {query:?}: {e}"))
}

/// The stories a query finds; the index is small enough for one page to hold them all.
fn ids(query: &str) -> BTreeSet<i64> {
    search(query).hits.iter().map(|h| h.id.0).collect()
}

/// A part as a reader would write it.
fn written(part: &Part) -> String {
    let sign = if part.excluded { "-" } else { "" };
    match &part.matches {
        Match::Word(w) => format!("{sign}{w}"),
        Match::Phrase(ws) => format!("{sign}\"{}\"", ws.join(" ")),
        Match::Prefix(p) => format!("{sign}{p}*"),
    }
}

/// What a query finds is what its wanted parts find, less what any excluded part would find.
fn assert_exclusions_exclude(query: &str, parts: &[Part]) {
    if !parts.iter().any(|p| p.excluded) || !parts.iter().any(|p| !p.excluded) {
        return;
    }
    let wanted: Vec<String> = parts.iter().filter(|p| !p.excluded).map(written).collect();
    let mut expected = ids(&wanted.join(" "));
    for part in parts.iter().filter(|p| p.excluded) {
        let unwanted = Part {
            excluded: false,
            ..part.clone()
        };
        for id in ids(&written(&unwanted)) {
            expected.remove(&id);
        }
    }
    assert_eq!(
        ids(query),
        expected,
        "{query:?} finds other stories than its parts"
    );
}

fn assert_is_word(w: &str) {
    assert!(
        !w.is_empty() && w.chars().all(char::is_alphanumeric),
        "a word that is not one: {w:?}"
    );
}
