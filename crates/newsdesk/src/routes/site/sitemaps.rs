//! `/sitemap.xml`, the news sitemap of the last 48 hours, and `/robots.txt` pointing to both.

use crate::http::error::AppError;
use crate::services::links::article_path;
use crate::services::page_keys::{self, Keys};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, SecondsFormat, Utc};
use newsdesk_core::{ArticleFilter, PageRequest};
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

/// The most URLs one sitemap file may hold; a larger site needs a sitemap index.
const MAX_URLS: i64 = 50_000;
const NEWS_MAX: i64 = 1_000;

type Xml = Writer<Vec<u8>>;

fn open(w: &mut Xml, name: &str, attrs: &[(&str, &str)]) {
    let mut start = BytesStart::new(name);
    for a in attrs {
        start.push_attribute(*a);
    }
    w.write_event(Event::Start(start))
        .expect("writing to memory");
}

fn close(w: &mut Xml, name: &str) {
    w.write_event(Event::End(BytesEnd::new(name)))
        .expect("writing to memory");
}

fn element(w: &mut Xml, name: &str, text: &str) {
    open(w, name, &[]);
    w.write_event(Event::Text(BytesText::new(text)))
        .expect("writing to memory");
    close(w, name);
}

fn xml_response(w: Xml) -> Response {
    let mut keys = Keys::new();
    keys.add_plain(page_keys::SITEMAPS);
    keys.on((
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        w.into_inner(),
    )
        .into_response())
}

fn begin(attrs: &[(&str, &str)]) -> Xml {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .expect("writing to memory");
    open(&mut w, "urlset", attrs);
    w
}

fn url(w: &mut Xml, loc: String, lastmod: Option<chrono::DateTime<Utc>>) {
    open(w, "url", &[]);
    element(w, "loc", &loc);
    if let Some(t) = lastmod {
        element(w, "lastmod", &t.to_rfc3339_opts(SecondsFormat::Secs, true));
    }
    close(w, "url");
}

const SITEMAP_NS: (&str, &str) = ("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9");

/// `/sitemap.xml`: every address in one file while they fit, else an index of files.
pub async fn sitemap(State(state): State<AppState>) -> Result<Response, AppError> {
    let now = Utc::now();
    let live = ArticleFilter {
        live_only: true,
        ..Default::default()
    };
    let newest = state
        .store
        .list_articles(&live, PageRequest::page(1, 1), now)
        .await?;
    let sections = state.sections.get(state.store.as_ref(), now).await?;
    let per_file = state.config.sitemap_urls.clamp(1, MAX_URLS);
    let lastmod = newest.items.first().map(|a| a.updated_at);
    // The front page, each section and each story: one address each.
    if newest.total + (sections.len() as i64) < per_file {
        let mut w = begin(&[SITEMAP_NS]);
        pages(&state, &mut w, &sections, lastmod);
        stories(&state, &mut w, 0, per_file, now).await?;
        close(&mut w, "urlset");
        return Ok(xml_response(w));
    }
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .expect("writing to memory");
    open(&mut w, "sitemapindex", &[SITEMAP_NS]);
    let files = (newest.total + per_file - 1) / per_file;
    let names = std::iter::once("pages.xml".to_string())
        .chain((1..=files).map(|k| format!("stories-{k}.xml")));
    for name in names {
        open(&mut w, "sitemap", &[]);
        element(&mut w, "loc", &state.absolute(&format!("/sitemaps/{name}")));
        if let Some(t) = lastmod {
            element(
                &mut w,
                "lastmod",
                &t.to_rfc3339_opts(SecondsFormat::Secs, true),
            );
        }
        close(&mut w, "sitemap");
    }
    close(&mut w, "sitemapindex");
    Ok(xml_response(w))
}

/// One file of a large site's sitemap: `pages.xml` (front and section pages) or
/// `stories-N.xml` (the N-th slice of the stories, oldest first).
pub async fn sitemap_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let now = Utc::now();
    let per_file = state.config.sitemap_urls.clamp(1, MAX_URLS);
    let mut w = begin(&[SITEMAP_NS]);
    if file == "pages.xml" {
        let sections = state.sections.get(state.store.as_ref(), now).await?;
        pages(&state, &mut w, &sections, None);
    } else {
        let k = file
            .strip_prefix("stories-")
            .and_then(|r| r.strip_suffix(".xml"))
            .and_then(|n| n.parse::<i64>().ok())
            .filter(|k| *k >= 1);
        let Some(k) = k else {
            return Err(AppError::NotFound("There is no such sitemap.".into()));
        };
        if stories(&state, &mut w, (k - 1) * per_file, per_file, now).await? == 0 {
            return Err(AppError::NotFound("There is no such sitemap.".into()));
        }
    }
    close(&mut w, "urlset");
    Ok(xml_response(w))
}

fn pages(
    state: &AppState,
    w: &mut Xml,
    sections: &[(String, i64)],
    lastmod: Option<chrono::DateTime<Utc>>,
) {
    url(w, state.absolute("/"), lastmod);
    for (section, _) in sections {
        url(
            w,
            state.absolute(&crate::services::links::section_path(section)),
            None,
        );
    }
}

/// Writes a slice of the live stories; answers how many it wrote.
async fn stories(
    state: &AppState,
    w: &mut Xml,
    offset: i64,
    limit: i64,
    now: chrono::DateTime<Utc>,
) -> Result<usize, AppError> {
    let entries = state.store.sitemap_entries(now, offset, limit).await?;
    for (slug, updated) in &entries {
        url(
            w,
            state.absolute(&article_path(slug)),
            Some(from_millis(*updated)),
        );
    }
    Ok(entries.len())
}

fn from_millis(ms: i64) -> chrono::DateTime<Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

pub async fn news_sitemap(State(state): State<AppState>) -> Result<Response, AppError> {
    let now = Utc::now();
    let live = ArticleFilter {
        live_only: true,
        ..Default::default()
    };
    let recent = state
        .store
        .list_articles(&live, PageRequest::page(1, NEWS_MAX), now)
        .await?;
    let since = now - Duration::hours(48);
    let mut w = begin(&[
        ("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"),
        (
            "xmlns:news",
            "http://www.google.com/schemas/sitemap-news/0.9",
        ),
    ]);
    for a in recent
        .items
        .iter()
        .filter(|a| a.published_at.is_some_and(|t| t >= since))
    {
        open(&mut w, "url", &[]);
        element(&mut w, "loc", &state.absolute(&article_path(&a.slug)));
        open(&mut w, "news:news", &[]);
        open(&mut w, "news:publication", &[]);
        element(&mut w, "news:name", &state.site_name());
        element(&mut w, "news:language", "en");
        close(&mut w, "news:publication");
        let published = a.published_at.unwrap_or(now);
        element(
            &mut w,
            "news:publication_date",
            &published.to_rfc3339_opts(SecondsFormat::Secs, true),
        );
        element(&mut w, "news:title", &a.headline);
        close(&mut w, "news:news");
        close(&mut w, "url");
    }
    close(&mut w, "urlset");
    Ok(xml_response(w))
}

pub async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /admin/\nDisallow: /api/\n\nSitemap: {}\nSitemap: {}\n",
        state.absolute("/sitemap.xml"),
        state.absolute("/news-sitemap.xml")
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}
