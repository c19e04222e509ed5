//! What an index must do to match the live stories: the one comparison both discovery
//! indexes make.

use newsdesk_core::ArticleId;
use std::collections::{HashMap, HashSet};

/// What an index must do to match the live stories: the stories to index (new, or changed
/// since their indexed stamp) and the stories to drop (no longer live).
pub fn changes(
    known: &HashMap<ArticleId, i64>,
    live: &[(ArticleId, i64)],
) -> (Vec<ArticleId>, Vec<ArticleId>) {
    let alive: HashSet<ArticleId> = live.iter().map(|(id, _)| *id).collect();
    let changed = live
        .iter()
        .filter(|(id, stamp)| known.get(id) != Some(stamp))
        .map(|(id, _)| *id)
        .collect();
    let gone = known
        .keys()
        .filter(|id| !alive.contains(id))
        .copied()
        .collect();
    (changed, gone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_name_new_changed_and_gone_stories_and_nothing_else() {
        let known = HashMap::from([(ArticleId(1), 5), (ArticleId(2), 7), (ArticleId(3), 1)]);
        let live = [(ArticleId(1), 5), (ArticleId(2), 8), (ArticleId(4), 1)];
        let (mut changed, gone) = changes(&known, &live);
        changed.sort();
        assert_eq!(changed, vec![ArticleId(2), ArticleId(4)]);
        assert_eq!(gone, vec![ArticleId(3)]);
    }
}
