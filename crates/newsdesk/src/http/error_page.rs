//! Errors on the site's and the newsroom's routes shown as pages: the same `AppError` every
//! handler returns, rendered in the site's layout with a way back that fits where the reader
//! was. A request from the page's script (`Accept: application/json`) keeps the JSON.

use super::error::ShownError;
use super::extract::wants_json;
use crate::render::cards::Card;
use crate::render::layout::Layout;
use crate::render::page::{html, ErrorPage};
use crate::services::links::{article_path, canonical_path, NEWSROOM_HOME};
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use newsdesk_core::{ArticleFilter, PageRequest};

/// Where an error page leads back to: a label and an address.
pub type WayBack = Option<(&'static str, String)>;

/// The way back from an address: the newsroom's pages lead back to the newsroom, a story's
/// forms to the story (unless something is missing: perhaps the story).
pub fn way_back(path: &str, status: StatusCode) -> WayBack {
    if path == "/admin" || path.starts_with("/admin/") {
        return Some(("Back to the newsroom", NEWSROOM_HOME.to_string()));
    }
    if matches!(status, StatusCode::NOT_FOUND | StatusCode::GONE) {
        return None;
    }
    let slug = path.strip_prefix("/news/")?.split('/').next()?;
    (!slug.is_empty()).then(|| ("Back to the story", article_path(slug)))
}

/// Middleware: an error answer becomes a page, unless the page's script sent a form and asked
/// for JSON. A page read (GET) is always answered with a page.
pub async fn errors_as_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let reads = matches!(*req.method(), Method::GET | Method::HEAD);
    let json = wants_json(req.headers()) && !reads;
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(String::from);
    let response = next.run(req).await;
    if json {
        return response;
    }
    let Some(shown) = response.extensions().get::<ShownError>().cloned() else {
        return response;
    };
    let status = response.status();
    if status == StatusCode::NOT_FOUND && reads {
        if let Some(to) = canonical_redirect(&path, query.as_deref()) {
            return to;
        }
        // A list this site does not have may be an old site's (`/tag/cafes`, `/author/ana`).
        match crate::services::old_addresses::new_address(&state, &path, query.as_deref()).await {
            Ok(Some(to)) => return crate::services::old_addresses::moved(&to),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "cannot look up an old address"),
        }
    }
    let page = match error_page(&state, status, shown.message, way_back(&path, status)).await {
        Ok(page) => page,
        // The store failing while the error was shown: the JSON answer is still correct.
        Err(()) => return response,
    };
    // The error's own headers (Retry-After, cookies…) stay; the body and its type are the page's.
    let (mut parts, _) = response.into_parts();
    let (page_parts, body) = page.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    for name in [header::CONTENT_TYPE, header::CACHE_CONTROL] {
        match page_parts.headers.get(&name) {
            Some(v) => parts.headers.insert(name, v.clone()),
            None => parts.headers.remove(name),
        };
    }
    Response::from_parts(parts, body)
}

/// A permanent redirect (308, which keeps the method) from a mistyped address to the one it
/// stands for: a trailing slash or capitals that the site's addresses never have.
pub fn canonical_redirect(path: &str, query: Option<&str>) -> Option<Response> {
    let to = canonical_path(path)?;
    let to = match query {
        Some(q) => format!("{to}?{q}"),
        None => to,
    };
    Some(axum::response::Redirect::permanent(&to).into_response())
}

/// An error page with the site's layout; a missing page also lists the latest stories.
pub async fn error_page(
    state: &AppState,
    status: StatusCode,
    message: String,
    back: WayBack,
) -> Result<Response, ()> {
    let now = Utc::now();
    let layout = Layout::load(state, "", now).await.map_err(|e| {
        tracing::warn!(error = %e, "cannot load the layout for an error page");
    })?;
    let missing = matches!(status, StatusCode::NOT_FOUND | StatusCode::GONE);
    let suggestions = if missing {
        let filter = ArticleFilter {
            live_only: true,
            ..Default::default()
        };
        match state
            .store
            .list_articles(&filter, PageRequest::page(1, 5), now)
            .await
        {
            // The error page shows no pictures' variants: one query fewer on a page that
            // answers strangers' mistakes.
            Ok(latest) => latest
                .items
                .iter()
                .map(|a| Card::new(a, &Default::default()))
                .collect(),
            Err(_) => Vec::new(),
        }
    } else {
        Vec::new()
    };
    let heading = match status {
        StatusCode::TOO_MANY_REQUESTS => "Please slow down",
        StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED => "That is not possible",
        StatusCode::NOT_FOUND | StatusCode::GONE => "We could not find that page",
        StatusCode::CONFLICT => "Already done",
        StatusCode::INTERNAL_SERVER_ERROR => "Something went wrong",
        _ => "That did not work",
    };
    let page = ErrorPage {
        layout,
        code: status.as_u16(),
        heading: heading.into(),
        message,
        suggestions,
        back,
    };
    Ok((status, html(page)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newsroom_pages_lead_back_to_the_newsroom() {
        let back = way_back("/admin/moderation/bans", StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(back.unwrap().1, "/admin/");
    }

    #[test]
    fn a_story_form_leads_back_to_its_story_but_a_missing_story_leads_nowhere() {
        let back = way_back("/news/a-b/comments/3/vote", StatusCode::FORBIDDEN);
        assert_eq!(
            back.unwrap(),
            ("Back to the story", "/news/a-b".to_string())
        );
        assert_eq!(way_back("/news/a-b/comments", StatusCode::NOT_FOUND), None);
        assert_eq!(way_back("/feed.xml", StatusCode::NOT_FOUND), None);
    }
}
