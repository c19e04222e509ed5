//! What every debate write checks before it is taken, on the site and over the API alike:
//! the sender's origin and standing, the story and whether it takes comments, the form's
//! stamp and honeypot, and the rate limits.

use crate::http::error::AppError;
use crate::http::origin::same_origin;
use crate::http::visitor::Visitor;
use crate::services::readers::{StampProblem, STAMP_LIFETIME_SECS};
use crate::state::AppState;
use axum::http::{header, HeaderMap};
use chrono::Utc;
use newsdesk_core::{Article, Conflict, ReaderId, StoreError};
use serde::Deserialize;

/// Refuses cross-site forms and banned readers (by their cookie or address) for every debate
/// write; comments are also checked against email bans when posted.
pub fn gate(state: &AppState, headers: &HeaderMap, visitor: &Visitor) -> Result<(), AppError> {
    same_origin(headers)?;
    let anonymous = ReaderId(String::new());
    let reader = visitor.reader.as_ref().unwrap_or(&anonymous);
    match state
        .standing
        .get()
        .banned(reader, None, &visitor.ip, Utc::now())
    {
        Some(why) => Err(AppError::Forbidden(why)),
        None => Ok(()),
    }
}

/// Refuses writes to a conversation that is closed.
pub fn open_for(state: &AppState, article: &Article) -> Result<(), AppError> {
    state
        .debate()
        .mode(article, Utc::now(), &state.standing.get().modes)
        .map(|_| ())
        .map_err(AppError::Forbidden)
}

/// Applies the rate limits; called just before a write, so refused attempts do not count.
pub fn limit(state: &AppState, visitor: &Visitor) -> Result<(), AppError> {
    state
        .limits
        .check(&visitor.ip, visitor.reader.as_ref())
        .map_err(AppError::TooManyRequests)
}

/// A story readers can see, or the reason there is none.
pub async fn live_article(state: &AppState, slug: &str) -> Result<Article, AppError> {
    let now = Utc::now();
    match state.store.find_article(slug).await? {
        Some(a) if a.is_live(now) => Ok(a),
        Some(a) if a.status == newsdesk_core::ArticleStatus::Unpublished => {
            Err(AppError::Gone("this story has been withdrawn".into()))
        }
        _ => Err(AppError::NotFound(
            "there is no story at this address".into(),
        )),
    }
}

/// Checks a form's stamp (it came from our page, to this reader, long enough ago) and
/// its honeypot; the error names the field.
pub fn check_guard(state: &AppState, guard: &Guard, visitor: &Visitor) -> Result<(), AppError> {
    if !guard.homepage.is_empty() {
        return Err(AppError::invalid(
            "homepage",
            "must be left empty (it is there to catch robots)",
        ));
    }
    let now = Utc::now().timestamp();
    let min = state.config.comment_min_seconds;
    let mine = state
        .readers
        .check_stamp(&guard.stamp, visitor.reader.as_ref(), now, min);
    // A page opened before this reader's first post (another tab) carries a stamp made for no
    // reader; it still proves the form came from our page.
    let result = match (&mine, &visitor.reader) {
        (Err(StampProblem::Forged), Some(_)) => {
            state.readers.check_stamp(&guard.stamp, None, now, min)
        }
        _ => mine,
    };
    result.map_err(|p| AppError::invalid("form", p.message()))
}

/// What a report, a vote or a poll answer checks beyond every debate write, so that each
/// counts a person and not a request: a reader who has been on the site before (their cookie
/// came with the request; none is made for it), a stamp made for that very reader and spent
/// here once, and for reports the address's hourly allowance. Answers the reader.
pub async fn counted(
    state: &AppState,
    visitor: &Visitor,
    stamp: &str,
    report: bool,
) -> Result<ReaderId, AppError> {
    let Some(reader) = visitor.reader.clone() else {
        return Err(AppError::invalid(
            "stamp",
            "reports, votes and poll answers are taken from readers who have been on the site \
             before: open the story, or ask for a stamp at POST /stamp first",
        ));
    };
    let now = Utc::now().timestamp();
    state
        .readers
        .check_stamp(stamp, Some(&reader), now, state.config.comment_min_seconds)
        .map_err(|p| AppError::invalid("stamp", p.message()))?;
    if report {
        state
            .limits
            .check_report(&visitor.ip)
            .map_err(AppError::TooManyRequests)?;
    }
    let until = Utc::now() + chrono::Duration::seconds(STAMP_LIFETIME_SECS + 60);
    // Kept by its signature: 64 hex digits whatever was sent, and the same for one stamp.
    let key = stamp.rsplit('.').next().unwrap_or(stamp);
    match state.store.spend_stamp(key, until).await {
        Ok(()) => Ok(reader),
        Err(StoreError::Conflict(Conflict::StampSpent)) => Err(AppError::Conflict(
            "this form was sent already; reload the page to send another".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// The stamp and honeypot every debate form carries.
#[derive(Debug, Default, Deserialize)]
pub struct Guard {
    #[serde(default)]
    pub stamp: String,
    /// Hidden from people; a bot that fills it in gives itself away.
    #[serde(default)]
    pub homepage: String,
}

/// A comment id from the address; anything else is a missing comment.
pub fn comment_id(raw: &str) -> Result<newsdesk_core::CommentId, AppError> {
    raw.parse::<i64>()
        .map(newsdesk_core::CommentId)
        .map_err(|_| AppError::NotFound("there is no such comment on this story".into()))
}

/// What every form on a comment checks first: the story, the sender, the stamp.
pub async fn admit(
    state: &AppState,
    slug: &str,
    headers: &HeaderMap,
    visitor: &Visitor,
    guard: &Guard,
) -> Result<newsdesk_core::Article, AppError> {
    let article = live_article(state, slug).await?;
    gate(state, headers, visitor)?;
    open_for(state, &article)?;
    check_guard(state, guard, visitor)?;
    limit(state, visitor)?;
    Ok(article)
}

/// What every API write of the debate checks first: a JSON body (so a form on another site
/// cannot send one), the sender's origin and rate limits, and the story.
pub async fn admit_json(
    state: &AppState,
    slug: &str,
    headers: &HeaderMap,
    visitor: &Visitor,
) -> Result<Article, AppError> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json {
        return Err(AppError::UnsupportedMediaType(
            "send the body as JSON with 'Content-Type: application/json'".into(),
        ));
    }
    gate(state, headers, visitor)?;
    let article = live_article(state, slug).await?;
    open_for(state, &article)?;
    limit(state, visitor)?;
    Ok(article)
}
