//! Search as readers ask it, for the page and the API alike: the query string read and checked
//! field by field, the matching stories loaded in rank order with their words marked.

use crate::http::error::AppError;
use crate::services::links::article_path;
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use newsdesk_core::body::plain_text;
use newsdesk_core::newsroom::author_slug;
use newsdesk_core::slug::title_from_slug;
use newsdesk_core::{Article, ArticleId, Hero};
use newsdesk_search::{Filters, SearchRequest, Snippet, Sort, MAX_OFFSET, MAX_PER_PAGE};
use serde::Deserialize;
use std::collections::HashMap;

/// Results on one page of the site.
pub const PAGE_SIZE: usize = 10;
const HOUR_MS: i64 = 3_600_000;

/// The query string of `/search` and `/api/v1/search`. Every value is read as text and checked
/// here, so a bad one is answered with its field's name.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words to find (all must match), "quoted phrases", prefixes ending in `*`, and `-word`
    /// to leave stories out. At most 200 characters, 16 words or phrases and 4 prefixes. May be
    /// empty when a filter is given.
    #[serde(default)]
    pub q: Option<String>,
    /// A section's slug, such as `politics`.
    #[serde(default)]
    pub section: Option<String>,
    /// A tag, as on the story.
    #[serde(default)]
    pub tag: Option<String>,
    /// An author's slug, such as `mira-holt`.
    #[serde(default)]
    pub author: Option<String>,
    /// Published on or after this day (YYYY-MM-DD, UTC).
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// Published on or before this day (YYYY-MM-DD, UTC).
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
    /// `relevance` (the default: best matches first, fresher ones lifted) or `newest`.
    #[serde(default)]
    #[param(pattern = "^(relevance|newest)$")]
    pub sort: Option<String>,
    /// From 1; results past the 1,000th are not served (`page` × `per_page` at most 1,000).
    #[serde(default)]
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000)]
    pub page: Option<String>,
    /// From 1 to 50 (API only); 10 when left out.
    #[serde(default)]
    #[param(value_type = Option<i64>, minimum = 1, maximum = 50)]
    pub per_page: Option<String>,
}

/// A checked search: the engine's request and the values to show back in the form.
#[derive(Debug, Clone, Default)]
pub struct Asked {
    pub q: String,
    pub section: String,
    pub tag: String,
    pub author: String,
    pub from: String,
    pub to: String,
    pub sort: Sort,
    pub page: usize,
    pub per_page: usize,
    pub filters: Filters,
}

fn given(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn day(field: &'static str, v: &Option<String>) -> Result<Option<NaiveDate>, AppError> {
    given(v)
        .map(|s| {
            NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .map_err(|_| AppError::invalid(field, "must be a date written YYYY-MM-DD"))
        })
        .transpose()
}

fn start_ms(d: NaiveDate) -> i64 {
    Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
        .timestamp_millis()
}

impl SearchParams {
    pub fn check(&self, per_page_default: usize) -> Result<Asked, AppError> {
        let q = given(&self.q).unwrap_or_default();
        newsdesk_search::query::check(&q).map_err(|why| AppError::invalid("q", why))?;
        let sort = match given(&self.sort) {
            None => Sort::Relevance,
            Some(s) => Sort::parse(&s)
                .ok_or_else(|| AppError::invalid("sort", "must be relevance or newest"))?,
        };
        let number = |field: &'static str, v: &Option<String>, default: usize, max: usize| {
            given(v).map_or(Ok(default), |s| {
                s.parse::<usize>()
                    .ok()
                    .filter(|n| (1..=max).contains(n))
                    .ok_or_else(|| {
                        AppError::invalid(field, format!("must be a whole number from 1 to {max}"))
                    })
            })
        };
        let per_page = number("per_page", &self.per_page, per_page_default, MAX_PER_PAGE)?;
        let page = number("page", &self.page, 1, usize::MAX)?;
        if page.saturating_mul(per_page) > MAX_OFFSET {
            return Err(AppError::invalid(
                "page",
                format!("results past the {MAX_OFFSET}th are not served; narrow the search"),
            ));
        }
        let from = day("from", &self.from)?;
        let to = day("to", &self.to)?;
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                return Err(AppError::invalid("to", "must not be before from"));
            }
        }
        let section = given(&self.section).unwrap_or_default();
        let tag = given(&self.tag)
            .map(|t| t.to_lowercase())
            .unwrap_or_default();
        // A name or a slug: "Mira Holt" and "mira-holt" are one author.
        let author = given(&self.author)
            .map(|a| author_slug(&a))
            .unwrap_or_default();
        let some = |s: &String| (!s.is_empty()).then(|| s.clone());
        Ok(Asked {
            filters: Filters {
                section: some(&section),
                tag: some(&tag),
                author: some(&author),
                from_ms: from.map(start_ms),
                until_ms: to.and_then(|t| t.succ_opt()).map(start_ms),
            },
            q,
            section,
            tag,
            author,
            from: from.map(|d| d.to_string()).unwrap_or_default(),
            to: to.map(|d| d.to_string()).unwrap_or_default(),
            sort,
            page,
            per_page,
        })
    }
}

