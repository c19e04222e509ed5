//! The newsroom's actions on stories, with the rules of who may do what.

use crate::article::{Article, ArticleStatus};
use crate::body;
use crate::input::{ArticleFields, ArticleInput};
use crate::role::Role;
use crate::slug::slugify;
use crate::store::{Conflict, ImportItem, Store, StoreError};
use crate::validation::{FieldErrors, ValidationError};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};

/// Who is acting: a role, and the principal that owns what it creates (`token:7`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub role: Role,
    pub principal: String,
}

#[derive(Debug, thiserror::Error)]
pub enum NewsroomError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("{0}")]
    Forbidden(String),
    #[error("no story has that slug")]
    NotFound,
    /// The writer worked from revision `expected`; the story has moved on to `current`.
    #[error("the story was changed since revision {expected}; it is at revision {current} now")]
    Stale { expected: i64, current: i64 },
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for NewsroomError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => NewsroomError::NotFound,
            StoreError::Conflict(what) => NewsroomError::Invalid(ValidationError::single(
                "slug",
                format!("{what} is already taken by another story"),
            )),
            other => NewsroomError::Store(other),
        }
    }
}

fn check_may_write(actor: &Actor, status: ArticleStatus) -> Result<(), NewsroomError> {
    if !actor.role.writes_stories() {
        return Err(NewsroomError::Forbidden(format!(
            "the {} role cannot write stories",
            actor.role
        )));
    }
    if !status.is_unfinished() && !actor.role.publishes() {
        return Err(NewsroomError::Forbidden(format!(
            "the {} role may only write drafts and submit them for review; status must be draft \
             or review",
            actor.role
        )));
    }
    Ok(())
}

async fn check_may_change(
    store: &dyn Store,
    actor: &Actor,
    existing: &Article,
) -> Result<(), NewsroomError> {
    if actor.role.edits_any_story() {
        return Ok(());
    }
    check_may_write(actor, existing.status)?;
    if store.article_owner(existing.id).await? != actor.principal {
        return Err(NewsroomError::Forbidden(format!(
            "the {} role may only change its own stories",
            actor.role
        )));
    }
    Ok(())
}

/// Checks that every promo links to a live story, among those stored or those in `batch`
/// (slug to whether it is live). Promos in `exempt` were accepted before and are not checked
/// again, so a story stays editable when a story it links to is later withdrawn.
async fn check_promos(
    store: &dyn Store,
    fields: &ArticleFields,
    exempt: &HashSet<String>,
    batch: &HashMap<String, bool>,
    now: DateTime<Utc>,
) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut wanted: Vec<String> = Vec::new();
    for p in body::promos(&fields.body) {
        if exempt.contains(&p.slug) || wanted.contains(&p.slug) {
            continue;
        }
        match batch.get(&p.slug) {
            Some(true) => {}
            Some(false) => errors.add(
                "body",
                format!(
                    "promo [[{}]] links to a story that is not published",
                    p.slug
                ),
            ),
            None => wanted.push(p.slug),
        }
    }
    if !wanted.is_empty() {
        let found = store.promo_targets(&wanted, now).await.map_err(|e| {
            let mut fe = FieldErrors::default();
            fe.add("body", format!("promos could not be checked: {e}"));
            fe
        })?;
        for slug in wanted {
            match found.iter().find(|t| t.slug == slug) {
                None => errors.add(
                    "body",
                    format!("promo [[{slug}]] links to a story that does not exist"),
                ),
                Some(t) if !t.live => errors.add(
                    "body",
                    format!("promo [[{slug}]] links to a story that is not published"),
                ),
                Some(_) => {}
            }
        }
    }
    errors.into_result().map_err(|e| e.0)
}

fn promo_slugs(body_text: &str) -> HashSet<String> {
    body::promos(body_text)
        .into_iter()
        .map(|p| p.slug)
        .collect()
}

/// Picks a free slug: the wanted one, or it with -2, -3 … when made from the headline.
async fn free_slug(
    store: &dyn Store,
    wanted: &str,
    explicit: bool,
) -> Result<String, NewsroomError> {
    if explicit || store.find_article(wanted).await?.is_none() {
        return Ok(wanted.to_string());
    }
    for n in 2..1000 {
        let candidate = format!("{wanted}-{n}");
        if store.find_article(&candidate).await?.is_none() {
            return Ok(candidate);
        }
    }
    Err(ValidationError::single(
        "slug",
        "no free slug could be made from the headline; give one",
    )
    .into())
}

pub async fn create_article(
    store: &dyn Store,
    actor: &Actor,
    input: ArticleInput,
    now: DateTime<Utc>,
) -> Result<Article, NewsroomError> {
    check_may_write(actor, input.status.unwrap_or(ArticleStatus::Draft))?;
    let explicit_slug = input.slug.as_deref().is_some_and(|s| !s.trim().is_empty());
    let mut fields = input.validate(now)?;
    check_promos(store, &fields, &HashSet::new(), &HashMap::new(), now)
        .await
        .map_err(ValidationError)?;
    let wanted = fields.slug.clone();
    // Stories with the same headline may be created at once: a slug the server chose and lost
    // to another is chosen again, never reported as the client's fault. After a few rounds a
    // random number avoids a long queue of writers all trying the same next number.
    for attempt in 0..20 {
        fields.slug = if attempt < 3 {
            free_slug(store, &wanted, explicit_slug).await?
        } else {
            format!("{wanted}-{}", 1000 + random_below(9000))
        };
        match store.insert_article(&fields, &actor.principal, now).await {
            Err(StoreError::Conflict(Conflict::Slug(_))) if !explicit_slug => continue,
            other => return Ok(other?),
        }
    }
    Err(ValidationError::single("slug", "no free slug could be found; give one").into())
}

