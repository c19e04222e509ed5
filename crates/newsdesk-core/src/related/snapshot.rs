//! The index as plain data, so a node can keep it on disk and start again without reading
//! and weighing every story anew. Only live stories are kept; the postings are derived again.

use super::RelatedIndex;
use crate::ids::ArticleId;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;

/// Bumped whenever the weighing of terms changes, so an older snapshot is built again.
pub const SNAPSHOT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
pub struct Snapshot<'a> {
    pub version: u32,
    /// Each term, at the position of its id.
    terms: Vec<Cow<'a, str>>,
    /// In how many stories each term occurs, by term id.
    df: Cow<'a, [u32]>,
    counted: u64,
    stories: Vec<SnapshotStory<'a>>,
}

#[derive(Serialize, Deserialize)]
struct SnapshotStory<'a> {
    id: ArticleId,
    published_ms: i64,
    stamp: i64,
    vector: Cow<'a, [(u32, f32)]>,
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
    /// The live stories and term statistics, borrowed from the index.
    pub fn snapshot(&self) -> Snapshot<'_> {
        let mut terms: Vec<Cow<'_, str>> = vec![Cow::Borrowed(""); self.df.len()];
        for (t, id) in &self.term_ids {
            terms[*id as usize] = Cow::Borrowed(t.as_str());
        }
        let stories = self
            .entries
            .iter()
            .zip(&self.ids)
            .filter(|(e, _)| e.live)
            .map(|(e, id)| SnapshotStory {
                id: *id,
                published_ms: e.published_ms,
                stamp: e.stamp,
                vector: Cow::Borrowed(&e.vector),
            })
            .collect();
        Snapshot {
            version: SNAPSHOT_VERSION,
            terms,
            df: Cow::Borrowed(&self.df),
            counted: self.counted as u64,
            stories,
        }
    }

    /// The index a snapshot describes, checked so that a damaged file cannot make it panic.
    pub fn from_snapshot(s: Snapshot<'_>) -> Result<RelatedIndex, SnapshotError> {
        if s.version != SNAPSHOT_VERSION {
            return Err(SnapshotError::Version(s.version));
        }
        if s.terms.len() != s.df.len() {
            return Err(SnapshotError::Inconsistent(
                "terms and counts differ in number",
            ));
        }
        let terms = s.terms.len();
        let mut index = RelatedIndex {
            term_ids: HashMap::with_capacity(terms),
            df: s.df.into_owned(),
            postings: vec![Vec::new(); terms],
            counted: usize::try_from(s.counted)
                .map_err(|_| SnapshotError::Inconsistent("a count too large"))?,
            ..Default::default()
        };
        for (id, t) in s.terms.into_iter().enumerate() {
            if index.term_ids.insert(t.into_owned(), id as u32).is_some() {
                return Err(SnapshotError::Inconsistent("a term twice"));
            }
        }
        for story in s.stories {
            if index.slot_of.contains_key(&story.id) {
                return Err(SnapshotError::Inconsistent("a story twice"));
            }
            let vector = story.vector.into_owned();
            if vector.iter().any(|(t, _)| *t as usize >= terms) {
                return Err(SnapshotError::Inconsistent("an unknown term"));
            }
            if vector.iter().any(|(_, w)| !w.is_finite()) {
                return Err(SnapshotError::Inconsistent("a weight that is not a number"));
            }
            index.live += 1;
            index.place(story.id, story.published_ms, story.stamp, vector);
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
        assert_eq!(back.len(), 3, "the removed story is not kept");
        assert!(!back.contains(ArticleId(4)));
    }

    #[test]
    fn a_damaged_snapshot_is_refused_not_trusted() {
        let index = sample();
        let mut value = serde_json::to_value(index.snapshot()).unwrap();
        value["stories"][0]["vector"][0][0] = 99_999.into();
        let refused = RelatedIndex::from_snapshot(serde_json::from_value(value).unwrap());
        assert!(matches!(refused, Err(SnapshotError::Inconsistent(_))));
        let mut value = serde_json::to_value(index.snapshot()).unwrap();
        value["version"] = (SNAPSHOT_VERSION + 1).into();
        let refused = RelatedIndex::from_snapshot(serde_json::from_value(value).unwrap());
        assert!(matches!(refused, Err(SnapshotError::Version(_))));
    }
}
