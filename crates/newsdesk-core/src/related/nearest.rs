//! Finding a story's nearest stories by word similarity through the postings: the rarest
//! terms read in full, the common ones looked up for the best stories found.

use super::neighbours::NEIGHBOURS;
use super::RelatedIndex;

/// Postings read in full when a story's nearest stories are sought; see `similar`.
const SCAN_BUDGET: usize = 64_000;
/// Stories whose similarity is completed with the common terms past the budget, and how many
/// lookups that may take.
const REFINED: usize = 3 * NEIGHBOURS;
const REFINE_BUDGET: usize = 6_000;

impl RelatedIndex {
    /// Every live story sharing a term with `vector`, with its cosine similarity, in no order.
    ///
    /// Reading every posting of every term makes a build quadratic: at 100,000 stories each
    /// story would read hundreds of thousands. So the rarest terms are read in full up to
    /// `SCAN_BUDGET` postings (they say most about a story), the best `REFINED` stories found
    /// are kept, and the heaviest of the common terms left are looked up for those alone
    /// (postings are in slot order, so by binary search), up to `REFINE_BUDGET` lookups; the
    /// lightest may stay out. Below the budget, which covers every story of archives up
    /// to several thousand, the answer is exact.
    pub(super) fn similar(&self, vector: &[(u32, f32)]) -> Vec<(u32, f32)> {
        let mut terms: Vec<(u32, f32)> = vector.to_vec();
        terms.sort_by_key(|(t, _)| self.postings[*t as usize].slots.len());
        let mut read = 0usize;
        let mut split = terms.len();
        for (i, (t, _)) in terms.iter().enumerate() {
            read += self.postings[*t as usize].slots.len();
            if read > SCAN_BUDGET && i > 0 {
                split = i;
                break;
            }
        }
        let mut found = self.scan(&terms[..split]);
        if split == terms.len() {
            return found;
        }
        let order = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0));
        if found.len() > REFINED {
            found.select_nth_unstable_by(REFINED - 1, order);
            found.truncate(REFINED);
        }
        found.sort_unstable_by_key(|(slot, _)| *slot);
        // The common terms left, heaviest first, while the lookups stay within the budget.
        let mut rest: Vec<&(u32, f32)> = terms[split..].iter().collect();
        rest.sort_by(|a, b| b.1.total_cmp(&a.1));
        let mut looked = 0usize;
        for (t, qw) in rest {
            looked += found.len();
            if looked > REFINE_BUDGET {
                break;
            }
            let p = &self.postings[*t as usize];
            let qw = qw / 255.0;
            let mut from = 0usize;
            for (slot, sum) in found.iter_mut() {
                from += gallop(&p.slots[from..], *slot);
                match p.slots.get(from) {
                    Some(s) if s == slot => *sum += qw * f32::from(p.weights[from]),
                    Some(_) => {}
                    None => break,
                }
            }
        }
        found
    }

    /// Every live story holding one of `terms`, with the dot product over those terms.
    fn scan(&self, terms: &[(u32, f32)]) -> Vec<(u32, f32)> {
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let (sums, touched) = &mut *scratch;
            if sums.len() < self.entries.len() {
                sums.resize(self.entries.len(), 0.0);
            }
            for (t, qw) in terms {
                let p = &self.postings[*t as usize];
                let qw = qw / 255.0;
                // A term held by more stories than the budget (only when it is the rarest the
                // story has) is read for its newest stories.
                let skip = p.slots.len().saturating_sub(SCAN_BUDGET);
                for (other, w) in p.slots[skip..].iter().zip(&p.weights[skip..]) {
                    let sum = &mut sums[*other as usize];
                    if *sum == 0.0 {
                        touched.push(*other);
                    }
                    *sum += qw * f32::from(*w);
                }
            }
            let mut found: Vec<(u32, f32)> = Vec::with_capacity(touched.len());
            for s in touched.drain(..) {
                let sim = std::mem::take(&mut sums[s as usize]);
                if self.entries[s as usize].live && sim > 0.0 {
                    found.push((s, sim));
                }
            }
            found
        })
    }
}

/// The place of the first slot at or past `slot` in sorted `slots`, found by galloping from
/// the start: the stories looked up are in slot order, so each is found near the last.
fn gallop(slots: &[u32], slot: u32) -> usize {
    let mut step = 1;
    while step < slots.len() && slots[step] < slot {
        step *= 2;
    }
    let low = step / 2;
    let high = (step + 1).min(slots.len());
    if low >= high {
        return slots.len().min(low);
    }
    low + slots[low..high].partition_point(|s| *s < slot)
}

thread_local! {
    /// Each thread's running sums, reused so a search allocates nothing per story.
    static SCRATCH: std::cell::RefCell<(Vec<f32>, Vec<u32>)> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn galloping_finds_the_first_place_at_or_past_a_slot() {
        let slots = [2, 3, 5, 8, 13, 21, 34, 55, 89];
        for want in 0..100 {
            let expected = slots.partition_point(|s| *s < want);
            assert_eq!(gallop(&slots, want), expected, "{want}");
        }
        assert_eq!(gallop(&[], 4), 0);
    }
}
