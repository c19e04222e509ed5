//! Newsroom accounts in the browser: argon2id passwords, sessions kept in the database (so
//! every node knows them), the session cookie, CSRF tokens and the growing delay after
//! failed logins.

use crate::http::error::AppError;
use crate::services::audit::{self, Who};
use crate::state::AppState;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::http::HeaderValue;
use chrono::{Duration, Utc};
use cookie::{Cookie, SameSite};
use newsdesk_core::audit::AuditAction;
use newsdesk_core::moderation::{login_delay, User};
use newsdesk_core::store::SessionOrigin;
use newsdesk_core::{Role, Store, StoreError};
use rand::RngCore;

pub const SESSION_COOKIE: &str = "nd_session";
const SESSION_DAYS: i64 = 14;
pub const MIN_PASSWORD_CHARS: usize = 12;

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))?
        .to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Makes an account; the CLI's `user create`.
pub async fn create_user(
    store: &dyn Store,
    email: &str,
    password: &str,
    role: Role,
    queue_emails: bool,
) -> anyhow::Result<User> {
    let email = email.trim();
    anyhow::ensure!(
        email.contains('@') && !email.contains(char::is_whitespace),
        "--email: '{email}' is not an email address"
    );
    anyhow::ensure!(
        password.chars().count() >= MIN_PASSWORD_CHARS,
        "the password must have at least {MIN_PASSWORD_CHARS} characters"
    );
    let hash = hash_password(password)?;
    store
        .create_user(email, &hash, role, queue_emails, Utc::now())
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => {
                anyhow::anyhow!("--email: an account for {email} exists already")
            }
            other => anyhow::anyhow!(other),
        })
}

pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn session_cookie(state: &AppState, value: &str, max_age: Duration) -> HeaderValue {
    let c = Cookie::build((SESSION_COOKIE, value.to_string()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies())
        .max_age(cookie::time::Duration::seconds(max_age.num_seconds()))
        .build();
    HeaderValue::from_str(&c.encoded().to_string()).unwrap_or(HeaderValue::from_static(""))
}

/// Keys under which sign-in attempts are counted: the pair of account and address, and the
/// address alone. Never the account alone: a stranger's wrong passwords from elsewhere must
/// not lock a named editor out of their own address.
fn attempt_keys(email: &str, ip: &str) -> [(String, i64); 2] {
    let email = email.trim().to_lowercase();
    let ip = address_key(ip);
    [
        (format!("pair:{email}|{ip}"), 0),
        // An office or a newsroom's NAT shares one address: it gets more grace than a pair.
        (format!("ip:{ip}"), ADDRESS_GRACE),
    ]
}

/// Attempts from one address, past those of a pair, before it too is slowed down.
const ADDRESS_GRACE: i64 = 20;

/// Counts older than this start again from nothing: a slowed-down key recovers by itself.
pub const ATTEMPTS_FORGOTTEN_AFTER: Duration = Duration::minutes(15);

/// An address as attempts are counted by: IPv6 by its /64 (what one subscriber holds), IPv4
/// as it is.
pub fn address_key(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>().map(|a| a.to_canonical()) {
        Ok(std::net::IpAddr::V4(v4)) => v4.to_string(),
        Ok(std::net::IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        _ => ip.to_string(),
    }
}

/// Counts one attempt under `key` (after `grace` free ones the waits grow), in one
/// compare-and-set; refuses when the key must still wait or another attempt won the count.
pub async fn count_attempt(
    state: &AppState,
    key: &str,
    grace: i64,
    now: chrono::DateTime<Utc>,
) -> Result<(), AppError> {
    let (mut attempts, last) = state.store.login_failures(key).await?;
    if attempts > 0 && now - last > ATTEMPTS_FORGOTTEN_AFTER {
        state.store.clear_login_failures(key).await?;
        attempts = 0;
    }
    let open_at = last + login_delay(attempts - grace);
    if attempts > 0 && open_at > now {
        let secs = (open_at - now).num_seconds().max(1) as u64;
        return Err(AppError::TooManyRequests(secs));
    }
    if !state.store.count_login_attempt(key, attempts, now).await? {
        // Another attempt on this key was counted in between: one at a time.
        return Err(AppError::TooManyRequests(1));
    }
    Ok(())
}

/// What a right password leads to.
pub enum SignIn {
    /// Signed in: the session's `Set-Cookie`.
    Done(User, HeaderValue),
    /// The account asks for a code from its authenticator app too: a signed ticket for the
    /// second step, valid a few minutes.
    NeedsCode(User, String),
}

/// Checks a sign-in. Each attempt is counted before the password is checked, in one
/// compare-and-set per key, so parallel guesses cannot slip past the limit between a check
/// and a count; a success clears the counts.
pub async fn log_in(
    state: &AppState,
    email: &str,
    password: &str,
    origin: &SessionOrigin,
) -> Result<SignIn, AppError> {
    let now = Utc::now();
    let keys = attempt_keys(email, &origin.ip);
    for (key, grace) in &keys {
        count_attempt(state, key, *grace, now).await?;
    }
    let who = Who::new(format!("user:{}", email.trim().to_lowercase()), &origin.ip);
    let found = state.store.find_user_by_email(email).await?;
    let user = match found {
        Some((user, hash)) if verify_password(password, &hash) => user,
        other => {
            // Hash anyway when the account does not exist or has no password yet (an
            // invitation not taken up), so timing does not tell which.
            if other
                .as_ref()
                .is_none_or(|(_, hash)| PasswordHash::new(hash).is_err())
            {
                let _ = verify_password(password, &DUMMY_HASH);
            }
            audit::record(
                state,
                &who,
                AuditAction::SignInFailed,
                email,
                "wrong email or password",
            )
            .await;
            return Err(AppError::Unauthorized(
                "the email or the password is not right".into(),
            ));
        }
    };
    // Only the pair's count is cleared: an account of one's own must not reset the count of
    // the address it guesses others' passwords from.
    state.store.clear_login_failures(&keys[0].0).await?;
    if state.store.totp_secret(user.id).await?.is_some() {
        let ticket = crate::services::two_factor::ticket(state, user.id, now);
        return Ok(SignIn::NeedsCode(user, ticket));
    }
    let cookie = start_session(state, &user, origin).await?;
    Ok(SignIn::Done(user, cookie))
}

/// Opens a session for a user whose sign-in is complete; answers its `Set-Cookie`.
pub async fn start_session(
    state: &AppState,
    user: &User,
    origin: &SessionOrigin,
) -> Result<HeaderValue, AppError> {
    let now = Utc::now();
    let token = random_hex(32);
    state
        .store
        .create_session(
            &crate::services::tokens::hash_token(&token),
            user.id,
            &random_hex(32),
            origin,
            now,
            now + Duration::days(SESSION_DAYS),
        )
        .await?;
    audit::record(
        state,
        &Who::new(format!("user:{}", user.email), &origin.ip),
        AuditAction::SignedIn,
        &user.email,
        &origin.user_agent,
    )
    .await;
    Ok(session_cookie(state, &token, Duration::days(SESSION_DAYS)))
}

/// A hash of a random password, checked when an account does not exist so that a wrong
/// email takes as long to refuse as a wrong password.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password(&random_hex(16)).unwrap_or_default());

/// Ends a session; answers the `Set-Cookie` that clears the cookie.
pub async fn log_out(state: &AppState, staff: &Staff) -> Result<HeaderValue, AppError> {
    state.store.delete_session(&staff.session_hash).await?;
    audit::record(
        state,
        &staff.who(),
        AuditAction::SignedOut,
        &staff.user.email,
        "",
    )
    .await;
    Ok(session_cookie(state, "", Duration::zero()))
}

/// A signed-in member of the newsroom.
pub struct Staff {
    pub user: User,
    pub csrf: String,
    pub(crate) session_hash: String,
    /// The address the request came from.
    pub ip: String,
}

impl Staff {
    pub fn actor(&self) -> String {
        format!("user:{}", self.user.email)
    }

    /// Who this is, for the audit log.
    pub fn who(&self) -> Who {
        Who::new(self.actor(), &self.ip)
    }

    /// The session's hash, for ending every other session at a password change.
    pub fn session_hash(&self) -> &str {
        &self.session_hash
    }

    /// Checks the CSRF token a form sent back.
    pub fn check_csrf(&self, sent: &str) -> Result<(), AppError> {
        if crate::services::readers::same_secret(sent, &self.csrf) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "this form has expired or did not come from our page; reload it and try again"
                    .into(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_counted_by_their_subscriber() {
        assert_eq!(address_key("203.0.113.9"), "203.0.113.9");
        assert_eq!(
            address_key("::ffff:203.0.113.9"),
            "203.0.113.9",
            "IPv4 on a dual-stack listener"
        );
        assert_eq!(address_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(
            address_key("2001:db8:1:2:bbbb::9"),
            address_key("2001:db8:1:2::1")
        );
    }

    #[test]
    fn a_password_verifies_against_its_argon2id_hash_only() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterx", &h));
        assert!(!verify_password("x", "not a hash"));
    }
}
