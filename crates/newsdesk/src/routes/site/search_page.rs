//! GET /search: the search form, the matching stories with their words marked, and pages.

use crate::http::error::AppError;
use crate::http::extract::Params;
use crate::render::cards::DateLabel;
use crate::render::layout::Layout;
use crate::render::page::html;
use crate::services::search::query::{run, Asked, SearchParams, PAGE_SIZE};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use newsdesk_search::Snippet;

struct ResultView {
    url: String,
    headline: Snippet,
    snippet: Snippet,
    section: String,
    section_title: String,
    date: Option<DateLabel>,
    byline: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    asked: Asked,
    /// The field at fault and what is wrong, when the query string was refused.
    error: Option<(String, String)>,
    searched: bool,
    summary: String,
    pending: u64,
    indexing: bool,
    results: Vec<ResultView>,
    first_rank: usize,
    page: usize,
    pages: usize,
    prev_page: Option<String>,
    next_page: Option<String>,
}

#[tracing::instrument(name = "search_page", skip_all)]
pub async fn search_page(
    State(state): State<AppState>,
    Params(mut params): Params<SearchParams>,
) -> Result<Response, AppError> {
    // The page shows a fixed number of results; `per_page` is for the API.
    params.per_page = None;
    let now = chrono::Utc::now();
    let layout = Layout::load(&state, "", now).await?;
    let mut page = SearchPage {
        layout,
        asked: Asked::default(),
        error: None,
        searched: false,
        summary: String::new(),
        pending: 0,
        indexing: false,
        results: Vec::new(),
        first_rank: 1,
        page: 1,
        pages: 1,
        prev_page: None,
        next_page: None,
    };
    let asked = match params.check(PAGE_SIZE) {
        Ok(asked) => asked,
        Err(AppError::Invalid(fields)) => {
            page.asked = Asked::echo(&params);
            page.error = fields.0.into_iter().next().map(|(f, m)| (f, m.join("; ")));
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(page)).into_response());
        }
        Err(e) => return Err(e),
    };
    if asked.asks() {
        let found = run(&state, &asked).await?;
        page.searched = true;
        page.pending = found.pending;
        page.indexing = found.indexing;
        page.summary = summary(&asked, found.total);
        page.pages = asked.pages(found.total);
        page.page = asked.page;
        page.first_rank = (asked.page - 1) * asked.per_page + 1;
        page.prev_page = (asked.page > 1).then(|| asked.link(asked.page - 1));
        page.next_page = (asked.page < page.pages).then(|| asked.link(asked.page + 1));
        page.results = found
            .items
            .into_iter()
            .map(|r| ResultView {
                url: r.url,
                headline: r.headline,
                snippet: r.snippet,
                section: r.section,
                section_title: r.section_title,
                date: r.published_at.map(DateLabel::long),
                byline: r.authors.join(", "),
            })
            .collect();
    }
    page.asked = asked;
    Ok(html(page))
}

fn summary(asked: &Asked, total: usize) -> String {
    let stories = if total == 1 { "story" } else { "stories" };
    if asked.q.is_empty() {
        format!("{total} {stories}")
    } else {
        format!("{total} {stories} match “{}”", asked.q)
    }
}
