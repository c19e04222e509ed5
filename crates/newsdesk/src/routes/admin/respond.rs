//! How the newsroom's pages answer: a redirect back after a form (with what happened in the
//! address), the only places a `next` address may lead, and pages no cache may keep.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// Back to a moderation page after a form, with what happened in the address.
pub fn back_to(path: &str, done: &str) -> Response {
    let sep = if path.contains('?') { '&' } else { '?' };
    let to = format!(
        "{path}{sep}done={}",
        percent_encoding::utf8_percent_encode(done, percent_encoding::NON_ALPHANUMERIC)
    );
    (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
}

/// Only local moderation paths are followed after a form, never another site.
pub fn safe_next(next: &str) -> &str {
    let plain = next.bytes().all(|b| b.is_ascii_graphic());
    if plain
        && next.starts_with("/admin")
        && !next.contains("//")
        && !next.contains('\\')
        && !next.contains("..")
    {
        next
    } else {
        crate::services::links::NEWSROOM_HOME
    }
}

/// A page that must not be stored by browsers or proxies.
pub fn private(page: impl askama::Template) -> Response {
    let mut r = crate::render::page::html(page);
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_newsroom_addresses_are_followed_after_a_form() {
        assert_eq!(safe_next("/admin/stories?q=rail"), "/admin/stories?q=rail");
        for bad in [
            "//evil.example",
            "/admin/../..//EVIL.example",
            "/admin/\nx",
            "/admin/\\x",
            "https://evil.example/admin",
        ] {
            assert_eq!(safe_next(bad), "/admin/", "{bad}");
        }
    }
}
