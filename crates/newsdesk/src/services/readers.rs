//! Readers without accounts: the signed cookie that names a reader's device and the signed
//! stamp every debate form carries (against forgery and bots). `http::visitor` reads them
//! from a request.

use axum::http::header::COOKIE;
use axum::http::{HeaderMap, HeaderValue};
use cookie::{Cookie, CookieJar, Key, SameSite};
use hmac::{Hmac, Mac};
use newsdesk_core::ReaderId;
use rand::RngCore;
use sha2::Sha256;

pub const READER_COOKIE: &str = "nd_reader";
/// What the cached page holds where each visitor's own form stamp goes.
pub const STAMP_PLACEHOLDER: &str = "__ND_FORM_STAMP__";
/// A form older than this is refused: reload the page for a fresh one.
pub const STAMP_LIFETIME_SECS: i64 = 24 * 3600;

/// The keys reader cookies and form stamps are signed with; every node shares them.
pub struct ReaderKeys {
    cookie_key: Key,
    stamp_key: Vec<u8>,
    mail_key: Vec<u8>,
    notice_key: Vec<u8>,
    secure: bool,
}

/// A new 64-byte secret in hex, proposed on first start.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 64];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

#[derive(Debug, PartialEq, Eq)]
pub enum StampProblem {
    Missing,
    Forged,
    TooFast,
    Expired,
}

impl StampProblem {
    pub fn message(&self) -> &'static str {
        match self {
            StampProblem::Missing | StampProblem::Forged => {
                "this form did not come from our page; please use the form on the story"
            }
            StampProblem::TooFast => {
                "that was quicker than a person can write; please check your text and send it again"
            }
            StampProblem::Expired => "this form has expired; please send it again",
        }
    }
}

impl ReaderKeys {
    pub fn new(secret_hex: &str, secure: bool) -> anyhow::Result<ReaderKeys> {
        let bytes = hex::decode(secret_hex)?;
        anyhow::ensure!(bytes.len() >= 64, "the reader secret is too short");
        Ok(ReaderKeys {
            cookie_key: Key::from(&bytes[..64]),
            stamp_key: [b"stamp:".as_slice(), &bytes].concat(),
            mail_key: [b"mail:".as_slice(), &bytes].concat(),
            notice_key: [b"notice:".as_slice(), &bytes].concat(),
            secure,
        })
    }

    /// The key unsubscribe links are signed with.
    pub fn mail_key(&self) -> &[u8] {
        &self.mail_key
    }

    /// The key the newsroom's notices after a form are sealed with.
    pub fn notice_key(&self) -> &[u8] {
        &self.notice_key
    }

    /// The reader whose valid signed cookie the request carries.
    pub fn reader(&self, headers: &HeaderMap) -> Option<ReaderId> {
        let mut jar = CookieJar::new();
        for value in headers.get_all(COOKIE) {
            let Ok(text) = value.to_str() else { continue };
            for c in Cookie::split_parse_encoded(text.to_string()).flatten() {
                if c.name() == READER_COOKIE {
                    jar.add_original(c.into_owned());
                }
            }
        }
        let c = jar.signed(&self.cookie_key).get(READER_COOKIE)?;
        let id = c.value();
        (id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| ReaderId(id.to_string()))
    }

