//! "More like this" at archive scale: builds the index of 100,000 made-up stories, then times
//! the top five for 2,000 stories, with the precision of plain word similarity beside it.
//! Run: cargo run --release -p newsdesk-core --example related_bench [STORIES] [grow]
//! With `grow`, the stories are added one at a time, as a node publishing them does, and the
//! room the index holds is shown before and after it is shrunk to fit.

#[path = "../tests/support/corpus.rs"]
mod corpus;

use newsdesk_core::related::RelatedIndex;
use newsdesk_core::ArticleId;
use std::time::Instant;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let per_topic = n / corpus::TOPICS.len();
    let stories = corpus::corpus(per_topic, 150, 11);
    let docs: Vec<_> = stories.iter().map(|s| s.doc.clone()).collect();
    let grow = std::env::args().nth(2).is_some_and(|a| a == "grow");
    let started = Instant::now();
    let index = if grow {
        let mut index = RelatedIndex::default();
        for doc in &docs {
            index.upsert(doc);
        }
        let grown = index.heap_bytes();
        index.shrink();
        println!(
            "grown one story at a time: the index holds {:.0} MB, {:.0} MB once shrunk to fit",
            grown as f64 / 1e6,
            index.heap_bytes() as f64 / 1e6
        );
        index
    } else {
        RelatedIndex::build(&docs)
    };
    let built = started.elapsed();
    let mut times = Vec::new();
    let mut hits = 0usize;
    for i in 0..2000usize {
        let id = ArticleId(((i * 7919) % docs.len() + 1) as i64);
        let t = Instant::now();
        let top = index.related(id, 5);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        let topic = stories[(id.0 - 1) as usize].topic;
        hits += top
            .iter()
            .filter(|(o, _)| stories[(o.0 - 1) as usize].topic == topic)
            .count();
    }
    times.sort_by(f64::total_cmp);
    // The baseline: the stories sharing the most words (plain cosine).
    let mut plain_hits = 0usize;
    for i in 0..2000usize {
        let id = ArticleId(((i * 7919) % docs.len() + 1) as i64);
        let topic = stories[(id.0 - 1) as usize].topic;
        plain_hits += index
            .closest_by_words(id, 5)
            .iter()
            .filter(|(o, _)| stories[(o.0 - 1) as usize].topic == topic)
            .count();
    }
    println!(
        "stories: {} ({} topics), index built in {:.1} s",
        docs.len(),
        corpus::TOPICS.len(),
        built.as_secs_f64()
    );
    println!(
        "top 5 with the index: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (2,000 stories)",
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times[times.len() - 1]
    );
    println!("precision at 5: {:.3}", hits as f64 / (2000.0 * 5.0));
    println!(
        "the index holds about {:.0} MB ({} B a story)",
        index.heap_bytes() as f64 / 1e6,
        index.heap_bytes() / docs.len()
    );
    println!(
        "precision at 5 of plain word similarity: {:.3}",
        plain_hits as f64 / (2000.0 * 5.0)
    );
}
