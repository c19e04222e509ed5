//! GET /api/v1/articles/{slug}/comments

use super::view::{CommentPage, CommentView};
use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::ApiPath;
use crate::http::extract::Params;
use crate::services::debate::admission::live_article;
use crate::services::debate::reading_order::reading_order;
use crate::services::debate::thread_params::ThreadParams;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommentQuery {
    /// oldest (the default), newest or best.
    #[param(pattern = "^(oldest|newest|best)$")]
    sort: Option<String>,
    /// From 1 to 100,000.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100_000)]
    page: Option<String>,
    /// Threads per page, from 1 to 100; the site's setting when left out.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
    /// Only the answers to this debate question.
    #[param(value_type = Option<i64>)]
    question: Option<String>,
}

/// Lists a page of a story's comments: threads in the chosen order, each followed by its
/// replies, with tombstones for removed comments.
#[utoipa::path(
    get, path = "/api/v1/articles/{slug}/comments", tag = "comments",
    params(("slug" = String, Path, description = "The story's slug"), CommentQuery),
    responses(
        (status = 200, description = "A page of comments", body = CommentPage),
        (status = 404, description = "No such story", body = ErrorBody),
        (status = 422, description = "Bad sort or paging value", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "list_comments", skip(state, q))]
pub async fn list_comments(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    Params(q): Params<CommentQuery>,
) -> Result<Json<CommentPage>, AppError> {
    crate::http::extract::refuse_empty(&[
        ("sort", &q.sort),
        ("page", &q.page),
        ("per_page", &q.per_page),
        ("question", &q.question),
    ])?;
    let article = live_article(&state, &slug).await?;
    let per_page = match q.per_page.as_deref() {
        None => state.config.comments_per_page,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .ok_or_else(|| AppError::invalid("per_page", "must be a whole number from 1 to 100"))?,
    };
    let params = ThreadParams {
        sort: q.sort,
        cpage: q.page,
        question: q.question,
    };
    let query = params.query(&article, per_page).map_err(|m| {
        // A question the story does not have names no thread: nothing is there.
        if m.ends_with("is not a question of this story") {
            return AppError::NotFound(m);
        }
        let field = m
            .split_whitespace()
            .next()
            .unwrap_or("query")
            .replace("cpage", "page");
        AppError::invalid(&field, m.replace("cpage", "page"))
    })?;
    let page = state.store.thread_page(&query).await?;
    Ok(Json(CommentPage {
        // The same order as the site shows, as plain data.
        items: reading_order(&page)
            .iter()
            .map(|p| CommentView::new(p.comment, &article.slug))
            .collect(),
        total: page.comment_count,
        threads: page.total_roots,
        page: query.offset / per_page + 1,
        per_page,
        sort: query.sort,
    }))
}
