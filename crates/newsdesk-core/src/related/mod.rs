//! "More like this": related stories chosen by what they say. Each story becomes a weighted
//! term vector (headline, standfirst and tags count more than the body; term frequency is
//! damped and rare terms weigh more), kept in an inverted index in memory so the most similar
//! stories are found without comparing against every story.

use crate::ids::ArticleId;
pub use crate::story_text::StoryText;
use std::collections::HashMap;
use terms::counts;

mod snapshot;
mod terms;

pub use snapshot::{Snapshot, SnapshotError, SNAPSHOT_VERSION};
pub use terms::terms;

/// Terms kept per story: enough to characterise it, few enough to keep the index small.
const TERMS_PER_DOC: usize = 48;
struct Entry {
    published_ms: i64,
    stamp: i64,
    /// Term ids and weights, L2-normalised.
    vector: Vec<(u32, f32)>,
    live: bool,
}

/// The index of every live story.
#[derive(Default)]
pub struct RelatedIndex {
    term_ids: HashMap<String, u32>,
    /// How many stories hold each term (stories removed since the last rebuild included).
    df: Vec<u32>,
    entries: Vec<Entry>,
    slot_of: HashMap<ArticleId, u32>,
    ids: Vec<ArticleId>,
    postings: Vec<Vec<(u32, f32)>>,
    live: usize,
    /// Stories counted by the last build: the weights of stories added since rest on
    /// document frequencies from that many.
    counted: usize,
}

impl RelatedIndex {
    /// Builds an index of `docs` at once, with document frequencies over all of them.
    pub fn build(docs: &[StoryText]) -> RelatedIndex {
        let mut index = RelatedIndex::default();
        for doc in docs {
            index.count(doc);
        }
        for doc in docs {
            index.add_counted(doc);
        }
        index
    }

    /// The first of a build's two passes: counts in how many stories each term occurs. A
    /// large archive is built by reading its stories a slice at a time, once for this pass
    /// and once for `add_counted`, so they are never all in memory together.
    pub fn count(&mut self, doc: &StoryText) {
        self.counted += 1;
        for t in counts(doc).keys() {
            let id = self.term_id(t);
            self.df[id as usize] += 1;
        }
    }

    /// The second pass: adds a story already counted.
    pub fn add_counted(&mut self, doc: &StoryText) {
        let c = counts(doc);
        self.insert(doc, c, false);
    }

    fn term_id(&mut self, t: &str) -> u32 {
        if let Some(id) = self.term_ids.get(t) {
            return *id;
        }
        let id = self.df.len() as u32;
        self.term_ids.insert(t.to_string(), id);
        self.df.push(0);
        self.postings.push(Vec::new());
        id
    }

    fn idf(&self, term: u32) -> f32 {
        let n = self.live.max(1) as f32;
        let df = self.df.get(term as usize).copied().unwrap_or(0).max(1) as f32;
        (1.0 + n / df).ln()
    }

