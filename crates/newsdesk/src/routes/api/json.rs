//! The API's JSON body extractor: 400 for malformed JSON, 422 naming the field for a value of
//! the wrong kind, 413 past the size limit.

use crate::error::AppError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

pub struct ApiJson<T>(pub T);

/// A raw body within the size limit, with the API's JSON errors.
pub struct ApiBytes(pub Bytes);

impl FromRequest<AppState> for ApiBytes {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let limit = state.config.max_body_bytes;
        Bytes::from_request(req, state)
            .await
            .map(ApiBytes)
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::PayloadTooLarge(limit)
                } else {
                    AppError::BadRequest(format!("the request body could not be read: {rejection}"))
                }
            })
    }
}

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let ApiBytes(bytes) = ApiBytes::from_request(req, state).await?;
        parse(&bytes).map(ApiJson)
    }
}

pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let message = inner.to_string();
                let message = message
                    .split(" at line ")
                    .next()
                    .unwrap_or(&message)
                    .to_string();
                let field = if let Some(unknown) = message.strip_prefix("unknown field `") {
                    unknown.split('`').next().unwrap_or("").to_string()
                } else if path == "." {
                    "body".to_string()
                } else {
                    path
                };
                AppError::invalid(&field, message)
            }
            _ => AppError::BadRequest(format!("the body is not valid JSON: {inner}")),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsdesk_core::ArticleInput;

    fn field_of(body: &str) -> String {
        match parse::<ArticleInput>(body.as_bytes()) {
            Err(AppError::Invalid(f)) => f.0.keys().next().unwrap().clone(),
            other => panic!("expected a validation error, got {:?}", other.err()),
        }
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        assert!(matches!(
            parse::<ArticleInput>(b"{\"headline\": "),
            Err(AppError::BadRequest(_))
        ));
    }

    #[test]
    fn a_value_of_the_wrong_kind_names_its_path() {
        assert_eq!(field_of(r#"{"tags": [1]}"#), "tags[0]");
        assert_eq!(field_of(r#"{"status": "live"}"#), "status");
    }

    #[test]
    fn an_unknown_field_is_named() {
        assert_eq!(field_of(r#"{"headlin": "x"}"#), "headlin");
    }
}
