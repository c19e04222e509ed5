//! The search index driven as a node drives it: stories in, queries out, on a real index in
//! a folder.

use newsdesk_core::story_text::StoryText;
use newsdesk_core::ArticleId;
use newsdesk_search::{Filters, SearchIndex, SearchRequest, Sort};

const DAY: i64 = 86_400_000;
const NOW: i64 = 1_800_000_000_000;

fn story(
    id: i64,
    headline: &str,
    body: &str,
    section: &str,
    tags: &[&str],
    days_ago: i64,
) -> StoryText {
    StoryText {
        id: ArticleId(id),
        published_ms: NOW - days_ago * DAY,
        stamp: id,
        headline: headline.into(),
        standfirst: String::new(),
        body: body.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        section: section.into(),
        authors: vec![if id % 2 == 0 {
            "Mira Holt".into()
        } else {
            "Tomas Reyes".into()
        }],
    }
}

fn newsroom() -> Vec<StoryText> {
    vec![
        story(
            1,
            "Rail strike halts commuter lines",
            "Drivers walked out at dawn and **no trains** ran on the coast line.",
            "transport",
            &["rail", "strikes"],
            1,
        ),
        story(
            2,
            "Council votes on harbour bridge",
            "The city council approved the harbour bridge budget after a long night.",
            "politics",
            &["harbour"],
            3,
        ),
        story(
            3,
            "Striking teachers return to class",
            "Teachers striking over pay went back to school on Monday.",
            "education",
            &["strikes"],
            40,
        ),
        story(
            4,
            "Election turnout climbs",
            "Turnout in the election rose in every district; electoral officials counted late.",
            "politics",
            &["election"],
            2,
        ),
        story(
            5,
            "Bridge repairs close the east road",
            "Engineers found cracks in the bridge deck, and the harbour road is shut.",
            "transport",
            &["harbour"],
            10,
        ),
        story(
            6,
            "Markets calm after rate decision",
            "The central bank held rates; markets barely moved.",
            "business",
            &[],
            5,
        ),
    ]
}

fn request(text: &str) -> SearchRequest {
    SearchRequest {
        text: text.into(),
        filters: Filters::default(),
        sort: Sort::Relevance,
        offset: 0,
        limit: 10,
        now_ms: NOW,
    }
}

fn ids(index: &SearchIndex, req: &SearchRequest) -> Vec<i64> {
    index
        .search(req)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id.0)
        .collect()
}

fn filled() -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    index.apply(&newsroom(), &[]).unwrap();
    (dir, index)
}

#[test]
fn every_word_must_match_and_word_forms_meet() {
    let (_dir, index) = filled();
    let mut found = ids(&index, &request("strike"));
    found.sort();
    assert_eq!(found, vec![1, 3], "strike finds striking and strikes");
    assert_eq!(ids(&index, &request("harbour bridge")).len(), 2);
    assert!(ids(&index, &request("harbour unicorn")).is_empty());
}

#[test]
fn a_headline_match_outranks_a_body_match() {
    let (_dir, index) = filled();
    // Story 2 has "council" in its headline and body; 5 mentions neither. "bridge" is in the
    // headline of both, "harbour" in the headline of 2 only.
    assert_eq!(ids(&index, &request("harbour"))[0], 2);
}

#[test]
fn phrases_need_their_words_together_and_in_order() {
    let (_dir, index) = filled();
    assert_eq!(ids(&index, &request("\"harbour bridge\"")), vec![2]);
    assert!(ids(&index, &request("\"bridge harbour\"")).is_empty());
}

#[test]
fn a_prefix_matches_every_word_that_starts_with_it() {
    let (_dir, index) = filled();
    assert_eq!(ids(&index, &request("elect*")), vec![4]);
    let mut found = ids(&index, &request("harb*"));
    found.sort();
    assert_eq!(found, vec![2, 5]);
    assert!(ids(&index, &request("zzq*")).is_empty());
}

#[test]
fn excluded_words_leave_stories_out() {
    let (_dir, index) = filled();
    assert_eq!(ids(&index, &request("harbour -council")), vec![5]);
    assert!(
        ids(&index, &request("-council")).is_empty(),
        "nothing asked for"
    );
}

#[test]
fn filters_narrow_by_section_tag_author_and_date() {
    let (_dir, index) = filled();
    let mut req = request("harbour");
    req.filters.section = Some("transport".into());
    assert_eq!(ids(&index, &req), vec![5]);
    let mut req = request("");
    req.filters.tag = Some("strikes".into());
    req.sort = Sort::Newest;
    assert_eq!(ids(&index, &req), vec![1, 3]);
    let mut req = request("");
    req.filters.author = Some("mira-holt".into());
    req.sort = Sort::Newest;
    assert_eq!(ids(&index, &req), vec![4, 2, 6]);
    let mut req = request("");
    req.filters.from_ms = Some(NOW - 4 * DAY);
    req.filters.until_ms = Some(NOW - DAY);
    req.sort = Sort::Newest;
    assert_eq!(ids(&index, &req), vec![4, 2]);
    assert!(
        ids(&index, &request("")).is_empty(),
        "no words, no filters: nothing"
    );
}