    fn vector(&self, c: &HashMap<String, f32>) -> Vec<(u32, f32)> {
        let mut v: Vec<(u32, f32)> = c
            .iter()
            .filter_map(|(t, tf)| {
                let id = *self.term_ids.get(t)?;
                Some((id, (1.0 + tf.ln()) * self.idf(id)))
            })
            .collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1));
        v.truncate(TERMS_PER_DOC);
        let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt().max(1e-6);
        for (_, w) in &mut v {
            *w /= norm;
        }
        v
    }

    fn insert(&mut self, doc: &StoryText, c: HashMap<String, f32>, count_df: bool) {
        if count_df {
            for t in c.keys() {
                let id = self.term_id(t);
                self.df[id as usize] += 1;
            }
        }
        // Counted live before weighing, as the build's stories are.
        self.live += 1;
        let vector = self.vector(&c);
        self.place(doc.id, doc.published_ms, doc.stamp, vector);
    }

    /// Puts a weighed story in the next slot, with its postings; its terms must be known and
    /// it must already be counted in `live`.
    fn place(&mut self, id: ArticleId, published_ms: i64, stamp: i64, vector: Vec<(u32, f32)>) {
        let slot = self.entries.len() as u32;
        for (t, w) in &vector {
            self.postings[*t as usize].push((slot, *w));
        }
        self.entries.push(Entry {
            published_ms,
            stamp,
            vector,
            live: true,
        });
        self.ids.push(id);
        self.slot_of.insert(id, slot);
    }

    /// Adds a story, or replaces its earlier version.
    pub fn upsert(&mut self, doc: &StoryText) {
        self.remove(doc.id);
        let c = counts(doc);
        self.insert(doc, c, true);
    }

    /// Takes a story out (withdrawn, deleted); its postings are skipped until the next build.
    pub fn remove(&mut self, id: ArticleId) {
        if let Some(slot) = self.slot_of.remove(&id) {
            let e = &mut self.entries[slot as usize];
            if e.live {
                e.live = false;
                self.live -= 1;
            }
        }
    }

    pub fn len(&self) -> usize {
        self.live
    }

    pub fn contains(&self, id: ArticleId) -> bool {
        self.slot_of.contains_key(&id)
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Each indexed story with the change time it was indexed at.
    pub fn stamps(&self) -> HashMap<ArticleId, i64> {
        self.slot_of
            .iter()
            .map(|(id, slot)| (*id, self.entries[*slot as usize].stamp))
            .collect()
    }

    /// Whether so much was removed or added since the build that a rebuild pays: many
    /// stories gone, or the archive more than twice the size the weights were counted on.
    pub fn worn(&self) -> bool {
        self.entries.len() > 64
            && (self.entries.len() > self.live * 5 / 4 || self.live > self.counted * 2)
    }

    /// Scores every story sharing a term with `query`, by cosine, best first.
    fn score(&self, query: &[(u32, f32)], skip: u32) -> Vec<(u32, f32)> {
        // Terms in a fifth of a large archive say little and cost much; leave them out.
        let common = if self.live > 500 {
            self.live / 5
        } else {
            usize::MAX
        };
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let (sums, touched) = &mut *scratch;
            if sums.len() < self.entries.len() {
                sums.resize(self.entries.len(), 0.0);
            }
            for (t, qw) in query {
                if self.df[*t as usize] as usize > common {
                    continue;
                }
                for (other, w) in &self.postings[*t as usize] {
                    let sum = &mut sums[*other as usize];
                    if *sum == 0.0 {
                        touched.push(*other);
                    }
                    *sum += qw * w;
                }
            }
            let mut found: Vec<(u32, f32)> = Vec::with_capacity(touched.len());
            for s in touched.drain(..) {
                let score = std::mem::take(&mut sums[s as usize]);
                if s != skip && score > 0.0 && self.entries[s as usize].live {
                    found.push((s, score));
                }
            }
            found.sort_unstable_by(|a, b| {
                b.1.total_cmp(&a.1).then(
                    self.entries[b.0 as usize]
                        .published_ms
                        .cmp(&self.entries[a.0 as usize].published_ms),
                )
            });
            found
        })
    }

    /// The `limit` stories most like story `id` (which must be indexed), best first; the more
    /// recent first among equally related ones.
    ///
    /// Plain cosine similarity is fooled by stories that share a few words with a neighbouring
    /// subject. So the story's vector is first moved toward its closest stories (pseudo-relevance
    /// feedback, as in Rocchio's method): what they have in common is the subject, what only one
    /// of them says is noise.
    pub fn related(&self, id: ArticleId, limit: usize) -> Vec<(ArticleId, f32)> {
        let Some(&slot) = self.slot_of.get(&id) else {
            return Vec::new();
        };
        let query = &self.entries[slot as usize].vector;
        let first = self.score(query, slot);
        let feedback: Vec<&(u32, f32)> = first.iter().take(FEEDBACK_DOCS).collect();
        let found = if feedback.is_empty() {
            first
        } else {
            let mut expanded: HashMap<u32, f32> = query.iter().copied().collect();
            let total: f32 = feedback.iter().map(|(_, s)| s).sum::<f32>().max(1e-6);
            for (s, score) in &feedback {
                for (t, w) in &self.entries[*s as usize].vector {
                    *expanded.entry(*t).or_default() += FEEDBACK_WEIGHT * w * score / total;
                }
            }
            let mut v: Vec<(u32, f32)> = expanded.into_iter().collect();
            v.sort_by(|a, b| b.1.total_cmp(&a.1));
            v.truncate(TERMS_PER_DOC);
            self.score(&v, slot)
        };
        found
            .into_iter()
            .take(limit)
            .map(|(s, score)| (self.ids[s as usize], score))
            .collect()
    }
}

