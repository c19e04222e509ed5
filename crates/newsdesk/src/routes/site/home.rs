//! The front page: the top stories, the latest, and each section's newest.

use crate::http::error::AppError;
use crate::render::cards::Card;
use crate::render::layout::Layout;
use crate::render::page::html;
use crate::services::old_addresses;
use crate::services::page_keys::{self, Keys};
use crate::services::pictures;
use crate::state::AppState;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use newsdesk_core::slug::title_from_slug;
use newsdesk_core::{ArticleFilter, PageRequest};

pub struct SectionBlock {
    pub slug: String,
    pub title: String,
    pub cards: Vec<Card>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    lead: Option<Card>,
    secondary: Vec<Card>,
    latest: Vec<Card>,
    by_section: Vec<SectionBlock>,
}

pub async fn home(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    // An old WordPress link (`/?p=12`, `/?page_id=7`, `/?feed=rss2`) leads to its content.
    if let Some(q) = query.as_deref() {
        if let Some(to) = old_addresses::new_address(&state, "/", Some(q)).await? {
            return Ok(old_addresses::moved(&to));
        }
    }
    let now = chrono::Utc::now();
    let layout = Layout::load(&state, "", now).await?;
    let live = ArticleFilter {
        live_only: true,
        ..Default::default()
    };
    let recent = state
        .store
        .list_articles(&live, PageRequest::page(1, 15), now)
        .await?;
    let mut section_lists = Vec::new();
    for s in &layout.sections {
        let filter = ArticleFilter {
            section: Some(s.slug.clone()),
            live_only: true,
            ..Default::default()
        };
        let list = state
            .store
            .list_articles(&filter, PageRequest::page(1, 4), now)
            .await?;
        section_lists.push((s.slug.clone(), list.items));
    }
    let shown = recent
        .items
        .iter()
        .chain(section_lists.iter().flat_map(|(_, l)| l));
    let known = pictures::view::load(&state, shown.map(|a| a.hero.as_ref())).await?;
    let card = |a: &newsdesk_core::Article| Card::new(a, &known);
    // Top stories are the newest with a picture; the rest run as the latest list.
    let top: Vec<&newsdesk_core::Article> = recent
        .items
        .iter()
        .filter(|a| a.hero.is_some())
        .take(5)
        .collect();
    let lead = top.first().map(|a| card(a));
    let secondary = top.iter().skip(1).map(|a| card(a)).collect();
    let latest = recent
        .items
        .iter()
        .filter(|a| !top.iter().any(|t| t.id == a.id))
        .take(10)
        .map(card)
        .collect();
    let by_section: Vec<SectionBlock> = section_lists
        .iter()
        .map(|(slug, items)| SectionBlock {
            slug: slug.clone(),
            title: title_from_slug(slug),
            cards: items.iter().map(card).collect(),
        })
        .collect();
    let mut keys = Keys::new();
    keys.add_plain(page_keys::HOME);
    keys.stories(lead.iter().chain(&secondary).chain(&latest).map(|c| c.id));
    keys.stories(by_section.iter().flat_map(|b| &b.cards).map(|c| c.id));
    Ok(keys.on(html(HomePage {
        layout,
        lead,
        secondary,
        latest,
        by_section,
    })))
}
