//! Rendering pages, and errors shown as pages rather than JSON.

use super::layout::Layout;
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};

/// An error on the public site: the status and a page that helps the reader on.
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError(e)
    }
}

impl From<newsdesk_core::StoreError> for PageError {
    fn from(e: newsdesk_core::StoreError) -> Self {
        PageError(e.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub code: u16,
    pub heading: String,
    pub message: String,
    pub suggestions: Vec<super::cards::Card>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.0.log();
        let status = self.0.status();
        let message = self.0.public_message();
        let page = ErrorPage {
            layout: Layout {
                site_name: "newsdesk".into(),
                sections: Vec::new(),
                current_section: String::new(),
                today: String::new(),
                asset_version: crate::routes::assets::asset_version(),
            },
            code: status.as_u16(),
            heading: status.canonical_reason().unwrap_or("Error").to_string(),
            message,
            suggestions: Vec::new(),
        };
        (status, html(page)).into_response()
    }
}

/// Renders a template into an HTML response.
pub fn html(t: impl Template) -> Response {
    match t.render() {
        Ok(body) => ([(header::CACHE_CONTROL, "no-cache")], Html(body)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be rendered",
            )
                .into_response()
        }
    }
}

/// The 404 page with the site's navigation and the latest stories.
pub async fn not_found(state: &AppState, message: String) -> Result<Response, PageError> {
    let now = chrono::Utc::now();
    let layout = Layout::load(state, "", now).await?;
    let filter = newsdesk_core::ArticleFilter {
        live_only: true,
        ..Default::default()
    };
    let latest = state
        .store
        .list_articles(&filter, newsdesk_core::PageRequest::page(1, 5), now)
        .await?;
    let page = ErrorPage {
        layout,
        code: 404,
        heading: "We could not find that page".into(),
        message,
        suggestions: latest.items.iter().map(super::cards::Card::new).collect(),
    };
    Ok((StatusCode::NOT_FOUND, html(page)).into_response())
}