impl RelatedIndex {
    /// The same answer as `related` without the feedback, found by comparing the story with
    /// every other story: the reference the benchmark measures the index against.
    pub fn related_by_scanning(&self, id: ArticleId, limit: usize) -> Vec<(ArticleId, f32)> {
        let Some(&slot) = self.slot_of.get(&id) else {
            return Vec::new();
        };
        let query: HashMap<u32, f32> = self.entries[slot as usize].vector.iter().copied().collect();
        let mut found: Vec<(u32, f32)> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(s, e)| *s as u32 != slot && e.live)
            .map(|(s, e)| {
                let dot = e
                    .vector
                    .iter()
                    .filter_map(|(t, w)| query.get(t).map(|q| q * w))
                    .sum();
                (s as u32, dot)
            })
            .filter(|(_, d)| *d > 0.0)
            .collect();
        found.sort_by(|a, b| b.1.total_cmp(&a.1));
        found
            .into_iter()
            .take(limit)
            .map(|(s, score)| (self.ids[s as usize], score))
            .collect()
    }
}

thread_local! {
    /// Each thread's running sums for scoring, reused so a query allocates nothing per story.
    static SCRATCH: std::cell::RefCell<(Vec<f32>, Vec<u32>)> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// How many of the closest stories shape the expanded query, and how much they count.
const FEEDBACK_DOCS: usize = 16;
const FEEDBACK_WEIGHT: f32 = 3.0;

#[cfg(test)]
mod tests {
    use super::terms::stem;
    use super::*;

    fn doc(id: i64, headline: &str, body: &str, tags: &[&str], published: i64) -> StoryText {
        StoryText {
            id: ArticleId(id),
            published_ms: published,
            stamp: published,
            headline: headline.into(),
            standfirst: String::new(),
            body: body.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            section: String::new(),
            authors: Vec::new(),
        }
    }

    #[test]
    fn word_forms_meet_at_one_stem() {
        assert_eq!(stem("strikes"), stem("strike"));
        assert_eq!(stem("striking"), stem("strike"));
        assert_eq!(stem("cities"), "city");
        assert_eq!(
            terms("The Mayor's ferries, and 2026!"),
            vec!["mayor", "ferry"]
        );
    }

    #[test]
    fn stories_on_the_same_subject_come_first_and_never_the_story_itself() {
        let index = RelatedIndex::build(&[
            doc(
                1,
                "Rail strike halts trains",
                "Drivers walked out; trains stopped at every station.",
                &["rail"],
                1,
            ),
            doc(
                2,
                "Drivers extend rail strike",
                "The strike by train drivers goes on.",
                &["rail"],
                2,
            ),
            doc(
                3,
                "Museum reopens gallery",
                "Paintings return to the gallery walls.",
                &["arts"],
                3,
            ),
        ]);
        let r = index.related(ArticleId(1), 5);
        assert_eq!(r[0].0, ArticleId(2));
        assert!(r.iter().all(|(id, _)| *id != ArticleId(1)));
        assert!(
            !r.iter().any(|(id, _)| *id == ArticleId(3)),
            "nothing shared, not related"
        );
    }

    #[test]
    fn among_equals_the_more_recent_wins() {
        let index = RelatedIndex::build(&[
            doc(1, "Harbour ferry", "Ferry news.", &[], 1),
            doc(2, "Harbour ferry", "Ferry news.", &[], 2),
            doc(3, "Harbour ferry", "Ferry news.", &[], 3),
        ]);
        let r: Vec<ArticleId> = index
            .related(ArticleId(1), 5)
            .into_iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(r, vec![ArticleId(3), ArticleId(2)]);
    }

    #[test]
    fn a_new_story_is_related_at_once_and_a_removed_one_is_gone() {
        let mut index = RelatedIndex::build(&[
            doc(
                1,
                "Harbour ferry fares rise",
                "Ferry fares go up.",
                &["ferry"],
                1,
            ),
            doc(2, "Museum theft", "A painting was stolen.", &["museum"], 2),
        ]);
        index.upsert(&doc(
            3,
            "Ferry fares: what riders pay",
            "The ferry costs more.",
            &["ferry"],
            3,
        ));
        assert_eq!(index.related(ArticleId(1), 5)[0].0, ArticleId(3));
        index.remove(ArticleId(3));
        assert!(index.related(ArticleId(1), 5).is_empty());
        assert_eq!(index.len(), 2);
    }
}
