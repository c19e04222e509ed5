//! The index as plain data, so a node can keep it on disk and start again without reading,
//! weighing and comparing every story anew. Slots of removed stories are kept (as holes) so
//! that the postings and neighbour lists can be kept as they are.

use super::neighbours::Neighbours;
use super::{Entry, Postings, RelatedIndex};
use crate::ids::ArticleId;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;

/// Bumped whenever the weighing of terms or the lists change, so an older snapshot is built
/// again. 2: smooth idf, 200 terms, neighbour lists. 3: the lists in chunks of stories.
pub const SNAPSHOT_VERSION: u32 = 3;

#[derive(Serialize, Deserialize)]
pub struct Snapshot<'a> {
    pub version: u32,
    /// Each term, at the position of its id.
    terms: Vec<Cow<'a, str>>,
    /// In how many stories each term occurs, by term id.
    df: Cow<'a, [u32]>,
    counted: u64,
    stories: Vec<SnapshotStory>,
    /// Each term's postings: story slots and weights.
    postings: Vec<TermPostings<'a>>,
    /// The neighbour lists in chunks of `neighbours::CHUNK` stories.
    near_slots: Vec<Cow<'a, [u32]>>,
    near_sims: Vec<Cow<'a, [u8]>>,
    near_lens: Cow<'a, [u8]>,
}

/// One term's postings: story slots and weights.
type TermPostings<'a> = (Cow<'a, [u32]>, Cow<'a, [u8]>);

#[derive(Serialize, Deserialize)]
struct SnapshotStory {
    id: ArticleId,
    published_ms: i64,
    stamp: i64,
    live: bool,
}

/// Why a snapshot cannot be used; the index is then built from the stories.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("written by another version of the index ({0})")]
    Version(u32),
    #[error("inconsistent: {0}")]
    Inconsistent(&'static str),
}

