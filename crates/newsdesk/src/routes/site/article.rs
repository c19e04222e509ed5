//! The article page, with every part `docs/product.md#the-article-page` lists: its frame
//! (see `story_frame`), kept between renders, and its conversation, read each time.

use super::debate_view::{comments_section, polls, CommentForm, CommentsSection, PollView};
use super::story_frame::StoryFrame;
use crate::http::error::AppError;
// The body's template names its block kinds.
use crate::render::body::RenderedBlock;
use crate::render::page::html;
use crate::services::debate::thread_params::ThreadParams;
use crate::services::links::article_path;
use crate::services::page_keys::Keys;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use newsdesk_core::ArticleStatus;
use std::sync::Arc;

/// A story page: its frame, kept between renders, and its conversation, read each time. The
/// template reads the frame's fields through `Deref` as if they were the page's own.
#[derive(Template)]
#[template(path = "article.html")]
struct ArticlePage {
    frame: Arc<StoryFrame>,
    polls: Vec<PollView>,
    comments: CommentsSection,
    form: CommentForm,
    /// The conversation takes no more writes.
    closed: bool,
    stamp: &'static str,
    structured: crate::render::markdown::SafeHtml,
}

impl std::ops::Deref for ArticlePage {
    type Target = StoryFrame;

    fn deref(&self) -> &StoryFrame {
        &self.frame
    }
}

pub async fn article(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(params): Query<ThreadParams>,
) -> Result<Response, AppError> {
    let now = Utc::now();
    let key = format!("story {slug}");
    let parts = &state.pages.parts;
    let frame = match parts.get::<StoryFrame>(&key) {
        Some(frame) => frame,
        None => {
            let generation = parts.generation();
            let Some(a) = state.store.find_article(&slug).await? else {
                return Err(AppError::NotFound(
                    "There is no story at this address. It may have been removed.".into(),
                ));
            };
            live(&a, now)?;
            if a.slug != slug {
                return Ok(Redirect::permanent(&article_path(&a.slug)).into_response());
            }
            let frame = Arc::new(StoryFrame::load(&state, a, now).await?);
            parts.put(&key, generation, frame.clone());
            frame
        }
    };
    live(&frame.article, now)?;
    let a = &frame.article;
    let thread = params
        .query(a, state.config.comments_per_page)
        .map_err(AppError::BadRequest)?;
    let (comments, shown) = comments_section(&state, a, &thread).await?;
    let tallies = state.store.poll_tallies(a.id).await?;
    let form = CommentForm::new(&state, a, now);
    let mut keys = Keys::thread(a.id);
    keys.add("story", a.id.0)
        .add("related", a.id.0)
        .stories(frame.related.iter().map(|c| c.id));
    for slug in &frame.promo_slugs {
        keys.add("slug", slug);
    }
    let page = ArticlePage {
        structured: super::structured::article_data(&state, a, frame.image_url.as_deref(), &shown),
        polls: polls(a, &tallies),
        comments,
        closed: form.closed.is_some(),
        form,
        stamp: crate::services::readers::STAMP_PLACEHOLDER,
        frame: frame.clone(),
    };
    Ok(keys.on(html(page)))
}

/// A story readers may see now, or why not.
fn live(a: &newsdesk_core::Article, now: chrono::DateTime<Utc>) -> Result<(), AppError> {
    if a.is_live(now) {
        return Ok(());
    }
    if a.status == ArticleStatus::Unpublished {
        return Err(AppError::Gone(
            "This story has been withdrawn by the newsroom.".into(),
        ));
    }
    Err(AppError::NotFound(
        "There is no story at this address yet.".into(),
    ))
}
