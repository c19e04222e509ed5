//! Which stories are most like one: not the ones sharing the most words with it, but the ones
//! whose nearest stories are its nearest stories. A story's neighbourhood (its own weight and
//! its neighbours' similarities, as one normalised vector) is compared with each candidate's;
//! plain word similarity counts a tenth. Candidates are its neighbours and those of its
//! nearest WIDENED_BY, so a query reads a few thousand short lists and never the term vectors.

use super::neighbours::{quantise, unquantise, NEIGHBOURS};
use super::terms::counts;
use super::{RelatedIndex, StoryText};
use crate::ids::ArticleId;
use std::cell::RefCell;

/// A story's weight in its own neighbourhood: 0.3 measured as well as 0.5 or better (up to
/// 0.006), 1 worse everywhere.
const SELF_WEIGHT: f32 = 0.3;
/// The share of plain word similarity in the score.
const WORD_SHARE: f32 = 0.1;
/// Word similarity from which two stories are copies of one (the same story under two
/// slugs, perhaps lightly edited): a copy of the story is never shown, nor two copies of
/// another. Two short stories sharing a paragraph reach 0.93, so it is well above that.
const COPY: f32 = 0.97;
/// Scores closer than this are equal, and the fresher story goes first.
const NEAR_EQUAL: f32 = 0.005;
/// The nearest neighbours whose own lists widen the candidates. Reading all of them (up to
/// NEIGHBOURS² candidates) picked exactly the same five on every real corpus measured as
/// reading the nearest 5 to 100 (bench/related-quality/FINDINGS2.md), at up to six times
/// the work: the tail of the query's time at 100,000 stories.
const WIDENED_BY: usize = 20;

