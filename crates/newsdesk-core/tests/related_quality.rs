//! "More like this" on the made-up labelled corpus, its stories indexed without their labels:
//! a fixed fixture that checks the lists are full and mostly on topic (plain word similarity
//! is printed beside: on this regular text the two are level). The measure of quality is real
//! news (tests/http/related_quality.rs, bench/related.sh): made-up text is more regular than
//! reporting, and a method tuned on it learns the generator.

mod support;

use newsdesk_core::related::RelatedIndex;
use support::corpus::{corpus, TOPICS};

fn precision_at_5(per_topic: usize, seed: u64) -> (f64, f64, f64) {
    let stories = corpus(per_topic, 150, seed);
    let docs: Vec<_> = stories.iter().map(|s| s.doc.clone()).collect();
    let index = RelatedIndex::build(&docs);
    let topic_of = |id: newsdesk_core::ArticleId| stories[(id.0 - 1) as usize].topic;
    let mut hits = 0usize;
    let mut latest_hits = 0usize;
    let mut plain_hits = 0usize;
    let mut asked = 0usize;
    for s in &stories {
        let top = index.related(s.doc.id, 5);
        assert_eq!(top.len(), 5, "five related stories for every story");
        hits += top
            .iter()
            .filter(|(id, _)| topic_of(*id) == s.topic)
            .count();
        plain_hits += index
            .closest_by_words(s.doc.id, 5)
            .iter()
            .filter(|(id, _)| topic_of(*id) == s.topic)
            .count();
        // The "latest stories" list many news themes show, for comparison.
        let mut latest: Vec<_> = stories.iter().filter(|o| o.doc.id != s.doc.id).collect();
        latest.sort_by_key(|o| std::cmp::Reverse(o.doc.published_ms));
        latest_hits += latest.iter().take(5).filter(|o| o.topic == s.topic).count();
        asked += 5;
    }
    (
        hits as f64 / asked as f64,
        plain_hits as f64 / asked as f64,
        latest_hits as f64 / asked as f64,
    )
}

#[test]
fn nine_in_ten_of_the_top_five_share_the_story_topic_and_all_five_are_found() {
    for seed in [7, 2026] {
        let (precision, plain, latest) = precision_at_5(40, seed);
        println!(
            "seed {seed}: more like this {precision:.3}, plain word similarity {plain:.3}, latest stories {latest:.3}, {} topics",
            TOPICS.len()
        );
        assert!(
            precision >= 0.9,
            "precision at 5 was {precision:.3} (seed {seed})"
        );
        assert!(
            latest < 0.3,
            "the corpus is not trivially ordered: latest {latest:.3}"
        );
    }
}
