//! POST /api/v1/articles

use super::view::ArticleView;
use crate::http::auth::RequireActor;
use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::ApiJson;
use crate::http::visitor::ClientIp;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use newsdesk_core::{newsroom, ArticleInput};

/// Creates a story. Contributors may only create drafts.
#[utoipa::path(
    post, path = "/api/v1/articles", tag = "articles",
    request_body = ArticleInput,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = ArticleView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "The role may not do this", body = ErrorBody),
        (status = 413, description = "Body over the limit", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "create_article", skip_all)]
pub async fn create_article(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ClientIp(ip): ClientIp,
    ApiJson(input): ApiJson<ArticleInput>,
) -> Result<impl IntoResponse, AppError> {
    let now = chrono::Utc::now();
    let article = newsroom::create_article(state.store.as_ref(), &actor, input, now).await?;
    state.changed_story(&article);
    tracing::info!(slug = %article.slug, by = %actor.principal, "story created");
    let who = crate::services::audit::Who::new(&actor.principal, ip);
    crate::services::audit::story_saved(&state, &who, None, &article).await;
    let view = ArticleView::new(&state, article, now);
    Ok((
        StatusCode::CREATED,
        [(
            header::LOCATION,
            crate::services::links::api_article_path(&view.slug),
        )],
        view,
    ))
}
