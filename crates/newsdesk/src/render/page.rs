//! Rendering a template into a page, and the error page's template.

use super::layout::Layout;
use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub code: u16,
    pub heading: String,
    pub message: String,
    pub suggestions: Vec<super::cards::Card>,
    /// Where to go from here, besides the front page.
    pub back: Option<(&'static str, String)>,
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
