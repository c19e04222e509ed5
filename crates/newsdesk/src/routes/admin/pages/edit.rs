//! One site page: its form, saving it, and deleting it (with a ticked box).

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
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Utc;
use newsdesk_core::audit::AuditAction;
use newsdesk_core::pages::SitePage;
use newsdesk_core::PageId;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin/page_edit.html")]
struct PageEdit {
    layout: Layout,
    frame: Frame,
    page: SitePage,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EditQuery {
    done: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeleteForm {
    #[serde(rename = "csrf")]
    _csrf: String,
    confirm: Option<String>,
}

async fn find(state: &AppState, id: &str) -> Result<SitePage, AppError> {
    let missing = || AppError::NotFound("there is no such page".into());
    let id = id.parse::<i64>().map_err(|_| missing())?;
    state
        .store
        .site_page_by_id(PageId(id))
        .await?
        .ok_or_else(missing)
}

pub async fn show(
    State(state): State<AppState>,
    door: Newsroom,
    Path(id): Path<String>,
    Params(q): Params<EditQuery>,
) -> Result<Response, AppError> {
    let staff = page_keeper(door)?;
    let page = find(&state, &id).await?;
    let heading = format!("Page: {}", page.title);
    let (layout, frame) = Frame::new(&state, &staff, &heading, "pages", q.done).await?;
    Ok(private(PageEdit {
        layout,
        frame,
        page,
    }))
}

pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    NewsroomForm { staff, fields, .. }: NewsroomForm<PageForm>,
) -> Result<Response, AppError> {
    keeps_pages(&staff)?;
    let old = find(&state, &id).await?;
    let page = fields.fields();
    let errors = page.check();
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    state
        .store
        .update_site_page(old.id, &page, &staff.actor(), Utc::now())
        .await
        .map_err(slug_taken(&page.slug))?;
    state.changed_site();
    let detail = if old.slug == page.slug {
        "changed".to_string()
    } else {
        format!("changed; moved from /{}", old.slug)
    };
    audit::record(
        &state,
        &staff.who(),
        AuditAction::PageSaved,
        &page.slug,
        &detail,
    )
    .await;
    Ok(back_to(&format!("/admin/pages/{}", old.id), "Page saved"))
}

pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    NewsroomForm { staff, fields, .. }: NewsroomForm<DeleteForm>,
) -> Result<Response, AppError> {
    keeps_pages(&staff)?;
    let page = find(&state, &id).await?;
    if fields.confirm.is_none() {
        return Err(AppError::invalid(
            "confirm",
            "tick the box to delete the page",
        ));
    }
    state.store.delete_site_page(page.id).await?;
    state.changed_site();
    audit::record(
        &state,
        &staff.who(),
        AuditAction::PageDeleted,
        &page.slug,
        &page.title,
    )
    .await;
    Ok(back_to("/admin/pages", "Page deleted"))
}
