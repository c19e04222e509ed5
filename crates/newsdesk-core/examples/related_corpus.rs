//! Precision at 5 of "more like this" on a labelled corpus given as JSON lines
//! (`{"headline", "standfirst", "body", "label"}`), with plain word similarity beside it:
//! a quick look while tuning, without a server. The measure that counts goes through the API
//! (bench/related.sh).
//! Run: cargo run --release -p newsdesk-core --example related_corpus FILE.jsonl

use newsdesk_core::related::{RelatedIndex, StoryText};
use newsdesk_core::ArticleId;

fn main() {
    let path = std::env::args().nth(1).expect("a JSON lines file");
    let text = std::fs::read_to_string(path).expect("readable");
    let mut labels = Vec::new();
    let mut docs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).expect("JSON");
        let field = |k: &str| v[k].as_str().unwrap_or_default().to_string();
        labels.push(field("label"));
        docs.push(StoryText {
            id: ArticleId(i as i64 + 1),
            published_ms: i as i64,
            stamp: i as i64,
            headline: field("headline"),
            standfirst: field("standfirst"),
            body: field("body"),
            tags: Vec::new(),
            section: String::new(),
            authors: Vec::new(),
        });
    }
    let label = |id: ArticleId| &labels[(id.0 - 1) as usize];
    let precision = |index: &RelatedIndex, by_words: bool| {
        let mut hits = 0usize;
        for d in &docs {
            let top = if by_words {
                index.closest_by_words(d.id, 5)
            } else {
                index.related(d.id, 5)
            };
            hits += top.iter().filter(|(o, _)| label(*o) == label(d.id)).count();
        }
        hits as f64 / (docs.len() * 5) as f64
    };
    let built = RelatedIndex::build(&docs);
    if std::env::var("SHOW").is_ok() {
        for d in &docs {
            println!(
                "{} words {:?} related {:?}",
                d.headline,
                built.closest_by_words(d.id, 5),
                built.related(d.id, 5)
            );
        }
    }
    println!(
        "built at once:   related {:.4}, plain words {:.4}; {} B a story on the heap",
        precision(&built, false),
        precision(&built, true),
        built.heap_bytes() / docs.len()
    );
    let mut one_by_one = RelatedIndex::default();
    for d in &docs {
        one_by_one.upsert(d);
    }
    println!(
        "one by one:      related {:.4}, plain words {:.4}",
        precision(&one_by_one, false),
        precision(&one_by_one, true)
    );
    let mut twice = RelatedIndex::build(&[]);
    for d in &docs {
        twice.upsert(d);
    }
    for d in &docs {
        twice.upsert(d);
    }
    println!(
        "each added twice: related {:.4}, plain words {:.4} (worn: {})",
        precision(&twice, false),
        precision(&twice, true),
        twice.worn()
    );
}
