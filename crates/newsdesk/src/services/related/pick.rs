//! The stories "more like this" shows under a story, for the page and the API alike.

use crate::state::AppState;
use chrono::{DateTime, Utc};
use newsdesk_core::{body, Article, ArticleFilter, PageRequest, StoreError};

const MAX_PROMOTED: usize = 16;

/// Related stories chosen by content; until this node's index is built, or when it finds
/// nothing for the story but what the story already promotes, a simpler list (`simply`).
/// Never the story itself, a story no longer live, or a story its body already promotes.
pub async fn related(
    state: &AppState,
    a: &Article,
    limit: usize,
    now: DateTime<Utc>,
) -> Result<Vec<Article>, StoreError> {
    let mut promoted = promoted(state, a, now).await?;
    // A body may promote any number of stories; more than a page of them are not looked for.
    promoted.truncate(MAX_PROMOTED);
    let wanted = limit + promoted.len();
    let not_promoted = |found: &mut Vec<Article>| {
        found.retain(|f| !promoted.contains(&f.slug));
        found.truncate(limit);
    };
    if let Some(mut found) = by_content(state, a, wanted, now).await? {
        not_promoted(&mut found);
        // A story whose closest stories are all ones it promotes (or a new story placed only
        // among the few the index held when it came) shows the simpler list, not nothing.
        if !found.is_empty() {
            return Ok(found);
        }
    }
    let mut found = simply(state, a, wanted, now).await?;
    not_promoted(&mut found);
    Ok(found)
}

/// The current slugs of the stories the body promotes (a promo may name a former slug).
async fn promoted(
    state: &AppState,
    a: &Article,
    now: DateTime<Utc>,
) -> Result<Vec<String>, StoreError> {
    let named: Vec<String> = body::promos(&a.body).into_iter().map(|p| p.slug).collect();
    if named.is_empty() {
        return Ok(Vec::new());
    }
    let targets = state.store.promo_targets(&named, now).await?;
    Ok(targets.into_iter().map(|t| t.current_slug).collect())
}

/// The live stories most like `a` by content, or `None` while this node's index is first
/// being built.
async fn by_content(
    state: &AppState,
    a: &Article,
    limit: usize,
    now: DateTime<Utc>,
) -> Result<Option<Vec<Article>>, StoreError> {
    let Some(ids) = state.related.of(&a.into(), limit) else {
        return Ok(None);
    };
    let mut found = state.store.articles_by_ids(&ids).await?;
    found.retain(|f| f.is_live(now) && f.id != a.id);
    found.sort_by_key(|f| ids.iter().position(|i| *i == f.id));
    Ok(Some(found))
}

/// Shared tags count most, then the section, then recency.
async fn simply(
    state: &AppState,
    a: &Article,
    limit: usize,
    now: DateTime<Utc>,
) -> Result<Vec<Article>, StoreError> {
    let store = state.store.as_ref();
    let mut candidates: Vec<Article> = Vec::new();
    let mut filters = vec![ArticleFilter {
        section: Some(a.section.clone()),
        live_only: true,
        ..Default::default()
    }];
    filters.extend(a.tags.iter().take(4).map(|t| ArticleFilter {
        tag: Some(t.clone()),
        live_only: true,
        ..Default::default()
    }));
    for f in filters {
        for c in store
            .list_articles(&f, PageRequest::page(1, 12), now)
            .await?
            .items
        {
            if c.id != a.id && !candidates.iter().any(|x| x.id == c.id) {
                candidates.push(c);
            }
        }
    }
    let score = |c: &Article| {
        let shared = c.tags.iter().filter(|t| a.tags.contains(t)).count() as i64;
        shared * 2 + i64::from(c.section == a.section)
    };
    candidates.sort_by(|x, y| {
        score(y)
            .cmp(&score(x))
            .then(y.published_at.cmp(&x.published_at))
    });
    candidates.truncate(limit);
    Ok(candidates)
}
