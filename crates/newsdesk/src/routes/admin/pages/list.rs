//! The list of site pages, with a form to add one.

use super::super::access::{Newsroom, NewsroomForm};
use super::super::frame::Frame;
use super::super::respond::{back_to, private};
use super::{keeps_pages, page_keeper, slug_taken, PageForm};
use crate::http::error::AppError;
use crate::http::extract::Params;
use crate::render::layout::Layout;
use crate::services::audit;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use newsdesk_core::audit::AuditAction;
use newsdesk_core::pages::SitePage;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin/pages.html")]
struct PagesPage {
    layout: Layout,
    frame: Frame,
    pages: Vec<SitePage>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ListQuery {
    done: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    door: Newsroom,
    Params(q): Params<ListQuery>,
) -> Result<Response, AppError> {
    let staff = page_keeper(door)?;
    let pages = state.store.site_pages().await?;
    let (layout, frame) = Frame::new(&state, &staff, "Site pages", "pages", q.done).await?;
    Ok(private(PagesPage {
        layout,
        frame,
        pages,
    }))
}

pub async fn create(
    State(state): State<AppState>,
    NewsroomForm { staff, fields, .. }: NewsroomForm<PageForm>,
) -> Result<Response, AppError> {
    keeps_pages(&staff)?;
    let page = fields.fields();
    let errors = page.check();
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let id = state
        .store
        .create_site_page(&page, &staff.actor(), Utc::now())
        .await
        .map_err(slug_taken(&page.slug))?;
    state.changed_site();
    audit::record(
        &state,
        &staff.who(),
        AuditAction::PageSaved,
        &page.slug,
        "added",
    )
    .await;
    Ok(back_to(&format!("/admin/pages/{id}"), "Page added"))
}
