//! The optional TOML config file (`--config FILE` or `NEWSDESK_CONFIG`). Its settings sit under
//! the environment and the flags: a key `site_name` is the default for `NEWSDESK_SITE_NAME`.

use anyhow::{bail, Context};
use std::path::Path;

/// The settings a file may hold, each named as its flag with `_` for `-`.
pub const KEYS: &[&str] = &[
    "addr",
    "data",
    "database",
    "demo",
    "base_url",
    "site_name",
    "max_body_bytes",
    "max_picture_bytes",
    "max_picture_megapixels",
    "log_format",
    "comments_per_minute",
    "reports_per_hour",
    "new_readers_per_hour",
    "comment_max_chars",
    "comment_edit_minutes",
    "comment_mode",
    "comments_close_after_days",
    "comment_max_links",
    "banned_words",
    "suspect_words",
    "flags_to_hide",
    "comment_min_seconds",
    "comments_per_page",
    "trust_proxy",
    "header_timeout_seconds",
    "connections_per_address",
    "smtp_url",
    "mail_from",
    "queue_email_minutes",
    "purge_url",
    "purge_format",
];

/// Finds `--config FILE` (or `--config=FILE`, or `NEWSDESK_CONFIG`) and applies the file.
pub fn apply_from_args(args: impl Iterator<Item = String>) -> anyhow::Result<()> {
    let args: Vec<String> = args.collect();
    let from_flag = args.iter().enumerate().find_map(|(i, a)| {
        a.strip_prefix("--config=").map(str::to_string).or_else(|| {
            (a == "--config")
                .then(|| args.get(i + 1).cloned())
                .flatten()
        })
    });
    match from_flag.or_else(|| std::env::var("NEWSDESK_CONFIG").ok()) {
        Some(path) => apply(Path::new(&path)),
        None => Ok(()),
    }
}

/// The environment variables a config file's text sets, checked key by key.
pub fn settings(text: &str, file: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start].matches('\n').count() + 1)
            .unwrap_or(0);
        anyhow::anyhow!("{}:{line}: {}", file.display(), e.message())
    })?;
    let mut out = Vec::new();
    for (key, value) in table {
        let line = text
            .lines()
            .position(|l| l.split('=').next().is_some_and(|k| k.trim() == key))
            .map_or(0, |i| i + 1);
        if !KEYS.contains(&key.as_str()) {
            bail!(
                "{}:{line}: unknown setting '{key}'; known settings: {}",
                file.display(),
                KEYS.join(", ")
            );
        }
        let value = match value {
            toml::Value::String(s) => s,
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            // Word lists: ["a", "b"] is the same as "a,b".
            toml::Value::Array(items) if items.iter().all(|i| i.is_str()) => items
                .iter()
                .filter_map(|i| i.as_str())
                .collect::<Vec<_>>()
                .join(","),
            other => bail!(
                "{}:{line}: '{key}' must be a string, number or true/false, not {}",
                file.display(),
                other.type_str()
            ),
        };
        out.push((format!("NEWSDESK_{}", key.to_uppercase()), value));
    }
    Ok(out)
}

fn apply(file: &Path) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read the config file {}", file.display()))?;
    for (var, value) in settings(&text, file)? {
        if std::env::var_os(&var).is_none() {
            std::env::set_var(var, value);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_settings_become_newsdesk_variables() {
        let s = settings(
            "site_name = \"Daily\"\ndemo = true\nmax_body_bytes = 10\n",
            Path::new("c.toml"),
        )
        .unwrap();
        assert!(s.contains(&("NEWSDESK_SITE_NAME".into(), "Daily".into())));
        assert!(s.contains(&("NEWSDESK_DEMO".into(), "true".into())));
        assert!(s.contains(&("NEWSDESK_MAX_BODY_BYTES".into(), "10".into())));
    }

    #[test]
    fn an_unknown_setting_names_the_file_and_line() {
        let e = settings(
            "addr = \"127.0.0.1:1\"\nsite_nam = \"x\"\n",
            Path::new("c.toml"),
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("c.toml:2: unknown setting 'site_nam'"),
            "{e}"
        );
    }

    #[test]
    fn broken_toml_names_the_line() {
        let e = settings("addr = \n", Path::new("c.toml")).unwrap_err();
        assert!(e.to_string().starts_with("c.toml:1:"), "{e}");
    }
}
