//! One error type for every handler. Clients get a status and a clear message; internal
//! failures are logged once, here, and never shown. The answer is JSON; on the site's and the
//! newsroom's routes `error_page` turns it into a page with the site's layout.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use newsdesk_core::discussion::DiscussionError;
use newsdesk_core::newsroom::NewsroomError;
use newsdesk_core::{FieldErrors, StoreError};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// A condition the client set (`If-Match`) does not hold.
    #[error("{0}")]
    PreconditionFailed(String),
    #[error("the request body is larger than the limit of {0} bytes")]
    PayloadTooLarge(usize),
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// Too many writes: the client should wait this many seconds.
    #[error("too many requests; please wait {} and try again", seconds(*.0))]
    TooManyRequests(u64),
    #[error("{0}")]
    Gone(String),
    /// The storage cannot take it now (a full disk, a database restarting): try again in
    /// this many seconds. Nothing was written.
    #[error("we cannot take this just now; nothing was saved: please try again in {}", seconds(*.0))]
    Unavailable(u64),
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

/// The JSON every API error answers with.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A short machine-readable kind, such as `validation`.
    pub error: &'static str,
    pub message: String,
    /// For validation errors: each field at fault and what is wrong with it.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Gone(_) => StatusCode::GONE,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            AppError::BadRequest(_) => "bad_request",
            AppError::Unauthorized(_) => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::MethodNotAllowed(_) => "method_not_allowed",
            AppError::Conflict(_) => "conflict",
            AppError::PayloadTooLarge(_) => "payload_too_large",
            AppError::UnsupportedMediaType(_) => "unsupported_media_type",
            AppError::PreconditionFailed(_) => "precondition_failed",
            AppError::Invalid(_) => "validation",
            AppError::TooManyRequests(_) => "rate_limited",
            AppError::Gone(_) => "gone",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    /// What a client is told; internal details stay in the log.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Invalid(fields) => {
                let names: Vec<&str> = fields.0.keys().map(String::as_str).collect();
                format!("invalid input in {}", names.join(", "))
            }
            AppError::Internal(_) => "something went wrong on our side; it has been logged".into(),
            other => other.to_string(),
        }
    }

    pub fn body(&self) -> ErrorBody {
        let fields = match self {
            AppError::Invalid(f) => f.0.iter().map(|(k, v)| (k.clone(), v.join("; "))).collect(),
            _ => BTreeMap::new(),
        };
        ErrorBody {
            error: self.kind(),
            message: self.public_message(),
            fields,
        }
    }

    pub fn log(&self) {
        if let AppError::Internal(e) = self {
            tracing::error!(error = ?e, "request failed");
        }
    }

    /// How long a client is asked to wait when the storage cannot take a request.
    pub const UNAVAILABLE_RETRY_SECS: u64 = 5;

    /// Tells a rate-limited client, or one the storage could not serve, when to come back.
    pub fn add_retry_after(&self, response: &mut Response) {
        if let AppError::TooManyRequests(secs) | AppError::Unavailable(secs) = self {
            if let Ok(v) = header::HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        let mut f = FieldErrors::default();
        f.add(field, message);
        AppError::Invalid(f)
    }
}

/// What an error answer said, kept on the response so `error_page` can show it as a page.
#[derive(Debug, Clone)]
pub struct ShownError {
    /// The message for a reader: each field at fault with what is wrong with it, for
    /// validation errors.
    pub message: String,
}

impl AppError {
    /// The message as a page shows it: field by field for invalid input.
    pub fn page_message(&self) -> String {
        match self {
            AppError::Invalid(f) => {
                f.0.iter()
                    .map(|(k, v)| format!("{k} {}", v.join("; ")))
                    .collect::<Vec<_>>()
                    .join(". ")
            }
            other => other.public_message(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let mut response = (self.status(), axum::Json(self.body())).into_response();
        response.extensions_mut().insert(ShownError {
            message: self.page_message(),
        });
        if matches!(self, AppError::Unauthorized(_)) {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        self.add_retry_after(&mut response);
        response
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound("not found".into()),
            StoreError::Conflict(what) => AppError::Conflict(format!("{what} is already taken")),
            StoreError::Stale => AppError::Conflict(
                "the story was changed by someone else; read it again and retry".into(),
            ),
            StoreError::Unavailable(msg) => {
                // Logged once here: an operator must see a full disk or a lost database.
                tracing::warn!(error = %msg, "the storage cannot take requests just now");
                AppError::Unavailable(AppError::UNAVAILABLE_RETRY_SECS)
            }
            StoreError::Internal(msg) => AppError::Internal(anyhow::anyhow!(msg)),
        }
    }
}

fn seconds(n: u64) -> String {
    if n == 1 {
        "a second".into()
    } else {
        format!("{n} seconds")
    }
}

impl From<DiscussionError> for AppError {
    fn from(e: DiscussionError) -> Self {
        match e {
            DiscussionError::Invalid(f) => AppError::Invalid(f),
            DiscussionError::Closed(m) => AppError::Forbidden(m),
            DiscussionError::NotFound(m) => AppError::NotFound(m),
            DiscussionError::Forbidden(m) => AppError::Forbidden(m),
            DiscussionError::Already(what) => AppError::Conflict(what),
            DiscussionError::Store(s) => s.into(),
        }
    }
}

impl From<NewsroomError> for AppError {
    fn from(e: NewsroomError) -> Self {
        match e {
            NewsroomError::Invalid(v) => AppError::Invalid(v.0),
            NewsroomError::Forbidden(m) => AppError::Forbidden(m),
            NewsroomError::NotFound => AppError::NotFound("no story has that slug".into()),
            stale @ NewsroomError::Stale { .. } => AppError::PreconditionFailed(format!(
                "{stale}: read it again, then make your change to the new version"
            )),
            NewsroomError::Store(s) => s.into(),
        }
    }
}
