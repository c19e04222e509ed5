//! `GET /api/v1/articles/{slug}/revisions` and `POST …/revisions/{n}/restore`: every save of a
//! story, and making it read as it did at one of them (a new revision; nothing is lost).

use super::view::ArticleView;
use crate::http::auth::RequireActor;
use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::ApiPath;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use newsdesk_core::newsroom;
use newsdesk_core::revision::RevisionInfo;
use newsdesk_core::Article;

/// A newsroom member's view of a story, or why there is none.
async fn story_for(
    state: &AppState,
    actor: &RequireActor,
    slug: &str,
) -> Result<Article, AppError> {
    if !actor.0.role.sees_unpublished() {
        return Err(AppError::Forbidden(format!(
            "the {} role cannot read a story's revisions",
            actor.0.role
        )));
    }
    state
        .store
        .find_article(slug)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no story has the slug '{slug}'")))
}

/// Every kept revision of a story, newest first: its number, when and by whom it was saved.
#[utoipa::path(
    get, path = "/api/v1/articles/{slug}/revisions", tag = "articles",
    params(("slug" = String, Path, description = "The story's slug")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The revisions, newest first", body = [RevisionInfo]),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "The role may not read revisions", body = ErrorBody),
        (status = 404, description = "No such story", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "list_revisions", skip(state, actor))]
pub async fn list_revisions(
    State(state): State<AppState>,
    actor: RequireActor,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<Vec<RevisionInfo>>, AppError> {
    let article = story_for(&state, &actor, &slug).await?;
    Ok(Json(state.store.revisions(article.id).await?))
}

/// Makes the story read as it did at revision `n`, at its current address. The restore is
/// itself a new revision.
#[utoipa::path(
    post, path = "/api/v1/articles/{slug}/revisions/{n}/restore", tag = "articles",
    params(("slug" = String, Path), ("n" = i64, Path, description = "The revision to restore")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The story as restored", body = ArticleView),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "The role may not change this story", body = ErrorBody),
        (status = 404, description = "No such story or revision", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "restore_revision", skip(state, actor))]
pub async fn restore_revision(
    State(state): State<AppState>,
    actor: RequireActor,
    ApiPath((slug, n)): ApiPath<(String, i64)>,
) -> Result<ArticleView, AppError> {
    let article = story_for(&state, &actor, &slug).await?;
    if state.store.revision(article.id, n).await?.is_none() {
        return Err(AppError::NotFound(format!("the story has no revision {n}")));
    }
    let now = chrono::Utc::now();
    let restored =
        newsroom::restore_revision(state.store.as_ref(), &actor.0, &slug, n, now).await?;
    state.changed_story(&restored);
    tracing::info!(slug = %restored.slug, by = %actor.0.principal, from = n, "revision restored");
    Ok(ArticleView::new(&state, restored, now))
}