#[test]
fn pages_follow_one_another_without_overlap() {
    let (_dir, index) = filled();
    let mut req = request("");
    req.filters.from_ms = Some(0);
    req.limit = 4;
    let first = index.search(&req).unwrap();
    req.offset = 4;
    let second = index.search(&req).unwrap();
    assert_eq!(first.total, 6);
    assert_eq!(second.total, 6);
    assert_eq!(first.hits.len(), 4);
    assert_eq!(second.hits.len(), 2);
    assert!(first
        .hits
        .iter()
        .all(|h| !second.hits.iter().any(|s| s.id == h.id)));
}

#[test]
fn snippets_mark_the_matched_words_in_the_body_and_headline() {
    let (_dir, index) = filled();
    let found = index.search(&request("striking")).unwrap();
    let passage = found
        .highlighter
        .passage("Teachers striking over pay went back to school on Monday.");
    let marked: Vec<&str> = passage
        .parts
        .iter()
        .filter(|(_, hit)| *hit)
        .map(|(t, _)| t.as_str())
        .collect();
    assert_eq!(marked, vec!["striking"]);
    let headline = found.highlighter.whole("Rail strike halts commuter lines");
    assert_eq!(headline.text(), "Rail strike halts commuter lines");
    assert!(headline.parts.contains(&("strike".to_string(), true)));
}

#[test]
fn a_changed_story_is_found_by_its_new_words_only_and_a_removed_one_not_at_all() {
    let (_dir, index) = filled();
    let mut changed = newsroom().remove(5);
    changed.headline = "Markets rally after surprise cut".into();
    changed.stamp = 99;
    index.apply(&[changed], &[ArticleId(1)]).unwrap();
    assert_eq!(ids(&index, &request("rally")), vec![6]);
    assert!(ids(&index, &request("calm")).is_empty());
    assert!(!ids(&index, &request("strike")).contains(&1));
    assert_eq!(index.stamps().unwrap()[&ArticleId(6)], 99);
    assert_eq!(index.len(), 5);
}

#[test]
fn an_index_with_a_history_of_edits_ranks_exactly_like_a_fresh_one() {
    let (_dir, edited) = filled();
    // Edit the harbour stories a few times, one commit each: too few segments for a merge, so
    // the old versions linger and tantivy's own counts would see "harbour" in 8 stories.
    for round in 0..3 {
        let again: Vec<StoryText> = newsroom()
            .into_iter()
            .filter(|s| s.id.0 == 2 || s.id.0 == 5)
            .map(|mut s| {
                s.stamp = 1000 + round;
                s
            })
            .collect();
        edited.apply(&again, &[]).unwrap();
    }
    let (_dir2, fresh) = filled();
    for q in [
        "harbour",
        "strike",
        "bridge road",
        "\"harbour bridge\"",
        "harb*",
        "the",
    ] {
        let a = edited.search(&request(q)).unwrap();
        let b = fresh.search(&request(q)).unwrap();
        assert_eq!(a.hits, b.hits, "query {q}: same stories, same scores");
        assert_eq!(a.total, b.total, "query {q}");
    }
}

#[test]
fn reopening_keeps_the_index_and_another_version_starts_empty() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::open(dir.path()).unwrap();
        index.apply(&newsroom(), &[]).unwrap();
        assert!(matches!(
            SearchIndex::open(dir.path()),
            Err(newsdesk_search::SearchError::Busy(_))
        ));
    }
    assert_eq!(SearchIndex::open(dir.path()).unwrap().len(), 6);
    std::fs::write(dir.path().join("newsdesk-version"), "older").unwrap();
    assert_eq!(SearchIndex::open(dir.path()).unwrap().len(), 0);
}

#[test]
fn snippets_hold_with_wide_spaces_and_accented_headlines() {
    let (_dir, index) = filled();
    let found = index.search(&request("million strike")).unwrap();
    let text = format!("{}a\u{a0}million more", "a ".repeat(109));
    let passage = found.highlighter.passage(&text);
    assert!(passage.parts.contains(&("million".to_string(), true)));
    let headline = found
        .highlighter
        .whole("Rail strike \u{2014} caf\u{e9} workers strike");
    assert_eq!(headline.parts.iter().filter(|(_, hit)| *hit).count(), 2);
}
