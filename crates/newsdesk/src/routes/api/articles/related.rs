//! GET /api/v1/articles/{slug}/related

use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::ApiPath;
use crate::http::extract::Params;
use crate::render::format::excerpt;
use crate::services::debate::admission::live_article;
use crate::services::links::article_path;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use newsdesk_core::body::plain_text;
use newsdesk_core::Hero;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RelatedQuery {
    /// From 1 to 20; 5 when left out.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 20)]
    limit: Option<String>,
}

/// A related story as lists show it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RelatedStory {
    pub slug: String,
    pub url: String,
    pub headline: String,
    /// The standfirst (or the body's start) cut at a word boundary, with an ellipsis when cut.
    pub excerpt: String,
    pub image: Option<Hero>,
    pub section: String,
    pub published_at: Option<DateTime<Utc>>,
}

/// The published stories most like this one by content (headline, standfirst, body, tags),
/// best first, the more recent first among equally related ones; never the story itself.
#[utoipa::path(
    get, path = "/api/v1/articles/{slug}/related", tag = "articles",
    params(("slug" = String, Path), RelatedQuery),
    responses(
        (status = 200, description = "Related stories, best first", body = [RelatedStory]),
        (status = 404, description = "No such published story", body = ErrorBody),
        (status = 422, description = "Bad limit", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "related_articles", skip(state, q))]
pub async fn related_articles(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    Params(q): Params<RelatedQuery>,
) -> Result<Json<Vec<RelatedStory>>, AppError> {
    crate::http::extract::refuse_empty(&[("limit", &q.limit)])?;
    let limit = match q.limit.as_deref() {
        None => 5,
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=20).contains(n))
            .ok_or_else(|| AppError::invalid("limit", "must be a whole number from 1 to 20"))?,
    };
    let article = live_article(&state, &slug).await?;
    let now = Utc::now();
    let found = crate::services::related::related(&state, &article, limit, now).await?;
    Ok(Json(
        found
            .into_iter()
            .map(|a| {
                let text = if a.standfirst.is_empty() {
                    plain_text(&a.body)
                } else {
                    a.standfirst.clone()
                };
                RelatedStory {
                    url: state.absolute(&article_path(&a.slug)),
                    excerpt: excerpt(&text, 180),
                    slug: a.slug,
                    headline: a.headline,
                    image: a.hero,
                    section: a.section,
                    published_at: a.published_at,
                }
            })
            .collect(),
    ))
}
