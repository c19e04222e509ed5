//! `/sitemap.xml`, the news sitemap of the last 48 hours, and `/robots.txt` pointing to both.

use super::page::PageError;
use crate::render::body::article_path;
use crate::state::AppState;
use axum::extract::State;
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
    (
        [
            (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        w.into_inner(),
    )
        .into_response()
}

fn begin(attrs: &[(&str, &str)]) -> Xml {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .expect("writing to memory");
    open(&mut w, "urlset", attrs);
    w
}

pub async fn sitemap(State(state): State<AppState>) -> Result<Response, PageError> {
    let now = Utc::now();
    let live = ArticleFilter {
        live_only: true,
        ..Default::default()
    };
    let stories = state
        .store
        .list_articles(&live, PageRequest::page(1, MAX_URLS - 100), now)
        .await?;
    let sections = state.store.sections(now).await?;
    let mut w = begin(&[("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")]);
    let newest = stories.items.first().map(|a| a.updated_at);
    let url = |w: &mut Xml, loc: String, lastmod: Option<chrono::DateTime<Utc>>| {
        open(w, "url", &[]);
        element(w, "loc", &loc);
        if let Some(t) = lastmod {
            element(w, "lastmod", &t.to_rfc3339_opts(SecondsFormat::Secs, true));
        }
        close(w, "url");
    };
    url(&mut w, state.absolute("/"), newest);
    for (section, _) in &sections {
        url(&mut w, state.absolute(&format!("/section/{section}")), None);
    }
    for a in &stories.items {
        url(
            &mut w,
            state.absolute(&article_path(&a.slug)),
            Some(a.updated_at),
        );
    }
    close(&mut w, "urlset");
    Ok(xml_response(w))
}

pub async fn news_sitemap(State(state): State<AppState>) -> Result<Response, PageError> {
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
        element(&mut w, "news:name", &state.config.site_name);
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
