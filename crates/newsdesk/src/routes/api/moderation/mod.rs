//! `/api/v1/moderation`: the moderators' queue, actions, bans and log, for bearer tokens of
//! moderators and admins.

mod act;
mod bans;
mod log;
mod queue;

use crate::http::auth::RequireActor;
use crate::http::error::AppError;
use crate::state::AppState;
use newsdesk_core::newsroom::Actor;
use newsdesk_core::Role;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(queue::moderation_queue))
        .routes(routes!(act::moderate))
        .routes(routes!(bans::list_bans, bans::add_ban))
        .routes(routes!(bans::lift_ban))
        .routes(routes!(log::moderation_log))
}

/// A moderator's or admin's token; other roles are refused.
pub fn moderator(RequireActor(actor): RequireActor) -> Result<Actor, AppError> {
    if matches!(actor.role, Role::Moderator | Role::Admin) {
        Ok(actor)
    } else {
        Err(AppError::Forbidden(format!(
            "moderation needs a moderator or admin token; this one is {}",
            actor.role
        )))
    }
}
