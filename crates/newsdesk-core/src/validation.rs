//! Field-level validation errors that name the field at fault.

use std::collections::BTreeMap;

/// Problems found in an input, keyed by the JSON path of each field (`claims[0].quote`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<String, Vec<String>>);

impl FieldErrors {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.entry(field.into()).or_default().push(message.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_result(self) -> Result<(), ValidationError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(ValidationError(self))
        }
    }

    pub fn merge(&mut self, other: FieldErrors) {
        for (field, messages) in other.0 {
            self.0.entry(field).or_default().extend(messages);
        }
    }
}

/// A rejected input and every reason it was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {}", summary(.0))]
pub struct ValidationError(pub FieldErrors);

fn summary(errors: &FieldErrors) -> String {
    errors
        .0
        .iter()
        .map(|(field, messages)| format!("{field} {}", messages.join("; ")))
        .collect::<Vec<_>>()
        .join(", ")
}

impl ValidationError {
    pub fn single(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::default();
        errors.add(field, message);
        ValidationError(errors)
    }
}

/// Checks a required single-line text field and its length in characters.
pub fn check_line(errors: &mut FieldErrors, field: &str, value: &str, max: usize) {
    if value.contains('\0') {
        errors.add(field, "must not contain NUL characters");
    } else if value.trim().is_empty() {
        errors.add(field, "is required");
    } else if value.chars().count() > max {
        errors.add(field, format!("must be at most {max} characters"));
    } else if value.contains(['\n', '\r']) {
        errors.add(field, "must be a single line");
    }
}

/// Checks an optional text field's length.
pub fn check_max(errors: &mut FieldErrors, field: &str, value: &str, max: usize) {
    if value.contains('\0') {
        errors.add(field, "must not contain NUL characters");
    } else if value.chars().count() > max {
        errors.add(field, format!("must be at most {max} characters"));
    }
}

/// Checks a link: absolute http(s), or (when `allow_path`) a path on this site.
pub fn check_url(errors: &mut FieldErrors, field: &str, value: &str, allow_path: bool) {
    if value.contains('\0') {
        errors.add(field, "must not contain NUL characters");
        return;
    }
    if allow_path && value.starts_with('/') && !value.starts_with("//") {
        if value.contains(['"', '<', '>', ' ', '\\']) {
            errors.add(
                field,
                "must be a path without spaces, quotes or angle brackets",
            );
        }
        return;
    }
    match url::Url::parse(value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {}
        _ => errors.add(
            field,
            if allow_path {
                "must be an http(s) URL or a path on this site starting with /"
            } else {
                "must be an http(s) URL"
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_every_field_at_fault() {
        let mut e = FieldErrors::default();
        check_line(&mut e, "headline", "", 10);
        check_line(&mut e, "section", "x".repeat(11).as_str(), 10);
        let err = e.into_result().unwrap_err();
        assert!(err.0 .0.contains_key("headline"));
        assert!(err.0 .0.contains_key("section"));
        assert!(err.to_string().contains("headline is required"));
    }

    #[test]
    fn javascript_links_are_not_urls() {
        let mut e = FieldErrors::default();
        check_url(&mut e, "hero.url", "javascript:alert(1)", true);
        check_url(&mut e, "a", "//evil.example/x", true);
        assert_eq!(e.0.len(), 2);
    }

    #[test]
    fn site_paths_and_https_links_pass() {
        let mut e = FieldErrors::default();
        check_url(&mut e, "hero.url", "/media/a.svg", true);
        check_url(&mut e, "hero.url", "https://example.org/a.jpg", true);
        assert!(e.is_empty());
    }
}
