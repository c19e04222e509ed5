//! `/media/…`: kept pictures and their variants, read from the database so every node serves
//! every one, and older files from the data folder.

use crate::http::error::AppError;
use crate::services::pictures::view::parse_media_name;
use crate::state::AppState;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower::ServiceExt;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/share-card.png", get(share_card))
        .route(
            "/media/{file}",
            get(media_file).layer(
                tower::ServiceBuilder::new()
                    // Stored files are shown, never run: an uploaded SVG cannot script the site.
                    .layer(SetResponseHeaderLayer::overriding(
                        header::CONTENT_SECURITY_POLICY,
                        HeaderValue::from_static(
                            "default-src 'none'; style-src 'unsafe-inline'; sandbox",
                        ),
                    ))
                    .layer(SetResponseHeaderLayer::if_not_present(
                        header::CACHE_CONTROL,
                        HeaderValue::from_static("public, max-age=86400"),
                    )),
            ),
        )
}

/// A picture's bytes never change under its address: caches may keep them for a year.
const FOREVER: &str = "public, max-age=31536000, immutable";

pub async fn media_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
    req: Request,
) -> Result<Response, AppError> {
    let Some((name, width, format)) = parse_media_name(&file) else {
        let dir = ServeDir::new(state.config.data_dir.join("media"));
        let mut req = req;
        *req.uri_mut() = format!("/{file}")
            .parse()
            .map_err(|_| AppError::NotFound("no such file".into()))?;
        let res = dir.oneshot(req).await.map_err(anyhow::Error::from)?;
        return Ok(res.into_response());
    };
    let etag = format!("\"{file}\"");
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let (bytes, cache) = match state.store.picture_bytes(&name, width, format).await? {
        Some(b) => (b, FOREVER),
        // A variant not made yet: the picture itself stands in, briefly.
        None if width.is_some() => {
            let Some(p) = state.store.picture(&name).await? else {
                return Err(AppError::NotFound(format!("no picture is named {name}")));
            };
            let Some(b) = state.store.picture_bytes(&name, None, p.format).await? else {
                return Err(AppError::NotFound(format!("no picture is named {name}")));
            };
            return Ok(answer(b, p.format.mime(), "public, max-age=30", None));
        }
        None => return Err(AppError::NotFound(format!("no picture is named {file}"))),
    };
    if fresh {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag),
                (header::CACHE_CONTROL, FOREVER.into()),
            ],
        )
            .into_response());
    }
    Ok(answer(bytes, format.mime(), cache, Some(etag)))
}

fn answer(
    bytes: Vec<u8>,
    mime: &'static str,
    cache: &'static str,
    etag: Option<String>,
) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Some(tag) = etag.and_then(|t| HeaderValue::from_str(&t).ok()) {
        h.insert(header::ETAG, tag);
    }
    res
}

#[derive(serde::Deserialize)]
pub struct CardQuery {
    #[serde(default)]
    v: String,
}

/// The sharing card made from the site's name; its address carries the name's fingerprint,
/// and an address for another name is not answered (no cache keeps a wrong card under it).
pub async fn share_card(
    State(state): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<CardQuery>,
) -> Response {
    let name = state.site_name();
    if q.v != crate::services::settings::card::version(&name) {
        return AppError::NotFound("no card has that version; see the story's og:image".into())
            .into_response();
    }
    let png = tokio::task::spawn_blocking(move || crate::services::settings::card::for_name(&name))
        .await
        .unwrap_or_default();
    answer(png, "image/png", "public, max-age=86400", None)
}
