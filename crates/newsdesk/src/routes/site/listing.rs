//! Section, tag and author pages: one paged list of stories each.

use crate::http::error::AppError;
use crate::render::cards::Card;
use crate::render::jsonld;
use crate::render::layout::Layout;
use crate::render::markdown::SafeHtml;
use crate::render::page::html;
use crate::services::page_keys::Keys;
use crate::state::AppState;
use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use newsdesk_core::newsroom::author_slug;
use newsdesk_core::people::AuthorProfile;
use newsdesk_core::slug::title_from_slug;
use newsdesk_core::{ArticleFilter, PageRequest};
use serde::Deserialize;
use serde_json::json;

const PER_PAGE: i64 = 12;

/// Only `page` is read; anything else in the query string is ignored, never an error.
#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "list.html")]
struct ListPage {
    layout: Layout,
    kind: &'static str,
    heading: String,
    description: String,
    canonical: String,
    cards: Vec<Card>,
    total: i64,
    page: i64,
    pages: i64,
    prev_page: Option<String>,
    next_page: Option<String>,
    /// On an author's page: the person's profile, and it as schema.org data.
    profile: Option<AuthorProfile>,
    structured: Option<SafeHtml>,
}

struct Listing {
    kind: &'static str,
    /// The surrogate key of the list, such as `section-world`.
    key: (&'static str, String),
    heading: String,
    path: String,
    section: String,
    filter: ArticleFilter,
    profile: Option<AuthorProfile>,
}

async fn render(state: &AppState, listing: Listing, q: PageQuery) -> Result<Response, AppError> {
    let now = chrono::Utc::now();
    let page = q
        .page
        .as_deref()
        .and_then(|p| p.parse::<i64>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let list = state
        .store
        .list_articles(&listing.filter, PageRequest::page(page, PER_PAGE), now)
        .await?;
    if list.total == 0 {
        return Err(AppError::NotFound(format!(
            "There is no {} called '{}'.",
            listing.kind.to_lowercase(),
            listing.heading
        )));
    }
    let pages = (list.total + PER_PAGE - 1) / PER_PAGE;
    if page > pages {
        return Err(AppError::NotFound(format!("This list has {pages} pages.")));
    }
    let layout = Layout::load(state, &listing.section, now).await?;
    let link = |p: i64| {
        if p == 1 {
            listing.path.clone()
        } else {
            format!("{}?page={p}", listing.path)
        }
    };
    let known =
        crate::services::pictures::view::load(state, list.items.iter().map(|a| a.hero.as_ref()))
            .await?;
    let canonical = state.absolute(&link(1));
    let structured = listing.profile.as_ref().map(|p| {
        let mut person = json!({"@type": "Person", "name": listing.heading, "url": canonical});
        if !p.bio.is_empty() {
            person["description"] = json!(p.bio);
        }
        if !p.picture.is_empty() {
            person["image"] = json!(super::feeds::absolute_media(state, &p.picture));
        }
        jsonld::script(&json!({
            "@context": "https://schema.org",
            "@type": "ProfilePage",
            "url": canonical,
            "mainEntity": person,
        }))
    });
    let cards: Vec<Card> = list.items.iter().map(|a| Card::new(a, &known)).collect();
    let mut keys = Keys::new();
    keys.add(listing.key.0, &listing.key.1)
        .stories(cards.iter().map(|c| c.id));
    Ok(keys.on(html(ListPage {
        profile: listing.profile,
        structured,
        description: format!("{} stories from {}", listing.heading, layout.site_name),
        canonical: state.absolute(&link(page)),
        layout,
        kind: listing.kind,
        heading: listing.heading,
        cards,
        total: list.total,
        page,
        pages,
        prev_page: (page > 1).then(|| link(page - 1)),
        next_page: (page < pages).then(|| link(page + 1)),
    })))
}

pub async fn section(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    q: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let listing = Listing {
        kind: "Section",
        key: ("section", slug.clone()),
        heading: title_from_slug(&slug),
        path: crate::services::links::section_path(&slug),
        section: slug.clone(),
        filter: ArticleFilter {
            section: Some(slug),
            live_only: true,
            ..Default::default()
        },
        profile: None,
    };
    render(&state, listing, q.map(|Query(q)| q).unwrap_or_default()).await
}

pub async fn tag(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    q: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let tag = tag.to_lowercase();
    let listing = Listing {
        kind: "Topic",
        key: ("tag", tag.clone()),
        heading: tag.clone(),
        path: crate::services::links::tag_canonical_path(&tag),
        section: String::new(),
        filter: ArticleFilter {
            tag: Some(tag),
            live_only: true,
            ..Default::default()
        },
        profile: None,
    };
    render(&state, listing, q.map(|Query(q)| q).unwrap_or_default()).await
}

pub async fn author(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    q: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let now = chrono::Utc::now();
    let slug = author_slug(&slug);
    let filter = ArticleFilter {
        author: Some(slug.clone()),
        live_only: true,
        ..Default::default()
    };
    // The author's name as written on their latest story.
    let newest = state
        .store
        .list_articles(&filter, PageRequest::page(1, 1), now)
        .await?;
    let heading = newest
        .items
        .first()
        .and_then(|a| a.authors.iter().find(|n| author_slug(n) == slug).cloned())
        .unwrap_or_else(|| title_from_slug(&slug));
    let listing = Listing {
        kind: "Author",
        key: ("author", slug.clone()),
        heading,
        path: crate::services::links::author_path(&slug),
        section: String::new(),
        filter,
        profile: state.store.author_profile(&slug).await?,
    };
    render(&state, listing, q.map(|Query(q)| q).unwrap_or_default()).await
}
