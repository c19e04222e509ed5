//! Two-factor sign-in with a time-based code (RFC 6238, as authenticator apps make them): the
//! secret a person scans, checking a code, and the short signed ticket that carries a
//! sign-in from its password step to its code step.

use crate::state::AppState;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use newsdesk_core::UserId;
use rand::RngCore;
use sha2::Sha256;
use totp_rs::{Algorithm, Builder, Secret, Totp};

/// How long the code step may follow the password step.
const TICKET_SECS: i64 = 300;

/// A new secret, base32 as apps take it.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    Secret::from(bytes.to_vec()).to_base32()
}

fn totp(state: &AppState, secret: &str, account: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret).ok()?;
    // Issuers and account names may not hold ':' in an otpauth address.
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret)
        .with_issuer(Some(issuer(state)))
        .with_account_name(account.replace(':', " "))
        .build()
        .ok()
}

/// The `otpauth://` address and a QR code of it (a PNG as base64) to scan; either may be
/// missing (an address too long for a QR code), never the key itself.
pub fn enrolment(
    state: &AppState,
    secret: &str,
    account: &str,
) -> (Option<String>, Option<String>) {
    match totp(state, secret, account) {
        Some(t) => (t.to_url().ok(), t.to_qr_base64().ok()),
        None => (None, None),
    }
}

/// A seal binding a secret to the session it was shown to: confirming takes back only a
/// secret this server made for this session, never one a client chose.
pub fn seal(state: &AppState, session: &str, secret: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(state.readers.mail_key()).expect("any key length");
    mac.update(format!("two-factor-enrol|{session}|{secret}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

pub fn sealed_for(state: &AppState, session: &str, secret: &str, sealed: &str) -> bool {
    crate::services::readers::same_secret(&seal(state, session, secret), sealed)
}

/// The issuer authenticator apps show: the site's name in plain letters, short enough for a
/// QR code whatever the name holds.
fn issuer(state: &AppState) -> String {
    let plain: String = state
        .site_name()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '-')
        .take(40)
        .collect();
    let plain = plain.trim().to_string();
    if plain.is_empty() {
        "newsdesk".into()
    } else {
        plain
    }
}

/// The time step `code` belongs to, if it is the current code (or the one just before or
/// after, for clock drift).
pub fn code_step(state: &AppState, secret: &str, code: &str, now: DateTime<Utc>) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 {
        return None;
    }
    totp(state, secret, "check")?.check(&code, now.timestamp().max(0) as u64)
}

/// Whether `code` is the current code (or the one just before or after, for clock drift).
pub fn code_is_right(state: &AppState, secret: &str, code: &str, now: DateTime<Utc>) -> bool {
    code_step(state, secret, code, now).is_some()
}

fn sign(state: &AppState, user: UserId, expires: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(state.readers.mail_key()).expect("any key length");
    mac.update(format!("two-factor|{}|{expires}", user.0).as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// A ticket saying `user` gave the right password just now.
pub fn ticket(state: &AppState, user: UserId, now: DateTime<Utc>) -> String {
    let expires = now.timestamp() + TICKET_SECS;
    format!("{}.{expires}.{}", user.0, sign(state, user, expires))
}

/// The user a ticket is for, if it is genuine and not expired.
pub fn read_ticket(state: &AppState, ticket: &str, now: DateTime<Utc>) -> Option<UserId> {
    let mut parts = ticket.splitn(3, '.');
    let user = UserId(parts.next()?.parse().ok()?);
    let expires: i64 = parts.next()?.parse().ok()?;
    let mac = parts.next()?;
    (crate::services::readers::same_secret(&sign(state, user, expires), mac)
        && expires >= now.timestamp())
    .then_some(user)
}
