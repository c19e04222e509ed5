//! Who may reach the newsroom's pages, as extractors: any member (`Newsroom`), moderators
//! (`Moderator`), and their forms, checked for origin and CSRF token before they are read.

use crate::http::error::AppError;
use crate::http::extract::{parse_form, ApiBytes};
use crate::http::multipart::FormFile;
use crate::http::staff::MaybeStaff;
use crate::services::staff::Staff;
use crate::state::AppState;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Redirect, Response};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::marker::PhantomData;

/// Why a page of the moderation is refused: not signed in (go to the login page, then
/// come back), or signed in with a role that cannot moderate.
pub enum NotAllowed {
    LogIn(String),
    Forbidden,
}

impl IntoResponse for NotAllowed {
    fn into_response(self) -> Response {
        match self {
            NotAllowed::LogIn(path) => Redirect::to(&format!(
                "/admin/login?next={}",
                percent_encoding::utf8_percent_encode(&path, percent_encoding::NON_ALPHANUMERIC)
            ))
            .into_response(),
            NotAllowed::Forbidden => AppError::Forbidden(
                "moderation is for moderators and admins; your role cannot reach it".into(),
            )
            .into_response(),
        }
    }
}

/// Any signed-in member of the newsroom; anyone else is sent to log in (and brought back).
/// A member of a role that must use two-factor sign-in, without it yet, reaches only their
/// account page (to set it up) until they do.
async fn two_factor_missing(
    state: &AppState,
    staff: &Staff,
    parts: &Parts,
) -> Result<bool, Response> {
    let required = state
        .settings
        .site()
        .two_factor_roles
        .contains(&staff.user.role);
    let path = parts.uri.path();
    // What a person needs to set it up, and nothing more: not even making an API token.
    let setting_up = path == "/admin/account"
        || [
            "/admin/account/two-factor",
            "/admin/account/password",
            "/admin/account/sessions/",
        ]
        .iter()
        .any(|p| path.starts_with(p));
    if !required || setting_up {
        return Ok(false);
    }
    let secret = state
        .store
        .totp_secret(staff.user.id)
        .await
        .map_err(|e| AppError::from(e).into_response())?;
    Ok(secret.is_none())
}

fn set_up_two_factor() -> Response {
    super::respond::back_to(
        "/admin/account",
        "Your role must sign in with a code from an authenticator app: set it up below first",
    )
}

pub struct Newsroom(pub Staff);

/// Lets in a signed-in member whose role `may_enter` allows (sent to set up two-factor
/// sign-in first where their role must use it); anyone else is sent to log in (and brought
/// back) or given `refused`.
async fn enter(
    parts: &mut Parts,
    state: &AppState,
    may_enter: fn(&Staff) -> bool,
    refused: fn() -> Response,
) -> Result<Staff, Response> {
    let staff = MaybeStaff::from_request_parts(parts, state)
        .await
        .map_err(IntoResponse::into_response)?;
    match staff.0 {
        Some(s) if may_enter(&s) => {
            if two_factor_missing(state, &s, parts).await? {
                return Err(set_up_two_factor());
            }
            Ok(s)
        }
        Some(_) => Err(refused()),
        None => Err(NotAllowed::LogIn(page_of(parts)).into_response()),
    }
}

impl FromRequestParts<AppState> for Newsroom {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let staff = enter(
            parts,
            state,
            |s| s.user.role != newsdesk_core::Role::Reader,
            || {
                AppError::Forbidden(
                    "the newsroom's pages are for its staff; a reader account cannot reach them"
                        .into(),
                )
                .into_response()
            },
        );
        staff.await.map(Newsroom)
    }
}

/// A signed-in moderator or admin; anyone else is sent to log in (and brought back to the
/// page they wanted) or refused.
pub struct Moderator(pub Staff);

impl FromRequestParts<AppState> for Moderator {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let staff = enter(
            parts,
            state,
            |s| s.user.moderates(),
            || NotAllowed::Forbidden.into_response(),
        );
        staff.await.map(Moderator)
    }
}

/// An admin: people, settings and the audit log are theirs alone.
pub struct Admin(pub Staff);

