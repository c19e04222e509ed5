//! `GET /admin/account` and `POST /admin/account/profile`.

use super::{back_to, private, Frame, Newsroom, NewsroomForm};
use crate::http::error::AppError;
use crate::http::extract::Params;
use crate::render::layout::Layout;
use crate::services::audit;
use crate::services::staff::Staff;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Utc};
use newsdesk_core::audit::AuditAction;
use newsdesk_core::newsroom::author_slug;
use newsdesk_core::people::{AuthorProfile, SessionInfo, StaffAccount, TokenInfo};
use newsdesk_core::{FieldErrors, Role};
use serde::Deserialize;

/// A two-factor secret being set up: shown to scan, then confirmed with a code.
pub struct Enrolment {
    pub secret: String,
    /// Binds the secret to this session (see `two_factor::seal`).
    pub seal: String,
    pub url: Option<String>,
    pub qr_base64: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/account.html")]
pub struct AccountPage {
    pub layout: Layout,
    pub frame: Frame,
    pub account: StaffAccount,
    pub sessions: Vec<SessionInfo>,
    pub this_session: String,
    pub tokens: Vec<TokenInfo>,
    pub token_roles: Vec<Role>,
    /// A token just made: shown this once.
    pub new_token: Option<String>,
    pub enrolment: Option<Enrolment>,
    pub now: DateTime<Utc>,
}

impl AccountPage {
    fn day(t: &Option<DateTime<Utc>>) -> String {
        t.map_or("never".into(), |t| t.format("%-d %b %Y %H:%M").to_string())
    }

    fn when(t: &DateTime<Utc>) -> String {
        t.format("%-d %b %Y %H:%M UTC").to_string()
    }

    /// The page for `staff`, with a notice.
    pub async fn load(
        state: &AppState,
        staff: &Staff,
        notice: Option<String>,
    ) -> Result<AccountPage, AppError> {
        let now = Utc::now();
        let account = state
            .store
            .staff_account(staff.user.id)
            .await?
            .ok_or_else(|| AppError::NotFound("your account is gone".into()))?;
        let sessions = state.store.sessions_of(staff.user.id, now).await?;
        let tokens = state.store.tokens(Some(staff.user.id)).await?;
        let (layout, frame) = Frame::new(state, staff, "Your account", "account", notice).await?;
        Ok(AccountPage {
            layout,
            frame,
            account,
            sessions,
            this_session: staff.session_hash().chars().take(16).collect(),
            tokens,
            token_roles: Role::ALL
                .into_iter()
                .filter(|r| staff.user.role.covers(*r))
                .collect(),
            new_token: None,
            enrolment: None,
            now,
        })
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccountQuery {
    done: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    Newsroom(staff): Newsroom,
    Params(q): Params<AccountQuery>,
) -> Result<Response, AppError> {
    Ok(private(AccountPage::load(&state, &staff, q.done).await?))
}

/// A profile may carry a byline only if no other account has it, and (but for admins) no
/// story carries it yet or one of the person's own stories does: no one puts their words and
/// picture on another writer's author page.
async fn byline_is_theirs(state: &AppState, staff: &Staff, slug: &str) -> Result<(), AppError> {
    if slug.is_empty() {
        return Ok(());
    }
    let taken = state.store.staff_accounts().await?.into_iter().any(|a| {
        a.user.id != staff.user.id
            && !a.profile.name.is_empty()
            && author_slug(&a.profile.name) == slug
    });
    if taken {
        return Err(AppError::invalid("name", "is another account's byline"));
    }
    if staff.user.role == Role::Admin {
        return Ok(());
    }
    let now = Utc::now();
    let page = newsdesk_core::PageRequest::page(1, 1);
    // Only stories readers can see count: a draft of one's own with another's byline does not.
    let anyone = newsdesk_core::ArticleFilter {
        author: Some(slug.to_string()),
        live_only: true,
        ..Default::default()
    };
    if state.store.list_articles(&anyone, page, now).await?.total == 0 {
        return Ok(());
    }
    let own = newsdesk_core::ArticleFilter {
        owner: Some(staff.actor()),
        ..anyone
    };
    if state.store.list_articles(&own, page, now).await?.total > 0 {
        Ok(())
    } else {
        Err(AppError::invalid(
            "name",
            "is the byline of stories you did not write; ask an admin to set it",
        ))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    name: String,
    bio: String,
    picture: String,
}

pub async fn profile(
    State(state): State<AppState>,
    NewsroomForm { staff, fields, .. }: NewsroomForm<ProfileForm>,
) -> Result<Response, AppError> {
    let mut e = FieldErrors::default();
    let name = fields.name.trim();
    if name.chars().count() > 100 || name.contains(char::is_control) {
        e.add("name", "must be one line of at most 100 characters");
    }
    if fields.bio.chars().count() > 600 {
        e.add("bio", "must be at most 600 characters");
    }
    let picture = fields.picture.trim();
    let on_site = picture.starts_with('/') && !picture.starts_with("//");
    if !(picture.is_empty() || on_site || picture.starts_with("https://")) {
        e.add("picture", "must be a path on this site or an https address");
    }
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    let profile = AuthorProfile {
        name: name.to_string(),
        bio: fields.bio.trim().to_string(),
        picture: picture.to_string(),
    };
    let slug = if name.is_empty() {
        String::new()
    } else {
        author_slug(name)
    };
    byline_is_theirs(&state, &staff, &slug).await?;
    state
        .store
        .set_profile(staff.user.id, &profile, &slug)
        .await
        .map_err(|e| match e {
            newsdesk_core::StoreError::Conflict(_) => {
                AppError::invalid("name", "is another account's byline")
            }
            other => other.into(),
        })?;
    state.changed_site();
    audit::record(
        &state,
        &staff.who(),
        AuditAction::AccountProfileChanged,
        &staff.user.email,
        name,
    )
    .await;
    Ok(back_to("/admin/account", "Profile saved"))
}
