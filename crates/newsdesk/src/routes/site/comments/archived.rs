//! `GET /news/{slug}/comments/archived/{number}`: a comment by the number it had on the site
//! it was imported from, where an old `#comment-N` link meant it; it answers with the page of
//! the conversation that holds it.

use crate::http::error::AppError;
use crate::services::debate::admission::live_article;
use crate::services::links::comment_link;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;

pub async fn archived(
    State(state): State<AppState>,
    Path((slug, number)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let article = live_article(&state, &slug).await?;
    let missing = || AppError::NotFound("there is no such comment on this story".into());
    let id = state
        .store
        .archived_comment(article.id, &number)
        .await?
        .ok_or_else(missing)?;
    let comment = state
        .store
        .find_comment(id)
        .await?
        .filter(|c| c.status.in_thread())
        .ok_or_else(missing)?;
    let to = comment_link(&state, &article, &comment).await?;
    Ok(crate::services::old_addresses::moved(&to))
}
