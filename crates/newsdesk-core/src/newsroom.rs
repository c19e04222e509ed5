//! The newsroom's actions on stories, with the rules of who may do what.

use crate::article::{Article, ArticleStatus};
use crate::body;
use crate::input::{ArticleFields, ArticleInput};
use crate::role::Role;
use crate::slug::slugify;
use crate::store::{ImportItem, Store, StoreError};
use crate::validation::{FieldErrors, ValidationError};
use chrono::{DateTime, Utc};
use std::collections::HashSet;

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
    if status != ArticleStatus::Draft && !actor.role.publishes() {
        return Err(NewsroomError::Forbidden(format!(
            "the {} role may only write drafts; status must be draft",
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

/// Checks that every promo links to a live story, among those stored or those in `batch`.
async fn check_promos(
    store: &dyn Store,
    fields: &[&ArticleFields],
    batch_live: &HashSet<String>,
    now: DateTime<Utc>,
) -> Result<(), FieldErrors> {
    let mut wanted: Vec<String> = Vec::new();
    for f in fields {
        for p in body::promos(&f.body) {
            if !batch_live.contains(&p.slug) && !wanted.contains(&p.slug) {
                wanted.push(p.slug);
            }
        }
    }
    let mut errors = FieldErrors::default();
    if wanted.is_empty() {
        return Ok(());
    }
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
    errors.into_result().map_err(|e| e.0)
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
    check_promos(store, &[&fields], &HashSet::new(), now)
        .await
        .map_err(ValidationError)?;
    fields.slug = free_slug(store, &fields.slug, explicit_slug).await?;
    Ok(store.insert_article(&fields, &actor.principal, now).await?)
}

pub async fn update_article(
    store: &dyn Store,
    actor: &Actor,
    slug: &str,
    input: ArticleInput,
    now: DateTime<Utc>,
) -> Result<Article, NewsroomError> {
    let existing = store
        .find_article(slug)
        .await?
        .ok_or(NewsroomError::NotFound)?;
    check_may_change(store, actor, &existing).await?;
    let fields = input.over(&existing).validate(now)?;
    check_may_write(actor, fields.status)?;
    check_promos(store, &[&fields], &HashSet::new(), now)
        .await
        .map_err(ValidationError)?;
    // A slug taken by another story comes back from the store as a conflict on `slug`.
    Ok(store
        .update_article(existing.id, existing.revision, &fields, now)
        .await?)
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
    if existing.slug != slug {
        return Err(NewsroomError::NotFound);
    }
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
    let batch_live: HashSet<String> = batch
        .iter()
        .filter(|f| {
            f.status == ArticleStatus::Published
                || (f.status == ArticleStatus::Scheduled
                    && f.published_at.is_some_and(|t| t <= now))
        })
        .map(|f| f.slug.clone())
        .collect();
    for (i, f) in batch.iter().enumerate() {
        if let Err(e) = check_promos(store, &[f], &batch_live, now).await {
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

/// The slug of an author's page.
pub fn author_slug(name: &str) -> String {
    slugify(name, 80)
}
