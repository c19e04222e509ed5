//! GET /api/v1/articles/{slug}/debate

use super::QuestionView;
use crate::http::error::{AppError, ErrorBody};
use crate::http::extract::ApiPath;
use crate::services::debate::admission::live_article;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;

/// The story's debate questions with their poll tallies and answer counts, in order.
#[utoipa::path(
    get, path = "/api/v1/articles/{slug}/debate", tag = "debate",
    params(("slug" = String, Path)),
    responses(
        (status = 200, description = "The questions", body = [QuestionView]),
        (status = 404, description = "No such story", body = ErrorBody),
    )
)]
#[tracing::instrument(name = "debate", skip(state))]
pub async fn debate(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<Vec<QuestionView>>, AppError> {
    let article = live_article(&state, &slug).await?;
    let tallies = state.store.poll_tallies(article.id).await?;
    Ok(Json(
        article
            .debate
            .iter()
            .map(|q| {
                let t = tallies
                    .iter()
                    .find(|t| t.question_id.0 == q.id)
                    .copied()
                    .unwrap_or_default();
                QuestionView::new(q.id, &q.text, &t)
            })
            .collect(),
    ))
}
