//! Each story's nearest stories by word similarity, best first: the lists "more like this"
//! compares stories by. Kept in arrays of a fixed width per story (no allocation per story),
//! a chunk of `CHUNK` stories at a time, similarities in eight bits, which measured no loss
//! of precision.

/// How many nearest stories each story keeps. On real news (BBC, 2,225 stories) 100 gave
/// precision at 5 of 0.958 and 64 gave 0.953; the difference costs 180 B a story.
pub const NEIGHBOURS: usize = 100;
// List lengths are kept in a byte.
const _: () = assert!(NEIGHBOURS <= 255);
/// Stories per chunk. One flat array grew by doubling: at 84,000 stories it held its old
/// and new copies at once (some 40 MB more, for a moment, on a node taking stories), and up
/// to half of it spare after. Chunks grow by 0.5 MB. Kept in the snapshot's format.
pub const CHUNK: usize = 1024;

#[derive(Default)]
pub struct Neighbours {
    slots: Vec<Box<[u32]>>,
    sims: Vec<Box<[u8]>>,
    lens: Vec<u8>,
}

/// A similarity in [0, 1] as kept, and back.
pub fn quantise(sim: f32) -> u8 {
    (sim.clamp(0.0, 1.0) * 255.0).round() as u8
}

pub fn unquantise(q: u8) -> f32 {
    f32::from(q) / 255.0
}

impl Neighbours {
    /// Room for one more story, with no neighbours yet.
    pub fn push_story(&mut self) {
        if self.lens.len().is_multiple_of(CHUNK) {
            self.slots
                .push(vec![0; CHUNK * NEIGHBOURS].into_boxed_slice());
            self.sims
                .push(vec![0; CHUNK * NEIGHBOURS].into_boxed_slice());
        }
        self.lens.push(0);
    }

    pub fn heap_bytes(&self) -> usize {
        self.slots.len() * CHUNK * NEIGHBOURS * 5
            + self.slots.capacity() * 2 * std::mem::size_of::<Box<[u8]>>()
            + self.lens.capacity()
    }

    pub fn shrink(&mut self) {
        self.slots.shrink_to_fit();
        self.sims.shrink_to_fit();
        self.lens.shrink_to_fit();
    }

    /// The chunk holding story `slot`'s list, and where in it the list starts.
    fn place_of(slot: u32) -> (usize, usize) {
        let slot = slot as usize;
        (slot / CHUNK, slot % CHUNK * NEIGHBOURS)
    }

    /// Story `slot`'s neighbours and their similarities, best first.
    pub fn of(&self, slot: u32) -> (&[u32], &[u8]) {
        let (chunk, start) = Self::place_of(slot);
        let len = self.lens[slot as usize] as usize;
        (
            &self.slots[chunk][start..start + len],
            &self.sims[chunk][start..start + len],
        )
    }

    /// Sets story `slot`'s list; `best` must be sorted best first and is cut to `NEIGHBOURS`.
    pub fn set(&mut self, slot: u32, best: &[(u32, u8)]) {
        let (chunk, start) = Self::place_of(slot);
        let len = best.len().min(NEIGHBOURS);
        for (k, (other, sim)) in best.iter().take(len).enumerate() {
            self.slots[chunk][start + k] = *other;
            self.sims[chunk][start + k] = *sim;
        }
        self.lens[slot as usize] = len as u8;
    }

    /// Puts `other` into story `slot`'s list if it is closer than the farthest kept (or the
    /// list has room), keeping the list in order.
    pub fn offer(&mut self, slot: u32, other: u32, sim: u8) {
        let (chunk, start) = Self::place_of(slot);
        let len = self.lens[slot as usize] as usize;
        let sims = &mut self.sims[chunk][start..start + NEIGHBOURS];
        if len == NEIGHBOURS && sim <= sims[len - 1] {
            return;
        }
        // After the others of equal similarity: the earlier story keeps its place.
        let at = sims[..len].partition_point(|s| *s >= sim);
        let end = len.min(NEIGHBOURS - 1);
        sims.copy_within(at..end, at + 1);
        sims[at] = sim;
        let slots = &mut self.slots[chunk][start..start + NEIGHBOURS];
        slots.copy_within(at..end, at + 1);
        slots[at] = other;
        self.lens[slot as usize] = (end + 1) as u8;
    }

    /// Takes `other` out of story `slot`'s list, if it is there, so the place goes to the next
    /// story offered rather than staying with a story removed (or replaced by its new version).
    pub fn take_out(&mut self, slot: u32, other: u32) {
        let (chunk, start) = Self::place_of(slot);
        let len = self.lens[slot as usize] as usize;
        let slots = &mut self.slots[chunk][start..start + len];
        if let Some(at) = slots.iter().position(|s| *s == other) {
            slots.copy_within(at + 1.., at);
            self.sims[chunk][start..start + len].copy_within(at + 1.., at);
            self.lens[slot as usize] -= 1;
        }
    }

    /// The raw arrays, for a snapshot: the chunks of lists and of similarities, and the
    /// lengths.
    pub fn parts(&self) -> (Vec<&[u32]>, Vec<&[u8]>, &[u8]) {
        (
            self.slots.iter().map(|c| &c[..]).collect(),
            self.sims.iter().map(|c| &c[..]).collect(),
            &self.lens,
        )
    }

