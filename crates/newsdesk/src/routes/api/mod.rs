//! The JSON API under `/api/v1/`, and its OpenAPI document generated from the handlers.

mod answers;
pub mod articles;
pub mod comments;
pub mod debate;
pub mod media;
pub mod moderation;
pub mod search;

use crate::state::AppState;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(title = "newsdesk API", description = "Stories of a newsdesk site. Reads of published stories need no token; writes need a bearer token from `newsdesk token create`."),
    modifiers(&BearerAuth),
    components(schemas(newsdesk_core::moderation::QueueKind)),
    tags(
        (name = "articles", description = "Stories"),
        (name = "comments", description = "Readers' comments: a reader is known by a signed cookie, given on their first write"),
        (name = "debate", description = "Debate questions, their polls and readers' proposals"),
        (name = "media", description = "Stored pictures"),
        (name = "moderation", description = "The moderators' queue, actions, bans and log: moderator and admin tokens only"),
        (name = "search", description = "Full-text search over the published stories")
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API. Story writes drop this node's cached pages wholesale; debate writes drop only
/// their story's pages (in their handlers), so a busy conversation does not empty the cache.
pub fn router(pages: std::sync::Arc<crate::http::page_cache::PageCache>) -> Router<AppState> {
    let newsroom =
        articles::router()
            .merge(media::router())
            .layer(axum::middleware::from_fn_with_state(
                pages,
                crate::http::cache_layer::clear_after_writes,
            ));
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(newsroom)
        .merge(comments::router())
        .merge(debate::router())
        .merge(moderation::router())
        .merge(search::router())
        .split_for_parts();
    // Over the whole document, once the routes have brought their operations.
    answers::CommonAnswers.modify(&mut doc);
    answers::StoryCreateSchema.modify(&mut doc);
    let doc = std::sync::Arc::new(doc);
    router
        .method_not_allowed_fallback(|| async {
            crate::http::error::AppError::MethodNotAllowed(
                "this method is not allowed on this address".into(),
            )
        })
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { Json(doc.as_ref().clone()) }
            }),
        )
}
