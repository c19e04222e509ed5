//! The newsroom's stories in the browser: the list at `/admin/stories`, and the editor at
//! `/admin/stories/new` and `/admin/stories/{slug}` with its server-rendered preview.

mod edit;
mod form;
mod hero_upload;
mod history;
mod list;
mod save;

pub use super::access::{Newsroom, NewsroomForm};
use super::frame::Frame;
use crate::render::body::{render_body, ClaimView, RenderedBlock};
use crate::render::layout::Layout;
pub use crate::services::links::newsroom_story_path as story_address;
use crate::state::AppState;
use askama::Template;
use axum::routing::get;
use axum::Router;
use form::{statuses_for, ClaimRow, StoryForm};
use newsdesk_core::{Article, ArticleId, ArticleInput, FieldErrors, Role};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/stories", get(list::show).post(save::create))
        .route("/admin/stories/new", get(edit::new))
        .route("/admin/preview", axum::routing::post(save::live_preview))
        .route(
            "/admin/stories/{slug}",
            get(edit::existing).post(save::save),
        )
        .route("/admin/stories/{slug}/history", get(history::show))
        .route(
            "/admin/stories/{slug}/editing",
            axum::routing::post(edit::still_editing),
        )
        .route(
            "/admin/stories/{slug}/delete",
            axum::routing::post(history::delete),
        )
        .route(
            "/admin/stories/{slug}/history/{n}/restore",
            axum::routing::post(history::restore),
        )
}

/// The story a newsroom address names, or 404.
pub async fn story(state: &AppState, slug: &str) -> Result<Article, crate::http::error::AppError> {
    state
        .store
        .find_article(slug)
        .await?
        .ok_or_else(|| crate::http::error::AppError::NotFound("no story has that slug".into()))
}

/// The preview alone, for the editor's script to show beside the text as it is typed, with
/// what would stop the story from saving (a claim whose words are not in the body, say).
#[derive(Template)]
#[template(path = "admin/preview.html")]
pub struct PreviewFragment {
    pub blocks: Vec<RenderedBlock>,
    pub claims: Vec<ClaimView>,
    pub problems: Vec<(String, String)>,
}

/// The story as the public page would show its body, for the preview.
pub struct Preview {
    pub blocks: Vec<RenderedBlock>,
    pub claims: Vec<ClaimView>,
}

#[derive(Template)]
#[template(path = "admin/story.html")]
pub struct EditorPage {
    pub layout: Layout,
    pub frame: Frame,
    /// Where the form posts: the story's address, or the list's for a new story.
    pub action: String,
    pub form: StoryForm,
    pub claims: Vec<ClaimRow>,
    pub statuses: Vec<&'static str>,
    /// Problems to show beside their fields: (field, message).
    pub errors: Vec<(String, String)>,
    pub preview: Option<Preview>,
    /// The public page, for a story readers can see; its changes go in the public log.
    pub public_url: Option<String>,
    /// Other newsroom members with the story open in the editor now, and since when.
    pub others: Vec<(String, String)>,
}

