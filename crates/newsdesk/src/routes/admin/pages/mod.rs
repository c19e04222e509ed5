//! `/admin/pages`: the site's own pages (About, Contact, Privacy…) at `/{slug}`, written by
//! editors and admins: listed, added, changed and deleted, each change in the audit log.

mod edit;
mod list;

use super::access::Newsroom;
use crate::http::error::AppError;
use crate::services::staff::Staff;
use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;
use newsdesk_core::pages::PageFields;
use newsdesk_core::Role;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/pages", get(list::show).post(list::create))
        .route("/admin/pages/{id}", get(edit::show).post(edit::save))
        .route("/admin/pages/{id}/delete", post(edit::delete))
}

/// Site pages speak for the whole site: editors and admins keep them.
fn page_keeper(door: Newsroom) -> Result<Staff, AppError> {
    let staff = door.0;
    keeps_pages(&staff)?;
    Ok(staff)
}

fn keeps_pages(staff: &Staff) -> Result<(), AppError> {
    if staff.user.role.covers(Role::Editor) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "the {} role does not keep the site's pages",
            staff.user.role
        )))
    }
}

/// A store error in words for the page form: a slug in use names the field.
fn slug_taken(slug: &str) -> impl FnOnce(newsdesk_core::StoreError) -> AppError + '_ {
    move |e| match e {
        newsdesk_core::StoreError::Conflict(newsdesk_core::Conflict::Slug(_)) => {
            AppError::invalid("slug", format!("{slug} is another page's address"))
        }
        other => other.into(),
    }
}

/// The page form as sent; unticked boxes are absent.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PageForm {
    #[serde(rename = "csrf")]
    _csrf: String,
    slug: String,
    title: String,
    body: String,
    published: Option<String>,
    in_footer: Option<String>,
    position: i64,
}

impl PageForm {
    fn fields(&self) -> PageFields {
        PageFields {
            slug: self.slug.trim().to_string(),
            title: self.title.trim().to_string(),
            body: self.body.replace("\r\n", "\n"),
            published: self.published.is_some(),
            in_footer: self.in_footer.is_some(),
            position: self.position,
        }
    }
}