impl FromRequestParts<AppState> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let staff = enter(
            parts,
            state,
            |s| s.user.role == newsdesk_core::Role::Admin,
            || {
                AppError::Forbidden(
                    "people, settings and the audit log are for admins; your role cannot reach them"
                        .into(),
                )
                .into_response()
            },
        );
        staff.await.map(Admin)
    }
}

/// The page to come back to after logging in: the page asked for, or for a form the page
/// it was sent from.
fn page_of(parts: &Parts) -> String {
    let path = parts.uri.path();
    if parts.method == Method::GET {
        return parts
            .uri
            .path_and_query()
            .map_or(path, |p| p.as_str())
            .to_string();
    }
    // A form's page: a story's forms are its editor's; the new story form is the list's.
    if let Some(rest) = path.strip_prefix("/admin/stories/") {
        let slug = rest.split('/').next().unwrap_or_default();
        return crate::services::links::newsroom_story_path(slug);
    }
    let page = if path.starts_with("/admin/moderation/bans") {
        "/admin/moderation/bans"
    } else if path.starts_with("/admin/moderation/proposals") || path == "/admin/moderation/modes" {
        "/admin/moderation/debate"
    } else if path.starts_with("/admin/moderation") {
        "/admin/moderation"
    } else if path == "/admin/stories" {
        "/admin/stories/new"
    } else {
        crate::services::links::NEWSROOM_HOME
    };
    page.to_string()
}

/// The fields every newsroom form carries: the session's CSRF token.
#[derive(Debug, Default, Deserialize)]
pub struct Csrf {
    #[serde(default)]
    pub csrf: String,
}

/// A door to the newsroom's pages: an extractor that answers the signed-in member it lets in.
pub trait Door: FromRequestParts<AppState, Rejection = Response> + Send {
    fn staff(self) -> Staff;
}

impl Door for Moderator {
    fn staff(self) -> Staff {
        self.0
    }
}

impl Door for Admin {
    fn staff(self) -> Staff {
        self.0
    }
}

pub type AdminForm<T> = SignedForm<Admin, T>;

impl Door for Newsroom {
    fn staff(self) -> Staff {
        self.0
    }
}

/// A newsroom form: from a member the door `D` lets in, sent from our own pages with the
/// session's token, all checked before its fields are read (so a forged form learns nothing).
pub struct SignedForm<D, T> {
    pub staff: Staff,
    pub fields: T,
    /// Files sent with a `multipart/form-data` form (none with an ordinary one).
    pub files: Vec<FormFile>,
    door: PhantomData<D>,
}

/// A moderation form.
pub type ModeratorForm<T> = SignedForm<Moderator, T>;
/// A form of any newsroom member.
pub type NewsroomForm<T> = SignedForm<Newsroom, T>;

impl<D: Door, T: DeserializeOwned + Send> FromRequest<AppState> for SignedForm<D, T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let staff = D::from_request_parts(&mut parts, state).await?.staff();
        let headers = parts.headers.clone();
        let req = Request::from_parts(parts, body);
        let (bytes, files) = if crate::http::multipart::is_multipart(&req) {
            // A form with files may be large: only a form from our own pages is read.
            crate::http::origin::same_origin(&headers).map_err(IntoResponse::into_response)?;
            let (text, files) = crate::http::multipart::read(req, state)
                .await
                .map_err(IntoResponse::into_response)?;
            (axum::body::Bytes::from(text), files)
        } else {
            let ApiBytes(bytes) = ApiBytes::from_request(req, state)
                .await
                .map_err(IntoResponse::into_response)?;
            (bytes, Vec::new())
        };
        let csrf = form_urlencoded::parse(&bytes)
            .find(|(name, _)| name == "csrf")
            .map(|(_, value)| value.into_owned())
            .unwrap_or_default();
        check_form(&staff, &headers, &Csrf { csrf }).map_err(IntoResponse::into_response)?;
        let fields = parse_form(&bytes).map_err(IntoResponse::into_response)?;
        Ok(SignedForm {
            staff,
            fields,
            files,
            door: PhantomData,
        })
    }
}

/// Checks a newsroom form: from our own pages, with the session's token.
pub fn check_form(staff: &Staff, headers: &HeaderMap, csrf: &Csrf) -> Result<(), AppError> {
    crate::http::origin::same_origin(headers)?;
    staff.check_csrf(&csrf.csrf)
}
