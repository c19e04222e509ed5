//! GET /api/v1/search

use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::Params;
use crate::services::search::query::{run, SearchParams, PAGE_SIZE};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use newsdesk_core::Hero;
use newsdesk_search::Snippet;
use serde::Serialize;

/// Text with the words the query matched marked.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Marked {
    /// The plain text.
    pub text: String,
    /// The same, HTML-escaped, with each match in `<mark>`.
    pub html: String,
    /// Whether text was left out before or after this passage.
    pub cut_before: bool,
    pub cut_after: bool,
}

impl From<&Snippet> for Marked {
    fn from(s: &Snippet) -> Self {
        let mut html = String::new();
        for (text, hit) in &s.parts {
            let escaped = html_escape::encode_text(text);
            if *hit {
                html.push_str("<mark>");
                html.push_str(&escaped);
                html.push_str("</mark>");
            } else {
                html.push_str(&escaped);
            }
        }
        Marked {
            text: s.text(),
            html,
            cut_before: s.cut_before,
            cut_after: s.cut_after,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchHit {
    pub slug: String,
    pub url: String,
    pub headline: String,
    pub headline_marked: Marked,
    /// The passage of the body that matched best (or the standfirst, or the body's opening).
    pub snippet: Marked,
    pub section: String,
    pub authors: Vec<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub image: Option<Hero>,
    /// Relevance with the lift fresher stories get (0 when sorted by date); every node gives
    /// a story the same score.
    pub score: f32,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchAnswer {
    pub query: String,
    /// Matching stories in all.
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    /// `relevance` or `newest`.
    pub sort: &'static str,
    pub results: Vec<SearchHit>,
    /// Whether this node is still filling its index (right after a first start), so results
    /// may miss stories; `pending` says how many it has still to index.
    pub indexing: bool,
    pub pending: u64,
}

/// Published stories matching words in their headline, standfirst, body, tags or authors,
/// best first (fresher stories lifted among similar ones) or newest first; narrowed by section,
/// tag, author and dates.
#[utoipa::path(
    get, path = "/api/v1/search", tag = "search",
    params(SearchParams),
    responses(
        (status = 200, description = "One page of matching stories", body = SearchAnswer),
        (status = 422, description = "A parameter is not understood; `fields` names it", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "search", skip_all)]
pub async fn search(
    State(state): State<AppState>,
    Params(params): Params<SearchParams>,
) -> Result<Json<SearchAnswer>, AppError> {
    crate::http::extract::refuse_empty(&[
        ("from", &params.from),
        ("to", &params.to),
        ("page", &params.page),
        ("per_page", &params.per_page),
        ("sort", &params.sort),
    ])?;
    let asked = params.check(PAGE_SIZE)?;
    let found = if asked.asks() {
        Some(run(&state, &asked).await?)
    } else {
        None
    };
    let (total, pending) = found.as_ref().map_or((0, 0), |f| (f.total, f.pending));
    let indexing = state.search.indexing();
    let results = found
        .map(|f| f.items)
        .unwrap_or_default()
        .into_iter()
        .map(|r| SearchHit {
            url: state.absolute(&r.url),
            headline: r.headline.text(),
            headline_marked: Marked::from(&r.headline),
            snippet: Marked::from(&r.snippet),
            slug: r.slug,
            section: r.section,
            authors: r.authors,
            published_at: r.published_at,
            image: r.image,
            score: r.score,
        })
        .collect();
    Ok(Json(SearchAnswer {
        query: asked.q,
        total,
        page: asked.page,
        per_page: asked.per_page,
        sort: asked.sort.as_str(),
        results,
        indexing,
        pending,
    }))
}
