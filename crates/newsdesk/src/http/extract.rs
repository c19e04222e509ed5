//! Reading request bodies: the API's JSON (400 for malformed JSON, 422 naming the field for a
//! value of the wrong kind, 413 past the size limit) and the HTML forms of the site and the
//! newsroom, refused with the same named-field errors.

use crate::http::error::AppError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
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

/// A picture's bytes: held to the picture limit, not the general body limit, so that a photo
/// straight from a phone is taken.
pub struct PictureBody(pub Bytes);

impl FromRequest<AppState> for PictureBody {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let limit = state.config.pictures.max_bytes;
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit as u64) {
            return Err(AppError::PayloadTooLarge(limit));
        }
        let bytes = axum::body::to_bytes(req.into_body(), limit)
            .await
            .map_err(|_| AppError::PayloadTooLarge(limit))?;
        if bytes.is_empty() {
            return Err(AppError::invalid(
                "body",
                "is empty; send the picture's bytes",
            ));
        }
        Ok(PictureBody(bytes))
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
    let mut value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| AppError::BadRequest(format!("the body is not valid JSON: {e}")))?;
    whole_numbers(&mut value);
    serde_path_to_error::deserialize(value).map_err(|e| {
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

/// JSON does not tell `2` from `2.0`, and JSON Schema counts both as integers: a whole number
/// written with a fraction is read as the integer it is (an id or a count), never refused.
fn whole_numbers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| n.is_f64()) {
                if f.fract() == 0.0 && f.abs() < 9.0e15 {
                    *n = serde_json::Number::from(f as i64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

/// A posted HTML form (`application/x-www-form-urlencoded`) read into `T`; repeated names
/// fill a `Vec`. A value of the wrong kind is refused naming its field, like the API.
pub struct HtmlForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for HtmlForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        form_bytes(req, state)
            .await
            .and_then(|b| parse_form(&b))
            .map(HtmlForm)
    }
}

/// A form's body, refused unless it is sent as one.
pub async fn form_bytes(req: Request, state: &AppState) -> Result<Bytes, AppError> {
    let urlencoded = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !urlencoded {
        return Err(AppError::UnsupportedMediaType(
            "send the form as 'application/x-www-form-urlencoded'".into(),
        ));
    }
    ApiBytes::from_request(req, state)
        .await
        .map(|ApiBytes(b)| b)
}

pub fn parse_form<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let de = serde_html_form::Deserializer::from_bytes(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        let field = match message.strip_prefix("missing field `") {
            Some(missing) => missing.split('`').next().unwrap_or("form").to_string(),
            None if path == "." => "form".to_string(),
            None => path,
        };
        AppError::invalid(&field, message)
    })
}

/// A query string read into `T`; one that cannot be read at all is a 400 saying why. Values
/// are usually read as text into `T` and checked by the handler, so a bad one is named.
pub struct Params<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for Params<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| Params(q))
            .map_err(|e| {
                AppError::BadRequest(format!(
                    "the query string is not understood: {}",
                    e.body_text()
                ))
            })
    }
}

/// The parts of an API address read into `T`; one that cannot be read (an id past the
/// largest whole number, bytes that are not UTF-8) is a 400 in the API's JSON, naming the
/// address.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for ApiPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(p)| ApiPath(p))
            .map_err(|e| {
                AppError::BadRequest(format!("the address is not understood: {}", e.body_text()))
            })
    }
}

/// The site's forms send their empty fields; a client of the API sends what it means, so an
/// empty date, number or order there is a mistake to name.
pub fn refuse_empty(fields: &[(&'static str, &Option<String>)]) -> Result<(), AppError> {
    match fields
        .iter()
        .find(|(_, v)| v.as_deref().is_some_and(|v| v.trim().is_empty()))
    {
        Some((field, _)) => Err(AppError::invalid(
            field,
            "is empty: leave it out or give a value",
        )),
        None => Ok(()),
    }
}

/// Whether the page's script sent the request and wants JSON back.
pub fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
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

    #[derive(Debug, serde::Deserialize)]
    struct Picked {
        #[serde(default)]
        ids: Vec<i64>,
        action: String,
    }

    #[test]
    fn a_form_with_repeated_names_fills_a_list() {
        let p: Picked = parse_form(b"ids=3&ids=5&action=approve").unwrap();
        assert_eq!(p.ids, vec![3, 5]);
        assert_eq!(p.action, "approve");
    }

    #[test]
    fn a_form_value_of_the_wrong_kind_or_a_missing_field_is_named() {
        for (body, field) in [(&b"ids=x&action=a"[..], "ids[0]"), (b"ids=1", "action")] {
            match parse_form::<Picked>(body) {
                Err(AppError::Invalid(f)) => assert!(f.0.contains_key(field), "{:?}", f.0),
                other => panic!("expected a validation error, got {:?}", other.err()),
            }
        }
    }
}
