//! `GET /admin/stories`: every story, most recently changed first, with filters by status,
//! section, author and tag, a search by words, and pages; each row says who changed it last.

use super::super::frame::Frame;
use super::super::respond::private;
use super::Newsroom;
use crate::http::error::AppError;
use crate::http::extract::Params;
use crate::render::cards::DateLabel;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use newsdesk_core::newsroom::author_slug;
use newsdesk_core::{ArticleFilter, ArticleStatus, PageRequest};
use serde::Deserialize;

const PER_PAGE: i64 = 25;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    status: String,
    section: String,
    author: String,
    tag: String,
    q: String,
    page: String,
    /// What happened, after an action that led back here.
    done: String,
}

pub struct Row {
    pub slug: String,
    pub headline: String,
    pub status: &'static str,
    pub section: String,
    pub changed: DateLabel,
    pub changed_by: String,
}

#[derive(Template)]
#[template(path = "admin/stories.html")]
struct ListPage {
    layout: crate::render::layout::Layout,
    frame: Frame,
    q: ListQuery,
    statuses: [&'static str; 5],
    rows: Vec<Row>,
    total: i64,
    page: i64,
    prev: Option<String>,
    next: Option<String>,
}

impl ListPage {
    fn is_status(&self, s: &&str) -> bool {
        self.q.status == *s
    }
}

pub async fn show(
    State(state): State<AppState>,
    Newsroom(staff): Newsroom,
    Params(q): Params<ListQuery>,
) -> Result<Response, AppError> {
    super::edit::writer(&staff)?;
    let status = match q.status.as_str() {
        "" => None,
        s => Some(
            ArticleStatus::parse(s)
                .ok_or_else(|| AppError::invalid("status", "must be one of the listed statuses"))?,
        ),
    };
    let page: i64 = q.page.parse().ok().filter(|p| *p >= 1).unwrap_or(1);
    let some = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
    let filter = ArticleFilter {
        status,
        section: some(&q.section),
        author: some(&q.author).map(|a| author_slug(&a)),
        tag: some(&q.tag).map(|t| t.to_lowercase()),
        words: some(&q.q),
        by_change: true,
        ..Default::default()
    };
    let now = chrono::Utc::now();
    let list = state
        .store
        .list_articles(&filter, PageRequest::page(page, PER_PAGE), now)
        .await?;
    let link = |p: i64| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("status", &q.status),
            ("section", &q.section),
            ("author", &q.author),
            ("tag", &q.tag),
            ("q", &q.q),
        ] {
            if !v.is_empty() {
                query.append_pair(k, v);
            }
        }
        query.append_pair("page", &p.to_string());
        format!("/admin/stories?{}", query.finish())
    };
    let pages = (list.total + PER_PAGE - 1) / PER_PAGE;
    let notice = Some(q.done.clone()).filter(|d| !d.is_empty());
    let (layout, frame) = Frame::new(&state, &staff, "Stories", "stories", notice).await?;
    Ok(private(ListPage {
        layout,
        frame,
        statuses: ArticleStatus::ALL.map(ArticleStatus::as_str),
        rows: list
            .items
            .iter()
            .map(|a| Row {
                slug: a.slug.clone(),
                headline: a.headline.clone(),
                status: a.effective_status(now).as_str(),
                section: a.section.clone(),
                changed: DateLabel::long(a.updated_at),
                changed_by: a.updated_by.trim_start_matches("user:").to_string(),
            })
            .collect(),
        total: list.total,
        page,
        prev: (page > 1).then(|| link(page - 1)),
        next: (page < pages).then(|| link(page + 1)),
        q,
    }))
}
