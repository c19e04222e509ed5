//! `POST /news/{slug}/comments`: a new comment or reply from the story's form.

use super::super::debate_view::CommentForm;
use super::super::forms::{done, fresh_stamp, wants_json};
use super::{empty_section, CommentPage};
use crate::http::error::AppError;
use crate::http::extract::HtmlForm;
use crate::http::visitor::Visitor;
use crate::render::layout::Layout;
use crate::render::page::html;
use crate::services::debate::admission::{check_guard, gate, limit, live_article, Guard};
use crate::services::links::{article_path, comment_link, comment_path};
use crate::services::readers::STAMP_PLACEHOLDER;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use newsdesk_core::comment::{CommentDraft, CommentStatus};
use newsdesk_core::discussion::{DiscussionError, Participant};
use newsdesk_core::{Article, CommentId, FieldErrors};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CommentFields {
    pub name: String,
    pub body: String,
    pub email: String,
    pub notify: String,
    pub parent_id: String,
    pub question_id: String,
    #[serde(flatten)]
    pub guard: Guard,
}

impl CommentFields {
    /// The reader's draft, or the id fields that are not numbers.
    fn draft(&self) -> Result<CommentDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut id = |field: &str, v: &str| match v.trim() {
            "" => None,
            v => match v.parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.add(field, "must be a number");
                    None
                }
            },
        };
        let parent_id = id("parent_id", &self.parent_id);
        let question_id = id("question_id", &self.question_id);
        errors.into_result().map_err(|e| e.0)?;
        Ok(CommentDraft {
            name: self.name.clone(),
            body: self.body.clone(),
            email: Some(self.email.clone()),
            notify_replies: !self.notify.is_empty(),
            parent_id,
            question_id,
        })
    }
}

pub async fn post(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    visitor: Visitor,
    headers: HeaderMap,
    HtmlForm(fields): HtmlForm<CommentFields>,
) -> Result<Response, AppError> {
    let json = wants_json(&headers);
    let article = live_article(&state, &slug).await?;
    gate(&state, &headers, &visitor)?;
    let checked = check_guard(&state, &fields.guard, &visitor)
        .map_err(|e| match e {
            AppError::Invalid(f) => f,
            _ => FieldErrors::default(),
        })
        .and_then(|()| fields.draft());
    let draft = match checked.and_then(|d| {
        let errors = d.check(state.debate().max_chars);
        if errors.is_empty() {
            Ok(d)
        } else {
            Err(errors)
        }
    }) {
        Ok(d) => d,
        Err(errors) => return Ok(form_again(&state, &article, &fields, errors, json).await),
    };
    // Counted only now, so a reader correcting a refused comment is not slowed down.
    if let Err(e) = limit(&state, &visitor) {
        if json {
            return Err(e);
        }
        let mut errors = FieldErrors::default();
        errors.add("form", e.public_message());
        let mut response = form_again(&state, &article, &fields, errors, false).await;
        *response.status_mut() = e.status();
        e.add_retry_after(&mut response);
        return Ok(response);
    }
    let (reader, cookie) = visitor.reader_or_new(&state.readers);
    let who = Participant {
        reader: reader.clone(),
        ip: visitor.ip.clone(),
    };
    let now = Utc::now();
    match state
        .debate()
        .post(
            state.store.as_ref(),
            &article,
            &draft,
            &who,
            now,
            &state.standing.get(),
        )
        .await
    {
        Ok(c) => {
            state.changed_thread(&article);
            crate::services::mail::comment_posted(&state, &article, &c).await;
            let to = if c.status == CommentStatus::Published {
                comment_link(&state, &article, &c).await?
            } else {
                comment_path(&article.slug, c.id)
            };
            let payload = serde_json::json!({
                "id": c.id,
                "status": if c.status == CommentStatus::Published { "published" } else { "held" },
                "url": to,
                "stamp": fresh_stamp(&state, &reader),
            });
            Ok(done(json, StatusCode::CREATED, &to, payload, cookie))
        }
        Err(DiscussionError::Invalid(errors)) => {
            Ok(form_again(&state, &article, &fields, errors, json).await)
        }
        Err(e) => Err(e.into()),
    }
}

/// The form again, with everything the reader typed and what needs fixing (422).
async fn form_again(
    state: &AppState,
    article: &Article,
    fields: &CommentFields,
    errors: FieldErrors,
    json: bool,
) -> Response {
    if json {
        return AppError::Invalid(errors).into_response();
    }
    let now = Utc::now();
    let layout = match Layout::load(state, &article.section, now).await {
        Ok(l) => l,
        Err(e) => return AppError::from(e).into_response(),
    };
    let parent_id = fields.parent_id.trim().parse::<i64>().ok();
    let parent_name = match parent_id {
        Some(id) => state
            .store
            .find_comment(CommentId(id))
            .await
            .ok()
            .flatten()
            .filter(|c| c.article_id == article.id)
            .map(|c| c.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let mut form = CommentForm::new(state, article, now).with_errors(&errors);
    form.name = fields.name.clone();
    form.body = fields.body.clone();
    form.email = fields.email.clone();
    form.notify = !fields.notify.is_empty();
    form.parent_id = parent_id.filter(|_| !parent_name.is_empty());
    form.parent_name = parent_name;
    form.question_id = fields.question_id.trim().parse().ok();
    let base_path = article_path(&article.slug);
    let page = CommentPage {
        layout,
        heading: "Please check your comment".into(),
        story_url: base_path.clone(),
        story_headline: article.headline.clone(),
        notice: None,
        comments: empty_section(&base_path),
        own: None,
        show_form: true,
        base_path,
        closed: form.closed.is_some(),
        stamp: STAMP_PLACEHOLDER,
        form,
    };
    (StatusCode::UNPROCESSABLE_ENTITY, html(page)).into_response()
}
