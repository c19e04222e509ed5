//! "More like this": related stories chosen by what they say. Each story becomes a weighted
//! term vector (headline, standfirst and tags count more than the body; term frequency is
//! damped and rare terms weigh more), kept in an inverted index in memory. Through it each
//! story keeps its nearest stories by word similarity (see `neighbours`); two stories are then
//! related by how much their neighbourhoods agree (see `query`), which on real news beat the
//! plain word similarity everywhere it was measured (bench/related-quality/FINDINGS2.md).

use crate::ids::ArticleId;
pub use crate::story_text::StoryText;
use neighbours::{quantise, Neighbours, NEIGHBOURS};
use std::collections::HashMap;
use terms::counts;

mod nearest;
mod neighbours;
mod query;
mod snapshot;
mod terms;

pub use snapshot::{Snapshot, SnapshotError, SNAPSHOT_VERSION};
pub use terms::terms;

/// Stories counted from which the weights are settled: growth no longer calls for a rebuild.
const SETTLED_WEIGHTS: usize = 20_000;

/// Terms kept per story. Fewer cost precision on real news: 48 lost 0.04 on BBC, 100 lost
/// 0.03 on Reuters; past 200 nothing changed.
const TERMS_PER_DOC: usize = 200;

struct Entry {
    published_ms: i64,
    stamp: i64,
    live: bool,
}

/// The stories holding one term, with the term's weight in each (eight bits of a weight in
/// an L2-normalised vector, never 0).
#[derive(Default, Clone)]
struct Postings {
    slots: Vec<u32>,
    weights: Vec<u8>,
}

