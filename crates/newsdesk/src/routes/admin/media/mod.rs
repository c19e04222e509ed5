//! `/admin/media`: the picture library. Search, where each picture is used, its words edited
//! in one place, uploads (a file field, or dropped on the editor), and deleting a picture no
//! story shows.

mod change;
mod library;
mod upload;

use super::access::{Newsroom, NewsroomForm};
use super::frame::Frame;
use super::respond::{back_to, private};
use crate::http::error::AppError;
use crate::services::staff::Staff;
use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/media", get(library::show).post(upload::upload))
        .route("/admin/media/{name}", post(change::words))
        .route("/admin/media/{name}/delete", post(change::delete))
}

/// Pictures are the writers' tools: moderators and readers cannot change them.
fn picture_editor(staff: &Staff) -> Result<(), AppError> {
    if staff.user.role.writes_stories() {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "the {} role does not work with pictures",
            staff.user.role
        )))
    }
}
