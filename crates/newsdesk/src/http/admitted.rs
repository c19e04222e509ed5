//! Extractors for debate writes that run the whole admission first: the body read (a form or
//! JSON), then the story, the sender's origin and standing, whether the story takes comments,
//! the form's stamp and the rate limits (`services::debate::admission`). A handler that takes
//! one starts with an admitted write.

use super::error::AppError;
use super::extract::{form_bytes, parse_form, wants_json, ApiJson};
use super::visitor::Visitor;
use crate::services::debate::admission::{admit, admit_json, Guard};
use crate::state::AppState;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use newsdesk_core::Article;
use serde::de::DeserializeOwned;
use std::collections::HashMap;

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

impl<T> AdmittedForm<T> {
    /// The story, the sender, whether they want JSON, and the form's own fields.
    pub fn into_parts(self) -> (Article, Visitor, bool, T) {
        (self.article, self.visitor, self.json, self.fields)
    }
}

impl<T> AdmittedJson<T> {
    /// The story, the sender and the body.
    pub fn into_parts(self) -> (Article, Visitor, T) {
        (self.article, self.visitor, self.input)
    }
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for AdmittedForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let (mut parts, body) = req.into_parts();
        let Ok(visitor) = Visitor::from_request_parts(&mut parts, state).await;
        let slug = slug_of(&mut parts, state).await;
        let headers = parts.headers.clone();
        // Every debate form carries the stamp and honeypot beside its own fields.
        let bytes = form_bytes(Request::from_parts(parts, body), state).await?;
        let guard: Guard = parse_form(&bytes)?;
        let fields = parse_form(&bytes)?;
        let article = admit(state, &slug, &headers, &visitor, &guard).await?;
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
