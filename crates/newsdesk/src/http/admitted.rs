//! Extractors for debate writes that run the whole admission first: the body read (a form or
//! JSON), then the story, the sender's origin and standing, whether the story takes comments,
//! the form's stamp and the rate limits (`services::debate::admission`). A handler that takes
//! one starts with an admitted write.

use super::error::AppError;
use super::extract::{wants_json, ApiJson, HtmlForm};
use super::visitor::Visitor;
use crate::services::debate::admission::{admit, admit_json, Guard};
use crate::state::AppState;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use newsdesk_core::Article;
use serde::de::DeserializeOwned;
use std::collections::HashMap;

/// A form that carries the stamp and honeypot of every debate form.
pub trait Guarded {
    fn guard(&self) -> &Guard;
}

impl Guarded for Guard {
    fn guard(&self) -> &Guard {
        self
    }
}

/// A debate write from the site's forms, past admission.
pub struct AdmittedForm<T> {
    pub article: Article,
    pub visitor: Visitor,
    /// The page's script sent it and wants JSON back.
    pub json: bool,
    pub fields: T,
}

/// A debate write over the API, past admission.
pub struct AdmittedJson<T> {
    pub article: Article,
    pub visitor: Visitor,
    pub input: T,
}

/// The story's slug from the address (`{slug}` in the route).
async fn slug_of(parts: &mut axum::http::request::Parts, state: &AppState) -> String {
    Path::<HashMap<String, String>>::from_request_parts(parts, state)
        .await
        .ok()
        .and_then(|Path(mut p)| p.remove("slug"))
        .unwrap_or_default()
}

impl<T: DeserializeOwned + Guarded + Send> FromRequest<AppState> for AdmittedForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let (mut parts, body) = req.into_parts();
        let Ok(visitor) = Visitor::from_request_parts(&mut parts, state).await;
        let slug = slug_of(&mut parts, state).await;
        let headers = parts.headers.clone();
        let HtmlForm(fields) =
            HtmlForm::<T>::from_request(Request::from_parts(parts, body), state).await?;
        let article = admit(state, &slug, &headers, &visitor, fields.guard()).await?;
        Ok(AdmittedForm {
            article,
            visitor,
            json: wants_json(&headers),
            fields,
        })
    }
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for AdmittedJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let (mut parts, body) = req.into_parts();
        let Ok(visitor) = Visitor::from_request_parts(&mut parts, state).await;
        let slug = slug_of(&mut parts, state).await;
        let headers = parts.headers.clone();
        let ApiJson(input) =
            ApiJson::<T>::from_request(Request::from_parts(parts, body), state).await?;
        let article = admit_json(state, &slug, &headers, &visitor).await?;
        Ok(AdmittedJson {
            article,
            visitor,
            input,
        })
    }
}
