//! The site's own stylesheet, script and icon, each compressed once for the life of the
//! process.

use crate::http::representation::{whole_seconds, Representation};
use crate::render::assets::{CSS, ICON, JS};
use crate::state::AppState;
use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use std::sync::LazyLock;
use std::time::SystemTime;

struct Asset {
    content_type: HeaderValue,
    body: Representation,
}

impl Asset {
    fn new(content_type: &'static str, body: &'static str) -> Asset {
        let content_type = HeaderValue::from_static(content_type);
        Asset {
            body: Representation::new(Bytes::from_static(body.as_bytes()), Some(&content_type)),
            content_type,
        }
    }
}

static STYLES: LazyLock<Asset> = LazyLock::new(|| Asset::new("text/css; charset=utf-8", CSS));
static SCRIPT: LazyLock<Asset> = LazyLock::new(|| Asset::new("text/javascript; charset=utf-8", JS));
static FAVICON: LazyLock<Asset> = LazyLock::new(|| Asset::new("image/svg+xml", ICON));
/// The files are built into the binary: they last changed when this process started.
static STARTED: LazyLock<SystemTime> = LazyLock::new(|| whole_seconds(SystemTime::now()));

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/static/site.css",
            get(|h: HeaderMap| async move { serve(&STYLES, &h) }),
        )
        .route(
            "/static/site.js",
            get(|h: HeaderMap| async move { serve(&SCRIPT, &h) }),
        )
        .route(
            "/static/favicon.svg",
            get(|h: HeaderMap| async move { serve(&FAVICON, &h) }),
        )
        .route(
            "/favicon.ico",
            get(|h: HeaderMap| async move { serve(&FAVICON, &h) }),
        )
}

fn serve(asset: &Asset, asked: &HeaderMap) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, asset.content_type.clone());
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    asset.body.answer(asked, headers, Some(*STARTED))
}