impl RelatedIndex {
    /// The whole index, borrowed.
    pub fn snapshot(&self) -> Snapshot<'_> {
        let mut terms: Vec<Cow<'_, str>> = vec![Cow::Borrowed(""); self.df.len()];
        for (t, id) in &self.term_ids {
            terms[*id as usize] = Cow::Borrowed(t);
        }
        let stories = self
            .entries
            .iter()
            .zip(&self.ids)
            .map(|(e, id)| SnapshotStory {
                id: *id,
                published_ms: e.published_ms,
                stamp: e.stamp,
                live: e.live,
            })
            .collect();
        let (near_slots, near_sims, near_lens) = self.near.parts();
        Snapshot {
            version: SNAPSHOT_VERSION,
            terms,
            df: Cow::Borrowed(&self.df),
            counted: self.counted as u64,
            stories,
            postings: self
                .postings
                .iter()
                .map(|p| (Cow::Borrowed(&p.slots[..]), Cow::Borrowed(&p.weights[..])))
                .collect(),
            near_slots: near_slots.into_iter().map(Cow::Borrowed).collect(),
            near_sims: near_sims.into_iter().map(Cow::Borrowed).collect(),
            near_lens: Cow::Borrowed(near_lens),
        }
    }

    /// The index a snapshot describes, checked so that a damaged file cannot make it panic.
    pub fn from_snapshot(s: Snapshot<'_>) -> Result<RelatedIndex, SnapshotError> {
        use SnapshotError::Inconsistent;
        if s.version != SNAPSHOT_VERSION {
            return Err(SnapshotError::Version(s.version));
        }
        let terms = s.terms.len();
        if terms != s.df.len() || terms != s.postings.len() {
            return Err(Inconsistent("terms, counts and postings differ in number"));
        }
        let stories = s.stories.len();
        let near = Neighbours::from_parts(
            s.near_slots.into_iter().map(Cow::into_owned).collect(),
            s.near_sims.into_iter().map(Cow::into_owned).collect(),
            s.near_lens.into_owned(),
            stories,
        )
        .ok_or(Inconsistent("the neighbour lists"))?;
        let mut index = RelatedIndex {
            term_ids: HashMap::with_capacity(terms),
            df: s.df.into_owned(),
            counted: usize::try_from(s.counted).map_err(|_| Inconsistent("a count too large"))?,
            near,
            ..Default::default()
        };
        for (id, t) in s.terms.into_iter().enumerate() {
            if index.term_ids.insert(t.into(), id as u32).is_some() {
                return Err(Inconsistent("a term twice"));
            }
        }
        // Every count is of stories counted by the last build or indexed since (each with a
        // slot); a story may have gone between a build's two passes, so the sum bounds them.
        let most = index.counted.saturating_add(stories);
        if index.counted > 1 << 40 || index.df.iter().any(|d| *d as usize > most) {
            return Err(Inconsistent("a count above the number of stories"));
        }
        for (term, (slots, weights)) in s.postings.into_iter().enumerate() {
            if slots.len() != weights.len()
                || slots.len() > index.df[term] as usize
                || slots.iter().any(|x| *x as usize >= stories)
                || weights.contains(&0)
            {
                return Err(Inconsistent("a posting list"));
            }
            index.postings.push(Postings {
                slots: slots.into_owned(),
                weights: weights.into_owned(),
            });
        }
        for (slot, story) in s.stories.into_iter().enumerate() {
            if story.live {
                if index.slot_of.insert(story.id, slot as u32).is_some() {
                    return Err(Inconsistent("a story twice"));
                }
                index.live += 1;
            }
            index.ids.push(story.id);
            index.entries.push(Entry {
                published_ms: story.published_ms,
                stamp: story.stamp,
                live: story.live,
            });
        }
        Ok(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story_text::StoryText;

    fn doc(id: i64, headline: &str, body: &str) -> StoryText {
        StoryText {
            id: ArticleId(id),
            published_ms: id,
            stamp: id * 10,
            headline: headline.into(),
            standfirst: String::new(),
            body: body.into(),
            tags: Vec::new(),
            section: String::new(),
            authors: Vec::new(),
        }
    }

    fn sample() -> RelatedIndex {
        let mut index = RelatedIndex::build(&[
            doc(
                1,
                "Harbour ferry fares rise",
                "The ferry costs more for riders.",
            ),
            doc(2, "Ferry crews strike", "Harbour ferry crews walked out."),
            doc(3, "Museum theft", "A painting was stolen from the museum."),
            doc(
                4,
                "Museum reopens",
                "The museum gallery opens its doors again.",
            ),
        ]);
        index.remove(ArticleId(4));
        index
    }

    #[test]
    fn an_index_read_back_from_its_snapshot_answers_the_same() {
        let index = sample();
        let bytes = serde_json::to_vec(&index.snapshot()).unwrap();
        let back = RelatedIndex::from_snapshot(serde_json::from_slice(&bytes).unwrap()).unwrap();
        for id in 1..=4 {
            assert_eq!(
                back.related(ArticleId(id), 5),
                index.related(ArticleId(id), 5)
            );
        }
        assert_eq!(back.stamps(), index.stamps());
        assert_eq!(back.len(), 3, "the removed story is not live");
        assert!(!back.contains(ArticleId(4)));
    }

    #[test]
    fn a_damaged_snapshot_is_refused_not_trusted() {
        let index = sample();
        let mut value = serde_json::to_value(index.snapshot()).unwrap();
        value["postings"][0][0][0] = 99_999.into();
        let refused = RelatedIndex::from_snapshot(serde_json::from_value(value).unwrap());
        assert!(matches!(refused, Err(SnapshotError::Inconsistent(_))));
        let mut value = serde_json::to_value(index.snapshot()).unwrap();
        value["near_lens"][0] = 200.into();
        let refused = RelatedIndex::from_snapshot(serde_json::from_value(value).unwrap());
        assert!(matches!(refused, Err(SnapshotError::Inconsistent(_))));
        let mut value = serde_json::to_value(index.snapshot()).unwrap();
        value["near_slots"][0][0] = 99_999.into();
        let refused = RelatedIndex::from_snapshot(serde_json::from_value(value).unwrap());
        assert!(matches!(refused, Err(SnapshotError::Inconsistent(_))));
        let mut value = serde_json::to_value(index.snapshot()).unwrap();
        value["df"][0] = u32::MAX.into();
        let refused = RelatedIndex::from_snapshot(serde_json::from_value(value).unwrap());
        assert!(matches!(refused, Err(SnapshotError::Inconsistent(_))));
        let mut value = serde_json::to_value(index.snapshot()).unwrap();
        value["version"] = (SNAPSHOT_VERSION + 1).into();
        let refused = RelatedIndex::from_snapshot(serde_json::from_value(value).unwrap());
        assert!(matches!(refused, Err(SnapshotError::Version(_))));
    }
}
