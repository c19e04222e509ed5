//! An import's stories and pages: added when new, updated when their content changed at the
//! source and not here since, left alone otherwise; one deleted here is not brought back.

use super::seen::{current, key, Memo, Seen};
use super::Tx;
use crate::pages::{insert_page_in, update_page_in};
use crate::stories::write::{insert_in, slug_is_free, update_in};
use crate::{internal, millis};
use chrono::{DateTime, Utc};
use newsdesk_core::import::{ImportOutcome, ImportPlan};
use newsdesk_core::{ArticleId, PageId, StoreError};
use sqlx::Row;
use std::collections::{HashMap, HashSet};

const REVISION: &str = "SELECT revision FROM articles WHERE id = $1";
const PAGE_CHANGED: &str = "SELECT updated_at FROM site_pages WHERE id = $1";

/// Where the plan's items are on the site, by their ids at the source, and which of them the
/// newsroom deleted since an earlier import.
#[derive(Default)]
pub(super) struct Written<'a> {
    pub stories: HashMap<&'a str, ArticleId>,
    pub pages: HashMap<&'a str, PageId>,
    pub gone: HashSet<(&'static str, &'a str)>,
}

/// A slug of its own for an imported story whose slug the site already uses.
fn slug_beside(slug: &str, external_id: &str) -> String {
    let id: String = external_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase();
    format!("{slug}-{id}")
}

async fn current_slug(tx: &mut Tx, id: ArticleId) -> Result<String, StoreError> {
    sqlx::query("SELECT slug FROM articles WHERE id = $1")
        .bind(id.0)
        .fetch_one(&mut **tx)
        .await
        .map_err(internal)?
        .try_get(0)
        .map_err(internal)
}

pub(super) async fn write_stories<'a>(
    tx: &mut Tx,
    plan: &'a ImportPlan,
    seen: &Seen,
    out: &mut ImportOutcome,
    written: &mut Written<'a>,
    memo: &mut Memo,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for s in &plan.stories {
        let id = match seen.get(&key("story", &s.external_id)) {
            Some(known) => {
                let id = ArticleId(known.id);
                let Some(revision) = current(tx, REVISION, known.id).await? else {
                    out.kept.push(format!(
                        "story {} ({}): deleted here since it was imported; not brought back",
                        s.external_id, s.fields.slug
                    ));
                    written.gone.insert(("story", &s.external_id));
                    continue;
                };
                written.stories.insert(&s.external_id, id);
                if known.digest == s.digest {
                    out.stories.unchanged += 1;
                    continue;
                }
                if !known.stamp.is_empty() && known.stamp != revision {
                    out.kept.push(format!(
                        "story {} ({}): changed here since it was imported; kept as it is here",
                        s.external_id, s.fields.slug
                    ));
                    continue;
                }
                let mut fields = s.fields.clone();
                if !slug_is_free(tx, &fields.slug, Some(id)).await? {
                    fields.slug = current_slug(tx, id).await?;
                }
                update_in(tx, id, None, &fields, &plan.owner, now).await?;
                out.stories.updated += 1;
                // The update moved the revision on by one.
                let next = revision.parse::<i64>().unwrap_or(0) + 1;
                (id, next.to_string())
            }
            None => {
                let mut fields = s.fields.clone();
                if !slug_is_free(tx, &fields.slug, None).await? {
                    let other = slug_beside(&fields.slug, &s.external_id);
                    out.renamed.push((fields.slug.clone(), other.clone()));
                    fields.slug = other;
                }
                let id = insert_in(tx, &fields, &plan.owner, now).await?;
                out.stories.added += 1;
                written.stories.insert(&s.external_id, id);
                // A new story starts at revision 1.
                (id, "1".to_string())
            }
        };
        let (id, stamp) = id;
        memo.keep("story", &s.external_id, id.0, &s.digest, &stamp);
    }
    Ok(())
}

pub(super) async fn write_pages<'a>(
    tx: &mut Tx,
    plan: &'a ImportPlan,
    seen: &Seen,
    out: &mut ImportOutcome,
    written: &mut Written<'a>,
    memo: &mut Memo,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for p in &plan.pages {
        let id = match seen.get(&key("page", &p.external_id)) {
            Some(known) => {
                let id = PageId(known.id);
                let Some(changed) = current(tx, PAGE_CHANGED, known.id).await? else {
                    out.kept.push(format!(
                        "page {} (/{}): deleted here since it was imported; not brought back",
                        p.external_id, p.fields.slug
                    ));
                    written.gone.insert(("page", &p.external_id));
                    continue;
                };
                written.pages.insert(&p.external_id, id);
                if known.digest == p.digest {
                    out.pages.unchanged += 1;
                    continue;
                }
                if !known.stamp.is_empty() && known.stamp != changed {
                    out.kept.push(format!(
                        "page {} (/{}): changed here since it was imported; kept as it is here",
                        p.external_id, p.fields.slug
                    ));
                    continue;
                }
                update_page_in(tx, id, &p.fields, &plan.owner, now).await?;
                out.pages.updated += 1;
                id
            }
            None => {
                let id = insert_page_in(tx, &p.fields, &plan.owner, now).await?;
                out.pages.added += 1;
                written.pages.insert(&p.external_id, id);
                id
            }
        };
        memo.keep(
            "page",
            &p.external_id,
            id.0,
            &p.digest,
            &millis(now).to_string(),
        );
    }
    Ok(())
}
