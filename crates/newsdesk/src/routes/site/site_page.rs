//! `/{slug}`: a site page (About, Contact, Privacy…) the newsroom wrote; any other single-word
//! address goes on to the site's answer for addresses it does not have.

use super::not_found;
use crate::render::layout::Layout;
use crate::render::markdown::{self, SafeHtml};
use crate::render::page::html;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use chrono::Utc;

#[derive(Template)]
#[template(path = "site_page.html")]
struct SitePageView {
    layout: Layout,
    slug: String,
    title: String,
    body: SafeHtml,
}

pub async fn show(State(state): State<AppState>, Path(slug): Path<String>, uri: Uri) -> Response {
    let page = match state.store.site_page(&slug).await {
        Ok(Some(p)) if p.published => p,
        Ok(_) => return not_found::fallback(State(state), uri).await,
        Err(e) => return crate::http::error::AppError::from(e).into_response(),
    };
    let layout = match Layout::load(&state, "", Utc::now()).await {
        Ok(l) => l,
        Err(e) => return crate::http::error::AppError::from(e).into_response(),
    };
    html(SitePageView {
        layout,
        slug: page.slug,
        title: page.title,
        body: markdown::render(&page.body),
    })
}
