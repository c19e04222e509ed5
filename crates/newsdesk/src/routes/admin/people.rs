//! `/admin/people`: an admin invites staff (an email with a one-time link), changes roles,
//! deactivates and reactivates accounts, and sees and revokes every API token.

use super::access::{Admin, AdminForm};
use super::frame::Frame;
use super::respond::{back_to, private};
use crate::http::error::AppError;
use crate::http::extract::Params;
use crate::render::layout::Layout;
use crate::services::audit;
use crate::services::people;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Utc;
use newsdesk_core::audit::AuditAction;
use newsdesk_core::people::{StaffAccount, TokenInfo};
use newsdesk_core::{Role, UserId};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PeopleQuery {
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/people.html")]
struct PeoplePage {
    layout: Layout,
    frame: Frame,
    people: Vec<StaffAccount>,
    tokens: Vec<TokenInfo>,
    roles: [Role; 6],
    me: UserId,
    now: chrono::DateTime<Utc>,
}

impl PeoplePage {
    fn day(t: &Option<chrono::DateTime<Utc>>) -> String {
        t.map_or("never".into(), |t| t.format("%-d %b %Y %H:%M").to_string())
    }
}

pub async fn show(
    State(state): State<AppState>,
    Admin(staff): Admin,
    Params(q): Params<PeopleQuery>,
) -> Result<Response, AppError> {
    let people = state.store.staff_accounts().await?;
    let tokens = state.store.tokens(None).await?;
    let (layout, frame) = Frame::new(&state, &staff, "People", "people", q.done).await?;
    Ok(private(PeoplePage {
        layout,
        frame,
        people,
        tokens,
        roles: Role::ALL,
        me: staff.user.id,
        now: Utc::now(),
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InviteForm {
    email: String,
    role: String,
}

fn role_of(field: &str, value: &str) -> Result<Role, AppError> {
    value
        .parse()
        .map_err(|e: String| AppError::invalid(field, e))
}

pub async fn invite(
    State(state): State<AppState>,
    AdminForm { staff, fields, .. }: AdminForm<InviteForm>,
) -> Result<Response, AppError> {
    let role = role_of("role", &fields.role)?;
    let user = people::invite(&state, &staff.who(), &fields.email, role).await?;
    Ok(back_to(
        "/admin/people",
        &format!("Invitation sent to {}", user.email),
    ))
}

async fn account(state: &AppState, id: i64) -> Result<StaffAccount, AppError> {
    state
        .store
        .staff_account(UserId(id))
        .await?
        .ok_or_else(|| AppError::NotFound("no account has that id".into()))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RoleForm {
    role: String,
}

pub async fn set_role(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    AdminForm { staff, fields, .. }: AdminForm<RoleForm>,
) -> Result<Response, AppError> {
    let role = role_of("role", &fields.role)?;
    let a = account(&state, id).await?;
    if a.user.id == staff.user.id && role != Role::Admin {
        return Err(AppError::invalid(
            "role",
            "an admin cannot take their own admin role away; ask another admin",
        ));
    }
    state.store.set_role(a.user.id, role).await?;
    let detail = format!("{} → {role}", a.user.role);
    audit::record(
        &state,
        &staff.who(),
        AuditAction::AccountRoleChanged,
        &a.user.email,
        &detail,
    )
    .await;
    Ok(back_to(
        "/admin/people",
        &format!("{} is now {role}", a.user.email),
    ))
}

pub async fn deactivate(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    AdminForm { staff, .. }: AdminForm<super::Csrf>,
) -> Result<Response, AppError> {
    let a = account(&state, id).await?;
    if a.user.id == staff.user.id {
        return Err(AppError::invalid(
            "account",
            "an admin cannot deactivate their own account",
        ));
    }
    state.store.deactivate(a.user.id, Utc::now()).await?;
    audit::record(
        &state,
        &staff.who(),
        AuditAction::AccountDeactivated,
        &a.user.email,
        "sessions ended, tokens revoked",
    )
    .await;
    Ok(back_to(
        "/admin/people",
        &format!("{} deactivated", a.user.email),
    ))
}

pub async fn reactivate(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    AdminForm { staff, .. }: AdminForm<super::Csrf>,
) -> Result<Response, AppError> {
    let a = account(&state, id).await?;
    state.store.reactivate(a.user.id).await?;
    audit::record(
        &state,
        &staff.who(),
        AuditAction::AccountReactivated,
        &a.user.email,
        "",
    )
    .await;
    Ok(back_to(
        "/admin/people",
        &format!("{} reactivated", a.user.email),
    ))
}

pub async fn resend(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    AdminForm { staff, .. }: AdminForm<super::Csrf>,
) -> Result<Response, AppError> {
    let a = account(&state, id).await?;
    if !a.active {
        return Err(AppError::invalid("account", "reactivate the account first"));
    }
    if a.has_password {
        return Err(AppError::invalid(
            "account",
            "this account has a password already; its owner changes it on their account page",
        ));
    }
    people::send_link(&state, a.user.id, &a.user.email).await?;
    audit::record(
        &state,
        &staff.who(),
        AuditAction::AccountInvited,
        &a.user.email,
        "a new link to set the password",
    )
    .await;
    Ok(back_to(
        "/admin/people",
        &format!("A new link was sent to {}", a.user.email),
    ))
}

pub async fn revoke_token(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    AdminForm { staff, .. }: AdminForm<super::Csrf>,
) -> Result<Response, AppError> {
    if !state.store.revoke_token(id, None, Utc::now()).await? {
        return Err(AppError::NotFound("no live token has that id".into()));
    }
    audit::record(
        &state,
        &staff.who(),
        AuditAction::TokenRevoked,
        &format!("token:{id}"),
        "",
    )
    .await;
    Ok(back_to("/admin/people", &format!("Token {id} revoked")))
}