#[derive(Default)]
struct Scratch {
    /// The asked story's neighbourhood vector, by slot.
    mine: Vec<f32>,
    /// Its word similarity to each of its neighbours, by slot.
    word: Vec<f32>,
    /// Which pass last saw a slot, so candidates are counted once without clearing.
    seen: Vec<u32>,
    pass: u32,
    candidates: Vec<u32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl RelatedIndex {
    /// The `limit` stories most like story `id`, best first; the fresher first among equally
    /// related ones; never the story itself, a copy of it, or two copies of another story (the
    /// earlier published is shown).
    pub fn related(&self, id: ArticleId, limit: usize) -> Vec<(ArticleId, f32)> {
        let Some(&slot) = self.slot_of.get(&id) else {
            return Vec::new();
        };
        let (slots, sims) = self.near.of(slot);
        self.pick(Some(slot), slots, sims, limit)
    }

    /// As `related`, for a story the index may not hold yet (published a moment ago, or on
    /// another node): its nearest stories are found from its text, as if it were added.
    pub fn related_to(&self, doc: &StoryText, limit: usize) -> Vec<(ArticleId, f32)> {
        if self.slot_of.contains_key(&doc.id) {
            return self.related(doc.id, limit);
        }
        let vector = self.vector(&counts(doc));
        let mut found = self.similar(&vector);
        let order = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0));
        if found.len() > NEIGHBOURS {
            found.select_nth_unstable_by(NEIGHBOURS - 1, order);
            found.truncate(NEIGHBOURS);
        }
        found.sort_unstable_by(order);
        let slots: Vec<u32> = found.iter().map(|(s, _)| *s).collect();
        let sims: Vec<u8> = found.iter().map(|(_, w)| quantise(*w)).collect();
        self.pick(None, &slots, &sims, limit)
    }

    /// The best `limit` of the candidates from a story's list (`own` is the story's slot,
    /// when it has one), copies left out.
    fn pick(
        &self,
        own: Option<u32>,
        my_slots: &[u32],
        my_sims: &[u8],
        limit: usize,
    ) -> Vec<(ArticleId, f32)> {
        let mut scored = SCRATCH.with(|s| self.score(own, my_slots, my_sims, &mut s.borrow_mut()));
        let bucket = |score: f32| (score / NEAR_EQUAL).round() as i64;
        scored.sort_unstable_by(|a, b| {
            bucket(b.1)
                .cmp(&bucket(a.1))
                .then(
                    self.entries[b.0 as usize]
                        .published_ms
                        .cmp(&self.entries[a.0 as usize].published_ms),
                )
                .then(b.1.total_cmp(&a.1))
        });
        let published = |s: u32| self.entries[s as usize].published_ms;
        let mut picked: Vec<(u32, f32)> = Vec::with_capacity(limit);
        for &(candidate, score) in &scored {
            match picked.iter().position(|p| self.copies(p.0, candidate)) {
                // Of two copies the original stays, so a later copy cannot hide it.
                Some(at) if published(candidate) < published(picked[at].0) => {
                    picked[at] = (candidate, score)
                }
                Some(_) => {}
                None if picked.len() < limit => picked.push((candidate, score)),
                // Past the last place only a copy's original may still come.
                None => {}
            }
        }
        picked
            .into_iter()
            .map(|(s, score)| (self.ids[s as usize], score))
            .collect()
    }

    /// The `limit` stories sharing the most words with story `id` by plain cosine similarity
    /// of their term vectors (its list's head): the baseline the benchmarks print beside
    /// `related`.
    pub fn closest_by_words(&self, id: ArticleId, limit: usize) -> Vec<(ArticleId, f32)> {
        let Some(&slot) = self.slot_of.get(&id) else {
            return Vec::new();
        };
        let (slots, sims) = self.near.of(slot);
        slots
            .iter()
            .zip(sims)
            .filter(|(o, _)| self.entries[**o as usize].live)
            .take(limit)
            .map(|(o, q)| (self.ids[*o as usize], unquantise(*q)))
            .collect()
    }

    /// Whether two stories are copies of one, as far as their lists tell.
    fn copies(&self, a: u32, b: u32) -> bool {
        let close = |x: u32, y: u32| {
            let (slots, sims) = self.near.of(x);
            slots
                .iter()
                .zip(sims)
                .take_while(|(_, s)| unquantise(**s) >= COPY)
                .any(|(o, _)| *o == y)
        };
        close(a, b) || close(b, a)
    }

    /// Every candidate with its score, in no order.
    fn score(
        &self,
        own: Option<u32>,
        my_slots: &[u32],
        my_sims: &[u8],
        s: &mut Scratch,
    ) -> Vec<(u32, f32)> {
        let n = self.entries.len();
        if s.mine.len() < n {
            s.mine.resize(n, 0.0);
            s.word.resize(n, 0.0);
            s.seen.resize(n, 0);
        }
        s.pass = s.pass.wrapping_add(1);
        if s.pass == 0 {
            s.seen.iter_mut().for_each(|x| *x = 0);
            s.pass = 1;
        }
        let live = |x: u32| self.entries[x as usize].live;
        let norm = (SELF_WEIGHT * SELF_WEIGHT
            + my_slots
                .iter()
                .zip(my_sims)
                .filter(|(o, _)| live(**o))
                .map(|(_, q)| unquantise(*q).powi(2))
                .sum::<f32>())
        .sqrt();
        if let Some(slot) = own {
            s.mine[slot as usize] = SELF_WEIGHT / norm;
            s.seen[slot as usize] = s.pass;
        }
        for (o, q) in my_slots.iter().zip(my_sims) {
            if live(*o) {
                s.mine[*o as usize] = unquantise(*q) / norm;
                s.word[*o as usize] = unquantise(*q);
            }
        }
        let push = |c: u32, s: &mut Scratch| {
            if s.seen[c as usize] != s.pass && live(c) {
                s.seen[c as usize] = s.pass;
                s.candidates.push(c);
            }
        };
        for &o in my_slots {
            push(o, s);
        }
        for &o in my_slots.iter().filter(|o| live(**o)).take(WIDENED_BY) {
            for &c in self.near.of(o).0 {
                push(c, s);
            }
        }
        let mut scored = Vec::with_capacity(s.candidates.len());
        for c in s.candidates.drain(..) {
            // A copy of the asked story is not another story.
            if s.word[c as usize] >= COPY {
                continue;
            }
            let (their_slots, their_sims) = self.near.of(c);
            let mut dot = SELF_WEIGHT * s.mine[c as usize];
            let mut their_norm = SELF_WEIGHT * SELF_WEIGHT;
            // Removed stories are mostly taken out of lists; one left counts in the norm only
            // (its weight in `mine` is 0), which saves a lookup per entry on the hot path.
            for (o, q) in their_slots.iter().zip(their_sims) {
                let w = unquantise(*q);
                their_norm += w * w;
                dot += w * s.mine[*o as usize];
            }
            let score =
                WORD_SHARE * s.word[c as usize] + (1.0 - WORD_SHARE) * dot / their_norm.sqrt();
            scored.push((c, score));
        }
        if let Some(slot) = own {
            s.mine[slot as usize] = 0.0;
        }
        for o in my_slots {
            s.mine[*o as usize] = 0.0;
            s.word[*o as usize] = 0.0;
        }
        scored
    }
}