impl EditorPage {
    /// The problems of a field, its items (`tags[2]`) and parts (`hero.url` under `hero`).
    pub fn error_for(&self, field: &str) -> String {
        self.errors
            .iter()
            .filter(|(f, _)| {
                f == field
                    || f.strip_prefix(field)
                        .is_some_and(|rest| rest.starts_with('[') || rest.starts_with('.'))
            })
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The error of one claim row's field (`claims[n].quote` belongs to the row typed in).
    pub fn claim_error(&self, row: &usize, field: &str) -> String {
        let mut out = Vec::new();
        for (name, message) in &self.errors {
            let Some(rest) = name.strip_prefix("claims[") else {
                continue;
            };
            let Some((n, tail)) = rest.split_once(']') else {
                continue;
            };
            let at_row = n.parse().ok().and_then(|p| self.form.claim_row_of(p));
            let of_field = tail.is_empty() && field == "quote"
                || tail.strip_prefix('.') == Some(field)
                || tail.starts_with(&format!(".{field}."));
            if at_row == Some(*row) && of_field {
                out.push(message.as_str());
            }
        }
        out.join("; ")
    }

    pub fn is_status(&self, s: &&str) -> bool {
        self.form.status == *s
    }
}

/// Builds the editor page around a form; errors, a preview and the public address are added
/// by the callers that have them.
pub async fn editor(
    state: &AppState,
    staff: &crate::services::staff::Staff,
    heading: &str,
    action: String,
    form: StoryForm,
) -> Result<EditorPage, crate::http::error::AppError> {
    let (layout, frame) = Frame::new(state, staff, heading, "stories", None).await?;
    let role: Role = staff.user.role;
    Ok(EditorPage {
        layout,
        frame,
        action,
        claims: form.claim_rows(),
        statuses: statuses_for(role),
        errors: Vec::new(),
        form,
        preview: None,
        public_url: None,
        others: Vec::new(),
    })
}

impl EditorPage {
    pub fn previewing(mut self, preview: Preview) -> Self {
        self.preview = Some(preview);
        self
    }

    pub fn public_at(mut self, url: Option<String>) -> Self {
        self.public_url = url;
        self
    }

    /// Each claim row's history of statuses: who set which, when.
    pub fn with_claim_histories(
        mut self,
        histories: &[(String, Vec<newsdesk_core::revision::StatusChange>)],
    ) -> Self {
        for row in &mut self.claims {
            if let Some((_, changes)) = histories.iter().find(|(q, _)| *q == row.quote) {
                row.history = changes
                    .iter()
                    .map(|c| {
                        format!(
                            "{} by {} on {}",
                            c.status.as_str(),
                            c.by.trim_start_matches("user:"),
                            c.at.format("%-d %B %Y, %H:%M UTC")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; then ");
            }
        }
        self
    }

    /// The page with each problem to show beside its field.
    pub fn with_errors(mut self, errors: &FieldErrors) -> Self {
        self.errors = errors
            .0
            .iter()
            .flat_map(|(f, msgs)| msgs.iter().map(move |m| (f.clone(), m.clone())))
            .collect();
        self
    }
}

/// The body as the public page renders it, from what was typed: the same sanitizer, claims
/// and promos (with their targets' current headlines) as readers will see.
pub async fn preview(
    state: &AppState,
    input: &ArticleInput,
) -> Result<Preview, crate::http::error::AppError> {
    let now = chrono::Utc::now();
    let body = input.body.clone().unwrap_or_default();
    let article = Article {
        id: ArticleId(0),
        slug: String::new(),
        status: newsdesk_core::ArticleStatus::Draft,
        published_at: None,
        created_at: now,
        updated_at: now,
        revision: 0,
        updated_by: String::new(),
        headline: input.headline.clone().unwrap_or_default(),
        standfirst: String::new(),
        body: body.clone(),
        section: String::new(),
        tags: Vec::new(),
        authors: Vec::new(),
        hero: None,
        claims: input.claims.clone().unwrap_or_default(),
        debate: Vec::new(),
        corrections: Vec::new(),
        comment_count: 0,
    };
    if body.len() > newsdesk_core::input::MAX_BODY {
        return Err(crate::http::error::AppError::invalid(
            "body",
            format!(
                "must be at most {} characters",
                newsdesk_core::input::MAX_BODY
            ),
        ));
    }
    // Each promo target is looked up once, and a body can name only so many.
    let mut slugs: Vec<String> = newsdesk_core::body::promos(&body)
        .into_iter()
        .map(|p| p.slug)
        .collect();
    slugs.sort();
    slugs.dedup();
    slugs.truncate(100);
    let targets = state.store.promo_targets(&slugs, now).await?;
    let (blocks, claims) = render_body(&article, &targets);
    Ok(Preview { blocks, claims })
}
