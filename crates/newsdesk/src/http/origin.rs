//! Refusing forms and writes sent from another site's pages.

use crate::http::error::AppError;
use axum::http::{header, HeaderMap};

/// Refuses a form sent from another site: the browser says so in `Sec-Fetch-Site` or in an
/// `Origin` that is not this host.
pub fn same_origin(headers: &HeaderMap) -> Result<(), AppError> {
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_host = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|o| *o != "null")
        .map(|o| o.split_once("://").map_or(o, |(_, rest)| rest));
    let foreign_origin = match (origin_host, host) {
        (Some(o), Some(h)) => !o.eq_ignore_ascii_case(h),
        _ => false,
    };
    if fetch_site == Some("cross-site") || foreign_origin {
        return Err(AppError::Forbidden(
            "forms can only be sent from this site's own pages".into(),
        ));
    }
    Ok(())
}
