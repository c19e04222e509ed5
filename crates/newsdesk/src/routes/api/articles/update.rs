//! PATCH /api/v1/articles/{slug}

use super::view::{if_match, ArticleView};
use crate::http::auth::RequireActor;
use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::ApiJson;
use crate::http::extract::ApiPath;
use crate::http::visitor::ClientIp;
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use newsdesk_core::{newsroom, ArticleInput};

/// Changes the fields sent and keeps the rest. A new slug keeps the old one redirecting.
/// With `If-Match` (the `ETag` of the version the client read), the change applies only to
/// that version: a story changed meanwhile answers 412 and nothing changes.
#[utoipa::path(
    patch, path = "/api/v1/articles/{slug}", tag = "articles",
    params(
        ("slug" = String, Path, description = "The story's slug"),
        ("If-Match" = Option<String>, Header, description = "The ETag of the version the change is made to, such as \"7\""),
    ),
    request_body = ArticleInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed story", body = ArticleView,
            headers(("ETag" = String, description = "The new revision"))),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "The role may not do this", body = ErrorBody),
        (status = 404, description = "No such story", body = ErrorBody),
        (status = 409, description = "Changed by someone else meanwhile", body = ErrorBody),
        (status = 412, description = "If-Match names a version the story is no longer at", body = ErrorBody),
        (status = 413, description = "Body over the limit", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "update_article", skip(state, actor, input))]
pub async fn update_article(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ClientIp(ip): ClientIp,
    ApiPath(slug): ApiPath<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<ArticleInput>,
) -> Result<ArticleView, AppError> {
    let now = chrono::Utc::now();
    let expected =
        match if_match(&headers) {
            None => None,
            Some(tags) if tags.is_empty() => return Err(AppError::PreconditionFailed(
                "If-Match names no version of this story: send the ETag you read, such as \"7\""
                    .into(),
            )),
            Some(tags) if tags.len() == 1 => Some(tags[0]),
            // Several versions named: the change may apply to whichever the story is at.
            Some(tags) => {
                let current = state.store.find_article(&slug).await?.map(|a| a.revision);
                Some(current.filter(|c| tags.contains(c)).unwrap_or(tags[0]))
            }
        };
    let store = state.store.as_ref();
    let before = store.find_article(&slug).await?;
    let article = newsroom::update_article(store, &actor, &slug, input, expected, now).await?;
    state.changed_story(&article);
    let who = crate::services::audit::Who::new(&actor.principal, ip);
    crate::services::audit::story_saved(&state, &who, before.as_ref(), &article).await;
    tracing::info!(slug = %article.slug, by = %actor.principal, revision = article.revision, "story changed");
    Ok(ArticleView::new(&state, article, now))
}
