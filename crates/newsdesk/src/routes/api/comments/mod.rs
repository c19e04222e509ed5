//! `/api/v1/articles/{slug}/comments`: the reader debate over JSON. A reader is known by the
//! same signed cookie as on the site; a first write gets one.

mod create;
mod delete;
mod flag;
mod list;
mod update;
pub mod view;
mod vote;

use crate::error::AppError;
use crate::reader::Visitor;
use crate::state::AppState;
use axum::http::{header, HeaderMap};
use newsdesk_core::Article;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create::create_comment, list::list_comments))
        .routes(routes!(update::update_comment, delete::delete_comment))
        .routes(routes!(vote::vote_comment))
        .routes(routes!(flag::flag_comment))
}

/// What every API write of the debate checks first: a JSON body (so a form on another site
/// cannot send one), the sender's origin and rate limits, and the story.
pub async fn admit_json(
    state: &AppState,
    slug: &str,
    headers: &HeaderMap,
    visitor: &Visitor,
) -> Result<Article, AppError> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json {
        return Err(AppError::UnsupportedMediaType(
            "send the body as JSON with 'Content-Type: application/json'".into(),
        ));
    }
    crate::routes::site::forms::gate(state, headers, visitor)?;
    let article = crate::routes::site::forms::live_article(state, slug).await?;
    crate::routes::site::forms::open_for(state, &article)?;
    crate::routes::site::forms::limit(state, visitor)?;
    Ok(article)
}