    /// Lists read back from a snapshot, checked so that a damaged one cannot make a query
    /// read out of bounds.
    pub fn from_parts(
        slots: Vec<Vec<u32>>,
        sims: Vec<Vec<u8>>,
        lens: Vec<u8>,
        stories: usize,
    ) -> Option<Neighbours> {
        let chunks = stories.div_ceil(CHUNK);
        let ok = lens.len() == stories
            && slots.len() == chunks
            && sims.len() == chunks
            && slots.iter().all(|c| c.len() == CHUNK * NEIGHBOURS)
            && sims.iter().all(|c| c.len() == CHUNK * NEIGHBOURS)
            && lens.iter().all(|l| *l as usize <= NEIGHBOURS)
            && slots.iter().flatten().all(|s| (*s as usize) < stories);
        let near = Neighbours {
            slots: slots.into_iter().map(Vec::into_boxed_slice).collect(),
            sims: sims.into_iter().map(Vec::into_boxed_slice).collect(),
            lens,
        };
        // Best first and never the story itself, as `offer` and the copies rule assume.
        let ordered = ok
            && (0..stories as u32).all(|slot| {
                let (others, sims) = near.of(slot);
                sims.windows(2).all(|w| w[0] >= w[1]) && !others.contains(&slot)
            });
        ordered.then_some(near)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_keeps_the_closest_in_order_and_drops_the_farthest_when_full() {
        let mut n = Neighbours::default();
        n.push_story();
        for other in 0..NEIGHBOURS as u32 {
            n.offer(0, other + 1, 10 + (other % 50) as u8);
        }
        let (_, sims) = n.of(0);
        assert_eq!(sims.len(), NEIGHBOURS);
        assert!(sims.windows(2).all(|w| w[0] >= w[1]));
        n.offer(0, 999, 5);
        assert!(!n.of(0).0.contains(&999), "farther than all kept");
        n.offer(0, 999, 200);
        assert_eq!(n.of(0).0[0], 999);
        assert_eq!(n.of(0).0.len(), NEIGHBOURS);
        assert_eq!(*n.of(0).1.last().unwrap(), 10, "one of the farthest went");
    }

    #[test]
    fn a_story_taken_out_leaves_room_for_the_next() {
        let mut n = Neighbours::default();
        n.push_story();
        for other in 1..=NEIGHBOURS as u32 {
            n.offer(0, other, 200 - other as u8);
        }
        n.take_out(0, 5);
        assert_eq!(n.of(0).0.len(), NEIGHBOURS - 1);
        assert!(!n.of(0).0.contains(&5));
        n.offer(0, 500, 1);
        assert!(n.of(0).0.contains(&500), "the freed place is taken");
        assert!(n.of(0).1.windows(2).all(|w| w[0] >= w[1]));
    }

    /// One chunk, beginning with `first`, the rest empty.
    fn chunk<T: Copy + Default>(first: &[T]) -> Vec<Vec<T>> {
        let mut c = vec![T::default(); CHUNK * NEIGHBOURS];
        c[..first.len()].copy_from_slice(first);
        vec![c]
    }

    #[test]
    fn damaged_lists_are_refused() {
        let none = chunk::<u8>(&[]);
        assert!(Neighbours::from_parts(chunk(&[5]), none.clone(), vec![1], 1).is_none());
        assert!(Neighbours::from_parts(chunk(&[0]), none.clone(), vec![101], 1).is_none());
        assert!(
            Neighbours::from_parts(
                vec![vec![0; NEIGHBOURS]],
                vec![vec![0; NEIGHBOURS]],
                vec![0],
                1
            )
            .is_none(),
            "a chunk cut short"
        );
        let mut two = vec![0; 2 * NEIGHBOURS];
        two[0] = 1;
        assert!(Neighbours::from_parts(chunk(&two), none.clone(), vec![1, 1], 2).is_some());
        let mut itself = two.clone();
        itself[NEIGHBOURS] = 1;
        assert!(
            Neighbours::from_parts(chunk(&itself), none.clone(), vec![1, 1], 2).is_none(),
            "story 1 lists itself"
        );
        let mut unordered = vec![0; 2 * NEIGHBOURS];
        unordered[1] = 9;
        assert!(
            Neighbours::from_parts(chunk(&two), chunk(&unordered), vec![2, 0], 2).is_none(),
            "not best first"
        );
    }

    #[test]
    fn lists_past_the_first_chunk_are_kept_apart() {
        let mut n = Neighbours::default();
        for _ in 0..CHUNK + 2 {
            n.push_story();
        }
        n.set(CHUNK as u32 + 1, &[(3, 9), (4, 8)]);
        n.offer(CHUNK as u32 - 1, 7, 5);
        assert_eq!(n.of(CHUNK as u32 + 1).0, &[3, 4]);
        assert_eq!(n.of(CHUNK as u32 - 1).0, &[7]);
        assert!(n.of(CHUNK as u32).0.is_empty());
        n.take_out(CHUNK as u32 + 1, 3);
        assert_eq!(n.of(CHUNK as u32 + 1), (&[4][..], &[8][..]));
    }
}
