//! How the newsroom's pages answer: a redirect back after a form (with what happened in the
//! address), the only places a `next` address may lead, and pages no cache may keep.

use crate::services::readers::same_secret;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::OnceLock;

/// The key notices are sealed with: set at start from the site's shared secret, so a notice
/// one node wrote reads on every node; the first one set holds.
static NOTICE_KEY: OnceLock<Vec<u8>> = OnceLock::new();

pub fn seal_notices_with(key: &[u8]) {
    let _ = NOTICE_KEY.set(key.to_vec());
}

/// A notice's seal: 32 hex digits of its HMAC.
fn seal(text: &str) -> String {
    let key = NOTICE_KEY.get_or_init(|| crate::services::readers::new_secret().into_bytes());
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(text.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

/// Back to a newsroom page after a form, with what happened in the address, sealed: a page
/// shows only notices the server wrote, never words a link made up.
pub fn back_to(path: &str, done: &str) -> Response {
    let sep = if path.contains('?') { '&' } else { '?' };
    let sealed = format!("{}.{done}", seal(done));
    let to = format!(
        "{path}{sep}done={}",
        percent_encoding::utf8_percent_encode(&sealed, percent_encoding::NON_ALPHANUMERIC)
    );
    (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
}

/// The notice a page's `done` carries, when its seal holds.
pub fn notice(done: Option<String>) -> Option<String> {
    let done = done?;
    let (mac, text) = done.split_once('.')?;
    (!text.is_empty() && same_secret(mac, &seal(text))).then(|| text.to_string())
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

    #[test]
    fn a_notice_shows_only_when_the_server_sealed_it() {
        let r = back_to("/admin/stories", "Story saved");
        let to = r.headers()[header::LOCATION].to_str().unwrap();
        let done = to.split_once("done=").unwrap().1;
        let done = percent_encoding::percent_decode_str(done)
            .decode_utf8()
            .unwrap()
            .to_string();
        assert_eq!(notice(Some(done.clone())), Some("Story saved".into()));
        let forged = done.replace("Story saved", "Sign in again at evil.example");
        assert_eq!(notice(Some(forged)), None);
        assert_eq!(notice(Some("Story saved".into())), None);
        assert_eq!(notice(None), None);
    }
}
