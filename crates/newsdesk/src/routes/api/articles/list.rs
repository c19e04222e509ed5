//! GET /api/v1/articles

use super::view::{ArticlePage, ArticleView};
use crate::http::auth::MaybeActor;
use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::Params;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use newsdesk_core::newsroom::author_slug;
use newsdesk_core::{ArticleFilter, ArticleStatus, FieldErrors, PageRequest};
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// A section slug.
    section: Option<String>,
    tag: Option<String>,
    /// An author's name or slug.
    author: Option<String>,
    /// draft, scheduled, published or unpublished; only newsroom tokens see other than published.
    #[param(value_type = Option<ArticleStatus>)]
    status: Option<String>,
    /// From 1 to 1,000,000.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1_000_000)]
    page: Option<String>,
    /// From 1 to 100; 20 when left out.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

fn number(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<&str>,
    default: i64,
    max: i64,
) -> i64 {
    match value {
        None => default,
        Some(v) => match v.parse::<i64>() {
            Ok(n) if (1..=max).contains(&n) => n,
            _ => {
                errors.add(field, format!("must be a whole number from 1 to {max}"));
                default
            }
        },
    }
}

/// Lists stories, newest first, with paging and filters.
#[utoipa::path(
    get, path = "/api/v1/articles", tag = "articles",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of stories", body = ArticlePage),
        (status = 401, description = "Bad token", body = ErrorBody),
        (status = 422, description = "Bad filter or paging value", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "list_articles", skip(state, actor))]
pub async fn list_articles(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    Params(q): Params<ListQuery>,
) -> Result<Json<ArticlePage>, AppError> {
    crate::http::extract::refuse_empty(&[
        ("status", &q.status),
        ("page", &q.page),
        ("per_page", &q.per_page),
    ])?;
    let mut errors = FieldErrors::default();
    let page = number(&mut errors, "page", q.page.as_deref(), 1, 1_000_000);
    let per_page = number(&mut errors, "per_page", q.per_page.as_deref(), 20, 100);
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some(s) => match ArticleStatus::parse(s) {
            Some(st) => Some(st),
            None => {
                errors.add(
                    "status",
                    "must be one of draft, scheduled, published, unpublished",
                );
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let sees_all = actor.as_ref().is_some_and(|a| a.role.sees_unpublished());
    let filter = ArticleFilter {
        section: q.section.filter(|s| !s.is_empty()),
        tag: q.tag.filter(|s| !s.is_empty()).map(|t| t.to_lowercase()),
        author: q.author.filter(|s| !s.is_empty()).map(|a| author_slug(&a)),
        status,
        live_only: !sees_all,
        ..Default::default()
    };
    let now = chrono::Utc::now();
    let list = state
        .store
        .list_articles(&filter, PageRequest::page(page, per_page), now)
        .await?;
    Ok(Json(ArticlePage {
        items: list
            .items
            .into_iter()
            .map(|a| ArticleView::new(&state, a, now))
            .collect(),
        total: list.total,
        page,
        per_page,
    }))
}
