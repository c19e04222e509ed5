//! GET /api/v1/articles/{slug}

use super::view::ArticleView;
use crate::http::auth::MaybeActor;
use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::ApiPath;
use crate::state::AppState;
use axum::extract::State;

/// Reads a story by its slug (or a slug it had before). Drafts need a newsroom token.
#[utoipa::path(
    get, path = "/api/v1/articles/{slug}", tag = "articles",
    params(("slug" = String, Path, description = "The story's slug")),
    responses(
        (status = 200, description = "The story", body = ArticleView,
            headers(("ETag" = String, description = "The story's revision, for If-Match"))),
        (status = 401, description = "Bad token", body = ErrorBody),
        (status = 404, description = "No such story", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "show_article", skip(state, actor))]
pub async fn show_article(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    ApiPath(slug): ApiPath<String>,
) -> Result<ArticleView, AppError> {
    let now = chrono::Utc::now();
    let article = state
        .store
        .find_article(&slug)
        .await?
        .filter(|a| a.is_live(now) || actor.as_ref().is_some_and(|a| a.role.sees_unpublished()))
        .ok_or_else(|| AppError::NotFound(format!("no story has the slug '{slug}'")))?;
    Ok(ArticleView::new(&state, article, now))
}
