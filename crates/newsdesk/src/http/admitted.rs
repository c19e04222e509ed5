//! Extractors for debate writes that run the whole admission first: the body read (a form or
//! JSON), then the story, the sender's origin and standing, whether the story takes comments,
//! the form's stamp and the rate limits (`services::debate::admission`). A handler that takes
//! one starts with an admitted write. Reports, votes and poll answers take a counted one,
//! which also needs a reader with a history here and spends the form's stamp.

use super::error::AppError;
use super::extract::{form_bytes, parse_form, wants_json, ApiJson};
use super::visitor::Visitor;
use crate::services::debate::admission::{admit, admit_json, counted, Guard};
use crate::services::limits::address_key;
use crate::state::AppState;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use newsdesk_core::{Article, ReaderId};
use serde::de::DeserializeOwned;
use std::collections::HashMap;

/// A debate write from the site's forms, past admission.
pub struct AdmittedForm<T> {
    pub article: Article,
    pub visitor: Visitor,
    /// The page's script sent it and wants JSON back.
    pub json: bool,
    pub fields: T,
    /// The form's stamp, checked.
    pub stamp: String,
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
            stamp: guard.stamp,
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

/// A body that carries the form stamp a counted write spends.
pub trait Stamped {
    fn stamp(&self) -> &str;
}

/// A report, a vote or a poll answer from the site's forms: admitted, then counted
/// (`services::debate::admission::counted`); `REPORT` adds the address's report allowance.
pub struct CountedForm<T, const REPORT: bool = false> {
    pub article: Article,
    pub reader: ReaderId,
    /// The sender's address as limits count it (an IPv6 /64 as one).
    pub address: String,
    pub json: bool,
    pub fields: T,
}

/// The same over the API; the stamp comes in the body (from `POST /stamp`).
pub struct CountedJson<T, const REPORT: bool = false> {
    pub article: Article,
    pub reader: ReaderId,
    /// The sender's address as limits count it (an IPv6 /64 as one).
    pub address: String,
    pub input: T,
}

impl<T: DeserializeOwned + Send, const REPORT: bool> FromRequest<AppState>
    for CountedForm<T, REPORT>
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let form = AdmittedForm::<T>::from_request(req, state).await?;
        let reader = counted(state, &form.visitor, &form.stamp, REPORT).await?;
        Ok(CountedForm {
            article: form.article,
            reader,
            address: address_key(&form.visitor.ip),
            json: form.json,
            fields: form.fields,
        })
    }
}

impl<T: DeserializeOwned + Send + Stamped, const REPORT: bool> FromRequest<AppState>
    for CountedJson<T, REPORT>
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let write = AdmittedJson::<T>::from_request(req, state).await?;
        let reader = counted(state, &write.visitor, write.input.stamp(), REPORT).await?;
        Ok(CountedJson {
            article: write.article,
            reader,
            address: address_key(&write.visitor.ip),
            input: write.input,
        })
    }
}