impl Asked {
    /// A refused query shown back as typed, so the reader can mend it.
    pub fn echo(p: &SearchParams) -> Asked {
        let raw = |v: &Option<String>| v.clone().unwrap_or_default();
        Asked {
            q: raw(&p.q),
            section: raw(&p.section),
            tag: raw(&p.tag),
            author: raw(&p.author),
            // A date field can only hold a date; the error message says what was wrong.
            from: day("from", &p.from)
                .ok()
                .flatten()
                .map(|d| d.to_string())
                .unwrap_or_default(),
            to: day("to", &p.to)
                .ok()
                .flatten()
                .map(|d| d.to_string())
                .unwrap_or_default(),
            sort: p.sort.as_deref().and_then(Sort::parse).unwrap_or_default(),
            page: 1,
            per_page: PAGE_SIZE,
            filters: Filters::default(),
        }
    }

    /// The address of another page of the same search on the site.
    pub fn link(&self, page: usize) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        let sort = if self.sort == Sort::Relevance {
            ""
        } else {
            self.sort.as_str()
        };
        for (key, value) in [
            ("q", self.q.as_str()),
            ("section", &self.section),
            ("tag", &self.tag),
            ("author", &self.author),
            ("from", &self.from),
            ("to", &self.to),
            ("sort", sort),
        ] {
            if !value.is_empty() {
                query.append_pair(key, value);
            }
        }
        if page > 1 {
            query.append_pair("page", &page.to_string());
        }
        format!("/search?{}", query.finish())
    }

    /// Pages of results that can be served: all of them, up to the 1,000th result.
    pub fn pages(&self, total: usize) -> usize {
        total
            .div_ceil(self.per_page)
            .clamp(1, MAX_OFFSET / self.per_page)
    }

    /// Whether the reader asked for anything: words or a filter.
    pub fn asks(&self) -> bool {
        !self.q.is_empty() || !self.filters.is_empty()
    }

    fn request(&self, now: DateTime<Utc>) -> SearchRequest {
        SearchRequest {
            text: self.q.clone(),
            filters: self.filters.clone(),
            sort: self.sort,
            offset: (self.page - 1) * self.per_page,
            limit: self.per_page,
            // Rounded to the hour, so nodes asked moments apart lift fresh stories alike.
            now_ms: now.timestamp_millis() / HOUR_MS * HOUR_MS,
        }
    }
}

/// One matching story as results show it.
pub struct FoundStory {
    pub slug: String,
    pub url: String,
    pub headline: Snippet,
    /// The passage that matched best (or the standfirst, or the body's opening).
    pub snippet: Snippet,
    pub section: String,
    pub section_title: String,
    pub authors: Vec<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub image: Option<Hero>,
    /// Relevance with the recency lift (0 when sorted by date); equal on every node.
    pub score: f32,
}

pub struct Results {
    pub total: usize,
    pub items: Vec<FoundStory>,
    /// Stories this node has still to index (right after a first start); results may miss them.
    pub pending: u64,
    /// Whether this node is still filling its index.
    pub indexing: bool,
}

pub async fn run(state: &AppState, asked: &Asked) -> Result<Results, AppError> {
    let now = Utc::now();
    let found = state
        .search
        .find(asked.request(now))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let ids: Vec<ArticleId> = found.hits.iter().map(|h| h.id).collect();
    let mut by_id: HashMap<ArticleId, Article> = state
        .store
        .articles_by_ids(&ids)
        .await?
        .into_iter()
        .filter(|a| a.is_live(now))
        .map(|a| (a.id, a))
        .collect();
    let items = found
        .hits
        .iter()
        .filter_map(|hit| Some((by_id.remove(&hit.id)?, hit.score)))
        .map(|(a, score)| {
            let marks = &found.highlighter;
            let mut snippet = marks.passage(&plain_text(&a.body));
            if !snippet.is_highlighted() && !a.standfirst.is_empty() {
                snippet = marks.whole(&a.standfirst);
            }
            FoundStory {
                url: article_path(&a.slug),
                headline: marks.whole(&a.headline),
                snippet,
                section_title: title_from_slug(&a.section),
                section: a.section,
                authors: a.authors,
                published_at: a.published_at,
                image: a.hero,
                slug: a.slug,
                score,
            }
        })
        .collect();
    Ok(Results {
        total: found.total,
        items,
        pending: state.search.pending(),
        indexing: state.search.indexing(),
    })
}
