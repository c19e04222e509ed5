//! `/admin/settings`: the site's settings for admins, kept in the database and in force on
//! every node within a second of a save. A setting the server's configuration gives (a flag,
//! a `NEWSDESK_…` variable or the config file) is shown but cannot be changed here.

use super::access::{Admin, AdminForm};
use super::frame::Frame;
use super::respond::{back_to, private};
use crate::http::error::AppError;
use crate::http::extract::Params;
use crate::render::layout::Layout;
use crate::services::audit;
use crate::services::settings::{SettingKey, SiteSettings};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use newsdesk_core::audit::AuditAction;
use serde::Deserialize;
use std::collections::BTreeMap;

pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub value: String,
    pub pinned: Option<(&'static str, &'static str)>,
    pub long: bool,
}

#[derive(Template)]
#[template(path = "admin/settings.html")]
struct SettingsPage {
    layout: Layout,
    frame: Frame,
    fields: Vec<Field>,
    card: String,
}

fn label(key: SettingKey) -> (&'static str, &'static str, bool) {
    match key {
        SettingKey::SiteName => ("Site name", "In the masthead, feeds, emails and link previews.", false),
        SettingKey::Description => ("Description", "What the site is, for search engines and link previews.", true),
        SettingKey::Logo => ("Logo", "A picture's address (from the picture library); empty: the name alone.", false),
        SettingKey::SharePicture => ("Default sharing picture", "Shared for a story without a hero picture; empty: the card below, made from the site's name.", false),
        SettingKey::TimeZone => ("Time zone", "Dates on pages are shown in it, such as Europe/Paris or UTC.", false),
        SettingKey::CommentMode => ("Comments by default", "open, premoderated or closed.", false),
        SettingKey::CloseAfterDays => ("Close comments after (days)", "0 keeps them open.", false),
        SettingKey::BannedWords => ("Banned words", "Comma-separated: comments with them are filed as spam.", true),
        SettingKey::SuspectWords => ("Suspect words", "Comma-separated: comments with them wait for a moderator.", true),
        SettingKey::TwoFactorRoles => ("Roles that must use two-factor sign-in", "Comma-separated roles, such as admin, editor.", false),
    }
}

fn fields(state: &AppState, shown: &SiteSettings) -> Vec<Field> {
    SettingKey::ALL
        .into_iter()
        .map(|key| {
            let (label, help, long) = label(key);
            Field {
                name: key.name(),
                label,
                help,
                value: shown.text(key),
                pinned: state
                    .settings
                    .is_pinned(key)
                    .then(|| key.flag_and_variable())
                    .flatten(),
                long,
            }
        })
        .collect()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SettingsQuery {
    done: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    Admin(staff): Admin,
    Params(q): Params<SettingsQuery>,
) -> Result<Response, AppError> {
    let site = state.settings.site();
    let (layout, frame) = Frame::new(&state, &staff, "Settings", "settings", q.done).await?;
    Ok(private(SettingsPage {
        fields: fields(&state, &site),
        card: crate::services::links::share_card_path(&site.site_name),
        layout,
        frame,
    }))
}

pub async fn save(
    State(state): State<AppState>,
    AdminForm {
        staff,
        fields: form,
        ..
    }: AdminForm<BTreeMap<String, String>>,
) -> Result<Response, AppError> {
    let current = state.settings.site();
    let pinned: std::collections::BTreeSet<SettingKey> = SettingKey::ALL
        .into_iter()
        .filter(|k| state.settings.is_pinned(*k))
        .collect();
    let pairs: Vec<(String, String)> = form.into_iter().filter(|(k, _)| k != "csrf").collect();
    let new = current
        .from_form(&pairs, &pinned)
        .map_err(AppError::Invalid)?;
    let changed: Vec<(SettingKey, String, String)> = SettingKey::ALL
        .into_iter()
        .filter(|k| !pinned.contains(k))
        .map(|k| (k, current.text(k), new.text(k)))
        .filter(|(_, old, now)| old != now)
        .collect();
    if changed.is_empty() {
        return Ok(back_to("/admin/settings", "Nothing changed"));
    }
    let values: Vec<(String, String)> = changed
        .iter()
        .map(|(k, _, v)| (k.name().to_string(), v.clone()))
        .collect();
    state.store.save_settings(&values, Utc::now()).await?;
    state.settings.reload(state.store.as_ref()).await?;
    state.changed_site();
    for (key, old, now) in &changed {
        audit::record(
            &state,
            &staff.who(),
            AuditAction::SettingChanged,
            key.name(),
            &format!("“{old}” → “{now}”"),
        )
        .await;
    }
    Ok(back_to("/admin/settings", "Settings saved"))
}