/// The index of every live story.
#[derive(Default)]
pub struct RelatedIndex {
    term_ids: HashMap<Box<str>, u32>,
    /// How many stories hold each term (stories removed since the last rebuild included).
    df: Vec<u32>,
    postings: Vec<Postings>,
    entries: Vec<Entry>,
    slot_of: HashMap<ArticleId, u32>,
    ids: Vec<ArticleId>,
    near: Neighbours,
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
        index.shrink();
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
        self.term_ids.insert(t.into(), id);
        self.df.push(0);
        self.postings.push(Postings::default());
        id
    }

    /// The smooth inverse document frequency, ln((1+N)/(1+df))+1: rare terms count up to
    /// about nine times common ones. ln(1+N/df), used before, let the rarest count thirteen
    /// times and cost 0.01-0.03 of precision on every real corpus measured.
    fn idf(&self, term: u32) -> f32 {
        // Every story counted in `df`: those of the build, and each added or changed since.
        let n = self.counted.max(self.entries.len() + 1) as f32;
        let df = self.df.get(term as usize).copied().unwrap_or(0) as f32;
        ((1.0 + n) / (1.0 + df)).ln() + 1.0
    }

    fn vector(&self, c: &HashMap<String, f32>) -> Vec<(u32, f32)> {
        let mut v: Vec<(u32, f32)> = c
            .iter()
            .filter_map(|(t, tf)| {
                let id = *self.term_ids.get(t.as_str())?;
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
        self.place(doc.id, doc.published_ms, doc.stamp, &vector);
    }

    /// Puts a weighed story in the next slot: finds its nearest stories, offers it to theirs
    /// (similarity is symmetric, so one pass through the postings serves both), then adds its
    /// postings. Its terms must be known and it must already be counted in `live`.
    fn place(&mut self, id: ArticleId, published_ms: i64, stamp: i64, vector: &[(u32, f32)]) {
        let slot = self.entries.len() as u32;
        let mut found = self.similar(vector);
        self.entries.push(Entry {
            published_ms,
            stamp,
            live: true,
        });
        self.ids.push(id);
        self.slot_of.insert(id, slot);
        self.near.push_story();
        let order = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0));
        if found.len() > NEIGHBOURS {
            found.select_nth_unstable_by(NEIGHBOURS - 1, order);
        }
        for (other, sim) in &found {
            self.near.offer(*other, slot, quantise(*sim));
        }
        found.truncate(NEIGHBOURS);
        found.sort_unstable_by(order);
        let best: Vec<(u32, u8)> = found.iter().map(|(s, w)| (*s, quantise(*w))).collect();
        self.near.set(slot, &best);
        for (t, w) in vector {
            let p = &mut self.postings[*t as usize];
            if p.slots.len() == p.slots.capacity() {
                // By an eighth, not doubled: a node taking stories one at a time held some
                // 40% of its postings spare (133 MB against 96 MB at 100,000 stories).
                let more = (p.slots.len() / 8).max(4);
                p.slots.reserve_exact(more);
                p.weights.reserve_exact(more);
            }
            p.slots.push(slot);
            p.weights.push(quantise(*w).max(1));
        }
    }

    /// Gives back the room that growing one story at a time left spare (up to half of every
    /// array): called once a build is done.
    pub fn shrink(&mut self) {
        for p in &mut self.postings {
            p.slots.shrink_to_fit();
            p.weights.shrink_to_fit();
        }
        self.postings.shrink_to_fit();
        self.df.shrink_to_fit();
        self.entries.shrink_to_fit();
        self.ids.shrink_to_fit();
        self.near.shrink();
    }

    /// About how many bytes the index holds on the heap, counted from its arrays' capacities
    /// (the maps at their load factor), for the benchmarks.
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let postings: usize = self
            .postings
            .iter()
            .map(|p| p.slots.capacity() * 4 + p.weights.capacity())
            .sum::<usize>()
            + self.postings.capacity() * size_of::<Postings>();
        let terms: usize = self.term_ids.keys().map(|k| k.len()).sum::<usize>()
            + self.term_ids.capacity() * (size_of::<(Box<str>, u32)>() + 1)
            + self.df.capacity() * 4;
        let stories = self.entries.capacity() * size_of::<Entry>()
            + self.ids.capacity() * size_of::<ArticleId>()
            + self.slot_of.capacity() * (size_of::<(ArticleId, u32)>() + 1);
        postings + terms + stories + self.near.heap_bytes()
    }

    /// Adds a story, or replaces its earlier version.
    pub fn upsert(&mut self, doc: &StoryText) {
        self.remove(doc.id);
        let c = counts(doc);
        self.insert(doc, c, true);
    }

    /// Takes a story out (withdrawn, deleted, or replaced by its new version): it leaves the
    /// lists of its own neighbours at once (so editing a story often cannot crowd them out);
    /// its postings, and places in lists it reached without its neighbour reaching it, are
    /// skipped until the next build.
    pub fn remove(&mut self, id: ArticleId) {
        if let Some(slot) = self.slot_of.remove(&id) {
            let e = &mut self.entries[slot as usize];
            if e.live {
                e.live = false;
                self.live -= 1;
            }
            // A list never holds its own story, so taking out changes only the others'.
            for k in 0..self.near.of(slot).0.len() {
                let other = self.near.of(slot).0[k];
                self.near.take_out(other, slot);
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
    /// stories gone (their places in lists are holes), or, while the archive is young, grown
    /// by a quarter since the weights were counted (stories loaded one by one were weighed
    /// against the few before them). Past `SETTLED_WEIGHTS` stories a quarter more moves a
    /// term's weight by a few percent, not worth a rebuild's time and its second copy of the
    /// index in memory (at 100,000 stories that copy put the node 100 MB over its budget).
    pub fn worn(&self) -> bool {
        let young = self.counted < SETTLED_WEIGHTS;
        self.entries.len() > 64
            && (self.entries.len() > self.live * 5 / 4
                || (young && self.live > self.counted.saturating_mul(5) / 4))
    }
}

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
        let not_yet_held = doc(9, "Rail strike talks", "Drivers and trains.", &["rail"], 9);
        let by_text = index.related_to(&not_yet_held, 5);
        assert_eq!(by_text.len(), 2, "{by_text:?}");
        assert!(by_text.iter().all(|(id, _)| *id != ArticleId(3)));
        assert!(r.iter().all(|(id, _)| *id != ArticleId(1)));
        assert!(
            !r.iter().any(|(id, _)| *id == ArticleId(3)),
            "nothing shared, not related"
        );
    }

    #[test]
    fn among_near_equals_the_fresher_goes_first() {
        let index = RelatedIndex::build(&[
            doc(
                1,
                "Harbour ferry fares",
                "Ferry riders pay more at the harbour.",
                &[],
                1,
            ),
            doc(
                2,
                "Harbour ferry timetable",
                "Ferry riders wait at the harbour.",
                &[],
                2,
            ),
            doc(
                3,
                "Harbour ferry timetable",
                "Ferry riders queue at the harbour.",
                &[],
                3,
            ),
        ]);
        let r: Vec<ArticleId> = index
            .related(ArticleId(1), 5)
            .into_iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(r, vec![ArticleId(3), ArticleId(2)]);
    }

    #[test]
    fn a_copy_under_another_slug_is_never_shown_and_two_copies_only_once() {
        let text = "Crews walked out at dawn and the harbour ferries stayed tied up all day.";
        let index = RelatedIndex::build(&[
            doc(1, "Ferry crews strike", text, &[], 1),
            doc(2, "Ferry crews strike", text, &[], 2),
            doc(
                3,
                "Harbour ferry strike talks",
                "Talks on the ferry crews' strike at the harbour.",
                &[],
                3,
            ),
            doc(
                4,
                "Harbour ferry strike talks",
                "Talks on the ferry crews' strike at the harbour.",
                &[],
                4,
            ),
        ]);
        let r: Vec<ArticleId> = index
            .related(ArticleId(1), 5)
            .into_iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(
            r,
            vec![ArticleId(3)],
            "not its own copy (2), one of the two copies (3, 4): the original"
        );
        assert_eq!(index.closest_by_words(ArticleId(1), 5)[0].0, ArticleId(2));
    }

    #[test]
    fn editing_a_story_again_and_again_does_not_crowd_out_its_neighbours_lists() {
        let subjects = [
            "ferry harbour crossing",
            "museum gallery painting",
            "bridge repairs traffic",
            "stadium football match",
            "library books reading",
            "hospital doctors ward",
        ];
        let mut docs = Vec::new();
        for i in 0..120i64 {
            let words = subjects[i as usize % subjects.len()];
            // A word of its own, so that no two are copies.
            let body = format!("{words} report {words} case{i} case{i}x");
            docs.push(doc(i + 1, words, &body, &[], i));
        }
        let museum = |r: &[(ArticleId, f32)]| r.iter().all(|(id, _)| (id.0 - 1) % 6 == 1);
        let mut index = RelatedIndex::build(&docs);
        assert!(museum(&index.related(ArticleId(2), 5)));
        for _ in 0..150 {
            index.upsert(&docs[0]);
        }
        let after = index.related(ArticleId(2), 5);
        assert_eq!(after.len(), 5);
        assert!(museum(&after), "{after:?}");
        let (near, _) = index.near.of(index.slot_of[&ArticleId(7)]);
        let live = near
            .iter()
            .filter(|s| index.entries[**s as usize].live)
            .count();
        assert!(
            live >= NEIGHBOURS - 5,
            "story 7 (on the edited story's subject) keeps a full list: {live} live"
        );
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