/// Changes a story. With `expected_revision`, the change applies only to that revision (the
/// API's `If-Match`, the editor's form): two writers from one revision never both succeed.
/// Without it, crossing edits of different fields are each applied to the latest version.
pub async fn update_article(
    store: &dyn Store,
    actor: &Actor,
    slug: &str,
    input: ArticleInput,
    expected_revision: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Article, NewsroomError> {
    // Edits of different fields that cross are each applied to the latest version; each round
    // at least one of the crossing edits lands, so this bound covers 30 at once.
    for _ in 0..30 {
        let existing = store
            .find_article(slug)
            .await?
            .ok_or(NewsroomError::NotFound)?;
        check_may_change(store, actor, &existing).await?;
        let stale = |current| NewsroomError::Stale {
            expected: expected_revision.unwrap_or(current),
            current,
        };
        if expected_revision.is_some_and(|r| r != existing.revision) {
            return Err(stale(existing.revision));
        }
        let fields = input.clone().over(&existing).validate(now)?;
        check_may_write(actor, fields.status)?;
        let unchanged = ArticleInput::default()
            .over(&existing)
            .validate(now)
            .is_ok_and(|before| before == fields);
        if unchanged {
            return Ok(existing);
        }
        check_promos(
            store,
            &fields,
            &promo_slugs(&existing.body),
            &HashMap::new(),
            now,
        )
        .await
        .map_err(ValidationError)?;
        // A slug taken by another story comes back from the store as a conflict on `slug`.
        match store
            .update_article(
                existing.id,
                existing.revision,
                &fields,
                &actor.principal,
                now,
            )
            .await
        {
            // A writer who named the revision they worked from is told, never merged over.
            Err(StoreError::Stale) if expected_revision.is_some() => {
                let current = store.find_article(slug).await?.map_or(0, |a| a.revision);
                return Err(stale(current));
            }
            Err(StoreError::Stale) => continue,
            other => return Ok(other?),
        }
    }
    Err(NewsroomError::Store(StoreError::Stale))
}

/// Makes a story read as it did at an earlier revision, at its current address; the restore
/// is a new revision, so nothing is lost.
pub async fn restore_revision(
    store: &dyn Store,
    actor: &Actor,
    slug: &str,
    revision: i64,
    now: DateTime<Utc>,
) -> Result<Article, NewsroomError> {
    let existing = store
        .find_article(slug)
        .await?
        .ok_or(NewsroomError::NotFound)?;
    check_may_change(store, actor, &existing).await?;
    let (_, snapshot) = store
        .revision(existing.id, revision)
        .await?
        .ok_or_else(|| ValidationError::single("revision", "the story has no such revision"))?;
    update_article(
        store,
        actor,
        &existing.slug,
        snapshot.into_input(),
        None,
        now,
    )
    .await
}

pub async fn delete_article(
    store: &dyn Store,
    actor: &Actor,
    slug: &str,
) -> Result<(), NewsroomError> {
    let existing = store
        .find_article(slug)
        .await?
        .ok_or(NewsroomError::NotFound)?;
    check_may_change(store, actor, &existing).await?;
    Ok(store.delete_article(existing.id).await?)
}

/// Validates a whole batch (promos may point inside it) and stores it in one transaction;
/// nothing is written when any story is bad. Errors are keyed by the story's index.
pub async fn import_batch(
    store: &dyn Store,
    owner: &str,
    batch: Vec<ArticleFields>,
    now: DateTime<Utc>,
) -> Result<usize, Vec<(usize, FieldErrors)>> {
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for (i, f) in batch.iter().enumerate() {
        if !seen.insert(f.slug.clone()) {
            let mut e = FieldErrors::default();
            e.add(
                "slug",
                format!("{} is used by another file of this batch", f.slug),
            );
            problems.push((i, e));
        }
    }
    let batch_live: HashMap<String, bool> = batch
        .iter()
        .map(|f| {
            let live = f.status == ArticleStatus::Published
                || (f.status == ArticleStatus::Scheduled
                    && f.published_at.is_some_and(|t| t <= now));
            (f.slug.clone(), live)
        })
        .collect();
    for (i, f) in batch.iter().enumerate() {
        if let Err(e) = check_promos(store, f, &HashSet::new(), &batch_live, now).await {
            problems.push((i, e));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let items: Vec<ImportItem> = batch
        .into_iter()
        .map(|fields| ImportItem {
            fields,
            owner: owner.to_string(),
        })
        .collect();
    store.import_articles(&items, now).await.map_err(|e| {
        let mut fe = FieldErrors::default();
        fe.add("store", e.to_string());
        vec![(0, fe)]
    })
}

/// A number below `n` that differs between calls, for slug suffixes (not for secrets).
fn random_below(n: u64) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.finish() % n
}

/// The slug of an author's page.
pub fn author_slug(name: &str) -> String {
    slugify(name, 80)
}
