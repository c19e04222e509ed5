//! PATCH /api/v1/articles/{slug}

use super::view::ArticleView;
use crate::http::auth::RequireActor;
use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::ApiJson;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use newsdesk_core::{newsroom, ArticleInput};

/// Changes the fields sent and keeps the rest. A new slug keeps the old one redirecting.
#[utoipa::path(
    patch, path = "/api/v1/articles/{slug}", tag = "articles",
    params(("slug" = String, Path, description = "The story's slug")),
    request_body = ArticleInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed story", body = ArticleView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "The role may not do this", body = ErrorBody),
        (status = 404, description = "No such story", body = ErrorBody),
        (status = 409, description = "Changed by someone else meanwhile", body = ErrorBody),
        (status = 413, description = "Body over the limit", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "update_article", skip(state, actor, input))]
pub async fn update_article(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<ArticleInput>,
) -> Result<Json<ArticleView>, AppError> {
    let now = chrono::Utc::now();
    let article = newsroom::update_article(state.store.as_ref(), &actor, &slug, input, now).await?;
    tracing::info!(slug = %article.slug, by = %actor.principal, revision = article.revision, "story changed");
    Ok(Json(ArticleView::new(&state, article, now)))
}
