//! The settings themselves: their names, the text they are kept as, what a submitted value
//! must be, and which flag or variable pins each.

use chrono_tz::Tz;
use newsdesk_core::discussion::DiscussionRules;
use newsdesk_core::screen::CommentMode;
use newsdesk_core::{FieldErrors, Role};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SettingKey {
    SiteName,
    Description,
    Logo,
    SharePicture,
    TimeZone,
    CommentMode,
    CloseAfterDays,
    BannedWords,
    SuspectWords,
    TwoFactorRoles,
}

impl SettingKey {
    pub const ALL: [SettingKey; 10] = [
        Self::SiteName,
        Self::Description,
        Self::Logo,
        Self::SharePicture,
        Self::TimeZone,
        Self::CommentMode,
        Self::CloseAfterDays,
        Self::BannedWords,
        Self::SuspectWords,
        Self::TwoFactorRoles,
    ];

    /// The setting's name: in the database, in forms and in the audit log.
    pub fn name(self) -> &'static str {
        match self {
            Self::SiteName => "site_name",
            Self::Description => "description",
            Self::Logo => "logo",
            Self::SharePicture => "share_picture",
            Self::TimeZone => "time_zone",
            Self::CommentMode => "comment_mode",
            Self::CloseAfterDays => "comments_close_after_days",
            Self::BannedWords => "banned_words",
            Self::SuspectWords => "suspect_words",
            Self::TwoFactorRoles => "two_factor_roles",
        }
    }

    /// The flag and variable that give this setting from the server's configuration.
    pub fn flag_and_variable(self) -> Option<(&'static str, &'static str)> {
        match self {
            Self::SiteName => Some(("--site-name", "NEWSDESK_SITE_NAME")),
            Self::CommentMode => Some(("--comment-mode", "NEWSDESK_COMMENT_MODE")),
            Self::CloseAfterDays => Some((
                "--comments-close-after-days",
                "NEWSDESK_COMMENTS_CLOSE_AFTER_DAYS",
            )),
            Self::BannedWords => Some(("--banned-words", "NEWSDESK_BANNED_WORDS")),
            Self::SuspectWords => Some(("--suspect-words", "NEWSDESK_SUSPECT_WORDS")),
            _ => None,
        }
    }

    /// Whether the running server was given this setting by a flag, a variable or the config
    /// file (which sets the variables): such a setting is not changed from the page.
    pub fn given_at_start(self, args: &[String]) -> bool {
        self.flag_and_variable().is_some_and(|(flag, var)| {
            std::env::var_os(var).is_some()
                || args
                    .iter()
                    .any(|a| a == flag || a.starts_with(&format!("{flag}=")))
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SiteSettings {
    pub site_name: String,
    pub description: String,
    pub logo: String,
    /// The picture shared for a story without a hero; empty: a card made from the site name.
    pub share_picture: String,
    pub time_zone: Tz,
    pub comment_mode: CommentMode,
    /// 0: comments never close.
    pub close_after_days: i64,
    pub banned_words: Vec<String>,
    pub suspect_words: Vec<String>,
    /// Roles whose members must sign in with a code from an authenticator app.
    pub two_factor_roles: Vec<Role>,
}

/// The most words a list may hold, and the longest word: every comment is checked against them.
const MAX_WORDS: usize = 500;
const MAX_WORD_CHARS: usize = 60;

fn words(text: &str) -> Result<Vec<String>, String> {
    let list: Vec<String> = text
        .split([',', '\n'])
        .map(|w| w.trim().to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    if list.len() > MAX_WORDS || list.iter().any(|w| w.chars().count() > MAX_WORD_CHARS) {
        return Err(format!(
            "must hold at most {MAX_WORDS} words of at most {MAX_WORD_CHARS} characters"
        ));
    }
    Ok(list)
}

/// Text every page, feed and email can carry: no control characters and no Unicode
/// noncharacters (which XML refuses), and a bounded length in bytes.
fn plain_text(v: &str, max_chars: usize) -> bool {
    v.chars().count() <= max_chars
        && v.len() <= max_chars * 2
        && !v.chars().any(|c| {
            let n = c as u32;
            c.is_control() || (0xFDD0..=0xFDEF).contains(&n) || n & 0xFFFE == 0xFFFE
        })
}

fn roles(text: &str) -> Result<Vec<Role>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::parse)
        .collect()
}

fn address_ok(v: &str) -> bool {
    v.is_empty() || (v.starts_with('/') && !v.starts_with("//")) || v.starts_with("https://")
}

impl SiteSettings {
    /// What the server's configuration gives, before anything saved.
    pub fn from_config(site_name: &str, d: &DiscussionRules) -> SiteSettings {
        SiteSettings {
            site_name: site_name.to_string(),
            description: String::new(),
            logo: String::new(),
            share_picture: String::new(),
            time_zone: Tz::UTC,
            comment_mode: d.screen.mode,
            close_after_days: d.close_after.map_or(0, |c| c.num_days()),
            banned_words: d.screen.banned_words.clone(),
            suspect_words: d.screen.suspect_words.clone(),
            two_factor_roles: Vec::new(),
        }
    }

    /// The settings as text, as the form shows them and the database keeps them.
    pub fn text(&self, key: SettingKey) -> String {
        match key {
            SettingKey::SiteName => self.site_name.clone(),
            SettingKey::Description => self.description.clone(),
            SettingKey::Logo => self.logo.clone(),
            SettingKey::SharePicture => self.share_picture.clone(),
            SettingKey::TimeZone => self.time_zone.name().to_string(),
            SettingKey::CommentMode => self.comment_mode.as_str().to_string(),
            SettingKey::CloseAfterDays => self.close_after_days.to_string(),
            SettingKey::BannedWords => self.banned_words.join(", "),
            SettingKey::SuspectWords => self.suspect_words.join(", "),
            SettingKey::TwoFactorRoles => self
                .two_factor_roles
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// Sets one setting from its text; the error says what the value must be.
    pub fn set(&mut self, key: SettingKey, value: &str) -> Result<(), String> {
        let v = value.trim();
        match key {
            SettingKey::SiteName => {
                if v.is_empty() || !plain_text(v, 100) {
                    return Err("must be one line of 1 to 100 characters".into());
                }
                self.site_name = v.into();
            }
            SettingKey::Description => {
                if !plain_text(&v.replace(['\n', '\r', '\t'], " "), 300) {
                    return Err("must be at most 300 characters of plain text".into());
                }
                self.description = v.split_whitespace().collect::<Vec<_>>().join(" ");
            }
            SettingKey::Logo | SettingKey::SharePicture => {
                if !address_ok(v) || v.chars().count() > 500 {
                    return Err(
                        "must be a path on this site (a library picture) or an https address"
                            .into(),
                    );
                }
                if key == SettingKey::Logo {
                    self.logo = v.into();
                } else {
                    self.share_picture = v.into();
                }
            }
            SettingKey::TimeZone => {
                self.time_zone = v.parse().map_err(|_| {
                    "must be a time zone name such as Europe/Paris or UTC".to_string()
                })?;
            }
            SettingKey::CommentMode => {
                self.comment_mode = CommentMode::parse(v)
                    .ok_or_else(|| "must be open, premoderated or closed".to_string())?;
            }
            SettingKey::CloseAfterDays => {
                self.close_after_days = v
                    .parse()
                    .ok()
                    .filter(|d| (0..=36_500).contains(d))
                    .ok_or_else(|| "must be a number of days, 0 for never".to_string())?;
            }
            SettingKey::BannedWords => self.banned_words = words(v)?,
            SettingKey::SuspectWords => self.suspect_words = words(v)?,
            SettingKey::TwoFactorRoles => self.two_factor_roles = roles(v)?,
        }
        Ok(())
    }

    /// These settings with the saved ones applied, but those pinned by the configuration.
    /// A saved value that no longer reads (a version that wrote it differently) is skipped.
    pub fn with_saved(
        &self,
        saved: &[(String, String)],
        pinned: &BTreeSet<SettingKey>,
    ) -> SiteSettings {
        let mut out = self.clone();
        for key in SettingKey::ALL {
            if pinned.contains(&key) {
                continue;
            }
            if let Some((_, v)) = saved.iter().find(|(n, _)| n == key.name()) {
                if let Err(e) = out.set(key, v) {
                    tracing::warn!(setting = key.name(), error = %e, "a saved setting is not used");
                }
            }
        }
        out
    }

    /// Checks a whole form of settings; answers the new settings or each field's problem.
    pub fn from_form(
        &self,
        form: &[(String, String)],
        pinned: &BTreeSet<SettingKey>,
    ) -> Result<SiteSettings, FieldErrors> {
        let mut out = self.clone();
        let mut errors = FieldErrors::default();
        for key in SettingKey::ALL {
            if pinned.contains(&key) {
                continue;
            }
            if let Some((_, v)) = form.iter().find(|(n, _)| n == key.name()) {
                if let Err(e) = out.set(key, v) {
                    errors.add(key.name(), e);
                }
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    /// Puts the debate settings into the debate's rules (but those pinned).
    pub fn apply_to(&self, rules: &mut DiscussionRules, pinned: &BTreeSet<SettingKey>) {
        let free = |k| !pinned.contains(&k);
        if free(SettingKey::CommentMode) {
            rules.screen.mode = self.comment_mode;
        }
        if free(SettingKey::CloseAfterDays) {
            rules.close_after =
                (self.close_after_days > 0).then(|| chrono::Duration::days(self.close_after_days));
        }
        if free(SettingKey::BannedWords) {
            rules.screen.banned_words = self.banned_words.clone();
        }
        if free(SettingKey::SuspectWords) {
            rules.screen.suspect_words = self.suspect_words.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> SiteSettings {
        SiteSettings {
            site_name: "The Avel Courier".into(),
            description: String::new(),
            logo: String::new(),
            share_picture: String::new(),
            time_zone: Tz::UTC,
            comment_mode: CommentMode::Open,
            close_after_days: 30,
            banned_words: vec![],
            suspect_words: vec![],
            two_factor_roles: vec![],
        }
    }

    #[test]
    fn a_saved_setting_applies_unless_the_configuration_pins_it() {
        let saved = vec![
            ("site_name".to_string(), "The Harbour Post".to_string()),
            ("comment_mode".to_string(), "premoderated".to_string()),
        ];
        let pinned = BTreeSet::from([SettingKey::CommentMode]);
        let s = base().with_saved(&saved, &pinned);
        assert_eq!(s.site_name, "The Harbour Post");
        assert_eq!(s.comment_mode, CommentMode::Open, "the flag wins");
    }

    #[test]
    fn a_bad_value_is_named_by_its_field() {
        let form = vec![
            ("time_zone".to_string(), "Mars/Olympus".to_string()),
            (
                "share_picture".to_string(),
                "javascript:alert(1)".to_string(),
            ),
            ("two_factor_roles".to_string(), "editor, chief".to_string()),
        ];
        let e = base().from_form(&form, &BTreeSet::new()).unwrap_err();
        for field in ["time_zone", "share_picture", "two_factor_roles"] {
            assert!(e.0.contains_key(field), "{field}: {e:?}");
        }
    }

    #[test]
    fn a_site_name_with_what_xml_refuses_is_refused() {
        let mut s = base();
        assert!(s.set(SettingKey::SiteName, "The Courier\u{FFFF}").is_err());
        assert!(s.set(SettingKey::SiteName, "The Courier\u{FDD0}").is_err());
        assert!(
            s.set(SettingKey::SiteName, &"📰".repeat(100)).is_err(),
            "bounded in bytes too"
        );
        assert!(s.set(SettingKey::SiteName, "Le Courrier d'Avel").is_ok());
        let many = vec!["w"; 501].join(",");
        assert!(s.set(SettingKey::BannedWords, &many).is_err());
    }

    #[test]
    fn words_and_roles_read_from_lists() {
        let mut s = base();
        s.set(SettingKey::BannedWords, "Casino, , LOANS\nspam")
            .unwrap();
        assert_eq!(s.banned_words, vec!["casino", "loans", "spam"]);
        s.set(SettingKey::TwoFactorRoles, "admin, editor").unwrap();
        assert_eq!(s.text(SettingKey::TwoFactorRoles), "admin, editor");
        s.set(SettingKey::TimeZone, "Europe/Paris").unwrap();
        assert_eq!(s.text(SettingKey::TimeZone), "Europe/Paris");
    }
}
