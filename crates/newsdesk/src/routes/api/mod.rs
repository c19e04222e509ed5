//! The JSON API under `/api/v1/`, and its OpenAPI document generated from the handlers.

pub mod articles;
pub mod json;
pub mod media;

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
    tags((name = "articles", description = "Stories"), (name = "media", description = "Stored pictures"))
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

pub fn router() -> Router<AppState> {
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(articles::router())
        .merge(media::router())
        .split_for_parts();
    let doc = std::sync::Arc::new(doc);
    router
        .method_not_allowed_fallback(|| async {
            crate::error::AppError::MethodNotAllowed(
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
