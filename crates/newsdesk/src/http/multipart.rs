//! Forms that carry files (`multipart/form-data`): the files are kept aside and the other
//! fields re-read as an ordinary form, so every form is checked and parsed one way.

use crate::http::error::AppError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::Request;
use axum::http::header;

/// A file sent with a form; an empty file field (nothing chosen) is left out.
#[derive(Debug, Clone)]
pub struct FormFile {
    pub field: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Bytes,
}

pub fn is_multipart(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"))
}

/// Reads a multipart form: its text fields as a URL-encoded body, and its files. The whole
/// body is held to the picture limit plus the general one.
pub async fn read(req: Request, state: &AppState) -> Result<(Vec<u8>, Vec<FormFile>), AppError> {
    let limit = state.config.pictures.max_bytes + state.config.max_body_bytes;
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(AppError::PayloadTooLarge(limit));
    }
    let boundary = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok())
        .ok_or_else(|| AppError::BadRequest("the form has no multipart boundary".into()))?;
    let constraints =
        multer::Constraints::new().size_limit(multer::SizeLimit::new().whole_stream(limit as u64));
    let mut form = multer::Multipart::with_constraints(
        req.into_body().into_data_stream(),
        boundary,
        constraints,
    );
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut files = Vec::new();
    let mut text_bytes = 0usize;
    let unreadable = |e: multer::Error| match e {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            AppError::PayloadTooLarge(limit)
        }
        other => AppError::BadRequest(format!("the form could not be read: {other}")),
    };
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let content_type = field.content_type().cloned();
        let content_type = content_type.map(|m| m.to_string());
        let bytes = field.bytes().await.map_err(unreadable)?;
        if file_name.is_some() {
            if !bytes.is_empty() {
                files.push(FormFile {
                    field: name,
                    file_name,
                    content_type,
                    bytes,
                });
            }
        } else {
            text_bytes += bytes.len();
            if text_bytes > state.config.max_body_bytes {
                return Err(AppError::PayloadTooLarge(state.config.max_body_bytes));
            }
            let value = String::from_utf8(bytes.to_vec())
                .map_err(|_| AppError::invalid(&name, "is not UTF-8 text"))?;
            pairs.push((name, value));
        }
    }
    let text = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    Ok((text.into_bytes(), files))
}