    /// A new reader id and the `Set-Cookie` that gives it to the browser for a year.
    pub fn new_reader(&self) -> (ReaderId, HeaderValue) {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        let id = hex::encode(bytes);
        let mut jar = CookieJar::new();
        let cookie = Cookie::build((READER_COOKIE, id.clone()))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure)
            .max_age(cookie::time::Duration::days(365))
            .build();
        jar.signed_mut(&self.cookie_key).add(cookie);
        let header = jar
            .delta()
            .next()
            .map(|c| c.encoded().to_string())
            .unwrap_or_default();
        (
            ReaderId(id),
            HeaderValue::from_str(&header).unwrap_or(HeaderValue::from_static("")),
        )
    }

    fn sign(&self, issued: i64, nonce: &str, reader: Option<&ReaderId>) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.stamp_key).expect("any key length");
        mac.update(issued.to_string().as_bytes());
        mac.update(b"|");
        if !nonce.is_empty() {
            mac.update(nonce.as_bytes());
            mac.update(b"|");
        }
        mac.update(reader.map(|r| r.0.as_str()).unwrap_or("").as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// A form stamp: when the form was shown and a random number (so no two stamps are the
    /// same, and each can be spent once), signed together with the reader it was shown to.
    pub fn stamp(&self, reader: Option<&ReaderId>, now_secs: i64) -> String {
        let mut bytes = [0u8; 8];
        rand::rng().fill_bytes(&mut bytes);
        let nonce = hex::encode(bytes);
        format!("{now_secs}.{nonce}.{}", self.sign(now_secs, &nonce, reader))
    }

    /// Checks a stamp sent back with a form, `min_secs` after it was shown at the earliest.
    pub fn check_stamp(
        &self,
        stamp: &str,
        reader: Option<&ReaderId>,
        now_secs: i64,
        min_secs: u64,
    ) -> Result<(), StampProblem> {
        let (issued, rest) = stamp.split_once('.').ok_or(if stamp.is_empty() {
            StampProblem::Missing
        } else {
            StampProblem::Forged
        })?;
        // Stamps made before they carried a number have none.
        let (nonce, mac) = rest.split_once('.').unwrap_or(("", rest));
        let issued: i64 = issued.parse().map_err(|_| StampProblem::Forged)?;
        // Only the very text this site wrote: `+12`, `012` or a longer number would read as
        // the same time and make one stamp many.
        let canonical = issued.to_string() == stamp[..stamp.find('.').unwrap_or(0)]
            && (nonce.is_empty()
                || (nonce.len() == 16 && nonce.bytes().all(|b| b.is_ascii_hexdigit())))
            && mac.len() == 64;
        if !canonical {
            return Err(StampProblem::Forged);
        }
        let expected = self.sign(issued, nonce, reader);
        if !same_secret(&expected, mac) {
            return Err(StampProblem::Forged);
        }
        let age = now_secs - issued;
        if !(-60..=STAMP_LIFETIME_SECS).contains(&age) {
            return Err(StampProblem::Expired);
        }
        if age < min_secs as i64 {
            return Err(StampProblem::TooFast);
        }
        Ok(())
    }
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> ReaderKeys {
        ReaderKeys::new(&"ab".repeat(64), false).unwrap()
    }

    #[test]
    fn a_reader_cookie_reads_back_and_a_tampered_one_does_not() {
        let k = keys();
        let (id, header) = k.new_reader();
        let pair = header
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, HeaderValue::from_str(&pair).unwrap());
        assert_eq!(k.reader(&headers), Some(id.clone()));
        let forged = pair.replace(&id.0, &"0".repeat(32));
        headers.insert(COOKIE, HeaderValue::from_str(&forged).unwrap());
        assert_eq!(k.reader(&headers), None);
    }

    #[test]
    fn the_reader_cookie_is_http_only_and_lax() {
        let (_, header) = keys().new_reader();
        let h = header.to_str().unwrap();
        assert!(h.contains("HttpOnly") && h.contains("SameSite=Lax") && h.contains("Path=/"));
        assert!(!h.contains("Secure"));
        let (_, secure) = ReaderKeys::new(&"ab".repeat(64), true)
            .unwrap()
            .new_reader();
        assert!(secure.to_str().unwrap().contains("Secure"));
    }

    #[test]
    fn a_stamp_is_bound_to_its_reader_and_its_time() {
        let k = keys();
        let r = ReaderId("a".repeat(32));
        let s = k.stamp(Some(&r), 1000);
        assert_eq!(k.check_stamp(&s, Some(&r), 1005, 3), Ok(()));
        assert_eq!(k.check_stamp(&s, None, 1005, 3), Err(StampProblem::Forged));
        assert_eq!(
            k.check_stamp(&s, Some(&r), 1001, 3),
            Err(StampProblem::TooFast)
        );
        assert_eq!(
            k.check_stamp(&s, Some(&r), 1000 + 2 * 86400, 3),
            Err(StampProblem::Expired)
        );
        assert_ne!(k.stamp(Some(&r), 1000), s, "no two stamps are the same");
        let tampered = s.replacen('.', ".0", 1);
        assert_eq!(
            k.check_stamp(&tampered, Some(&r), 1005, 3),
            Err(StampProblem::Forged)
        );
        for padded in [format!("+{s}"), format!("0{s}"), format!("{s}0")] {
            assert_eq!(
                k.check_stamp(&padded, Some(&r), 1005, 3),
                Err(StampProblem::Forged),
                "{padded}"
            );
        }
        assert_eq!(k.check_stamp("", None, 1000, 0), Err(StampProblem::Missing));
        assert_eq!(
            k.check_stamp("12.zz", None, 1000, 0),
            Err(StampProblem::Forged)
        );
    }
}
