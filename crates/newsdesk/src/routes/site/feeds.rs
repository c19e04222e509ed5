//! Feeds: RSS 2.0, Atom and JSON Feed 1.1 for the site and for each section, tag and author.

use crate::http::error::AppError;
use crate::services::links::article_path;
use crate::services::page_keys::{self, Keys};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use newsdesk_core::body::plain_text;
use newsdesk_core::newsroom::author_slug;
use newsdesk_core::slug::title_from_slug;
use newsdesk_core::{Article, ArticleFilter, PageRequest};
use serde_json::json;

const ITEMS: i64 = 30;

#[derive(Clone, Copy)]
enum Format {
    Rss,
    Atom,
    Json,
}

impl Format {
    fn from_file(file: &str) -> Option<Format> {
        match file {
            "feed.xml" => Some(Format::Rss),
            "atom.xml" => Some(Format::Atom),
            "feed.json" => Some(Format::Json),
            _ => None,
        }
    }

    fn file(self) -> &'static str {
        match self {
            Format::Rss => "feed.xml",
            Format::Atom => "atom.xml",
            Format::Json => "feed.json",
        }
    }
}

/// Which stories a feed carries and the page it stands for.
struct Scope {
    title: String,
    /// The HTML page's path, such as `/section/sport`; empty for the whole site.
    page: String,
    filter: ArticleFilter,
}

pub async fn site_rss(State(state): State<AppState>) -> Result<Response, AppError> {
    feed(&state, site_scope(&state), Format::Rss).await
}

pub async fn site_atom(State(state): State<AppState>) -> Result<Response, AppError> {
    feed(&state, site_scope(&state), Format::Atom).await
}

pub async fn site_json(State(state): State<AppState>) -> Result<Response, AppError> {
    feed(&state, site_scope(&state), Format::Json).await
}

fn site_scope(state: &AppState) -> Scope {
    Scope {
        title: state.site_name(),
        page: String::new(),
        filter: live(),
    }
}

fn live() -> ArticleFilter {
    ArticleFilter {
        live_only: true,
        ..Default::default()
    }
}

pub async fn section_feed(
    State(state): State<AppState>,
    Path((slug, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let scope = Scope {
        title: format!("{}: {}", state.site_name(), title_from_slug(&slug)),
        page: crate::services::links::section_path(&slug),
        filter: ArticleFilter {
            section: Some(slug),
            ..live()
        },
    };
    scoped(&state, scope, &file).await
}

pub async fn tag_feed(
    State(state): State<AppState>,
    Path((tag, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let tag = tag.to_lowercase();
    let scope = Scope {
        title: format!("{}: {tag}", state.site_name()),
        page: crate::services::links::tag_canonical_path(&tag),
        filter: ArticleFilter {
            tag: Some(tag),
            ..live()
        },
    };
    scoped(&state, scope, &file).await
}

pub async fn author_feed(
    State(state): State<AppState>,
    Path((slug, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let slug = author_slug(&slug);
    let scope = Scope {
        title: format!("{}: {}", state.site_name(), title_from_slug(&slug)),
        page: crate::services::links::author_path(&slug),
        filter: ArticleFilter {
            author: Some(slug),
            ..live()
        },
    };
    scoped(&state, scope, &file).await
}

async fn scoped(state: &AppState, scope: Scope, file: &str) -> Result<Response, AppError> {
    match Format::from_file(file) {
        Some(format) => feed(state, scope, format).await,
        None => Err(AppError::NotFound("There is no such feed.".into())),
    }
}

async fn feed(state: &AppState, scope: Scope, format: Format) -> Result<Response, AppError> {
    let now = Utc::now();
    let list = state
        .store
        .list_articles(&scope.filter, PageRequest::page(1, ITEMS), now)
        .await?;
    if list.total == 0 && !scope.page.is_empty() {
        return Err(AppError::NotFound("There is no such feed.".into()));
    }
    let page_url = state.absolute(if scope.page.is_empty() {
        "/"
    } else {
        &scope.page
    });
    let feed_url = state.absolute(&format!("{}/{}", scope.page, format.file()));
    let updated = list.items.iter().map(|a| a.updated_at).max().unwrap_or(now);
    let items = &list.items;
    let (content_type, body) = match format {
        Format::Rss => (
            "application/rss+xml; charset=utf-8",
            rss(state, &scope, &page_url, items),
        ),
        Format::Atom => (
            "application/atom+xml; charset=utf-8",
            atom(state, &scope, &page_url, &feed_url, updated, items),
        ),
        Format::Json => (
            "application/feed+json; charset=utf-8",
            json_feed(state, &scope, &page_url, &feed_url, items),
        ),
    };
    let mut keys = Keys::new();
    keys.add_plain(page_keys::FEEDS);
    for a in items {
        keys.add("story", a.id.0);
    }
    Ok(keys.on(([(header::CONTENT_TYPE, content_type)], body).into_response()))
}

fn rss(state: &AppState, scope: &Scope, page_url: &str, items: &[Article]) -> String {
    let mut channel = rss::Channel {
        title: scope.title.clone(),
        link: page_url.to_string(),
        description: html_escape::encode_text(&format!("The latest stories from {}", scope.title))
            .into_owned(),
        language: Some("en-GB".into()),
        last_build_date: items
            .iter()
            .map(|a| a.updated_at)
            .max()
            .map(|t| t.to_rfc2822()),
        generator: Some("newsdesk".into()),
        ..Default::default()
    };
    channel
        .namespaces
        .insert("dc".into(), "http://purl.org/dc/elements/1.1/".into());
    channel.items = items
        .iter()
        .map(|a| {
            let url = state.absolute(&article_path(&a.slug));
            rss::Item {
                title: Some(a.headline.clone()),
                link: Some(url.clone()),
                // Feed readers take an RSS description as HTML: the standfirst is text.
                description: Some(html_escape::encode_text(&a.standfirst).into_owned()),
                guid: Some(rss::Guid {
                    value: url,
                    permalink: true,
                }),
                pub_date: a.published_at.map(|t| t.to_rfc2822()),
                categories: std::iter::once(&a.section)
                    .chain(&a.tags)
                    .map(|c| rss::Category {
                        name: c.clone(),
                        domain: None,
                    })
                    .collect(),
                dublin_core_ext: Some(rss::extension::dublincore::DublinCoreExtension {
                    creators: a.authors.clone(),
                    ..Default::default()
                }),
                ..Default::default()
            }
        })
        .collect();
    channel.to_string()
}

fn atom(
    state: &AppState,
    scope: &Scope,
    page_url: &str,
    feed_url: &str,
    updated: DateTime<Utc>,
    items: &[Article],
) -> String {
    use atom_syndication::{Category, Entry, Feed, Link, Person, Text};
    let link = |href: &str, rel: &str| Link {
        href: href.to_string(),
        rel: rel.to_string(),
        ..Default::default()
    };
    let feed = Feed {
        title: Text::plain(scope.title.clone()),
        id: feed_url.to_string(),
        updated: updated.fixed_offset(),
        links: vec![link(page_url, "alternate"), link(feed_url, "self")],
        authors: vec![Person {
            name: state.site_name(),
            ..Default::default()
        }],
        generator: Some(atom_syndication::Generator {
            value: "newsdesk".into(),
            ..Default::default()
        }),
        entries: items
            .iter()
            .map(|a| {
                let url = state.absolute(&article_path(&a.slug));
                Entry {
                    title: Text::plain(a.headline.clone()),
                    id: url.clone(),
                    updated: a.updated_at.fixed_offset(),
                    published: a.published_at.map(|t| t.fixed_offset()),
                    links: vec![link(&url, "alternate")],
                    summary: Some(Text::plain(a.standfirst.clone())),
                    authors: a
                        .authors
                        .iter()
                        .map(|n| Person {
                            name: n.clone(),
                            ..Default::default()
                        })
                        .collect(),
                    categories: a
                        .tags
                        .iter()
                        .map(|t| Category {
                            term: t.clone(),
                            ..Default::default()
                        })
                        .collect(),
                    ..Default::default()
                }
            })
            .collect(),
        ..Default::default()
    };
    feed.to_string()
}

fn json_feed(
    state: &AppState,
    scope: &Scope,
    page_url: &str,
    feed_url: &str,
    items: &[Article],
) -> String {
    let items: Vec<serde_json::Value> = items
        .iter()
        .map(|a| {
            let url = state.absolute(&article_path(&a.slug));
            let mut item = json!({
                "id": url,
                "url": url,
                "title": a.headline,
                "summary": a.standfirst,
                "content_text": plain_text(&a.body),
                "date_modified": a.updated_at.to_rfc3339(),
                "authors": a.authors.iter().map(|n| json!({"name": n, "url": state.absolute(&crate::services::links::author_path(&author_slug(n)))})).collect::<Vec<_>>(),
                "tags": a.tags,
            });
            if let Some(p) = a.published_at {
                item["date_published"] = json!(p.to_rfc3339());
            }
            if let Some(h) = &a.hero {
                item["image"] = json!(absolute_media(state, &h.url));
            }
            item
        })
        .collect();
    json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": scope.title,
        "home_page_url": page_url,
        "feed_url": feed_url,
        "description": format!("The latest stories from {}", scope.title),
        "language": "en-GB",
        "items": items,
    })
    .to_string()
}

/// A picture's address as other sites need it: absolute.
pub fn absolute_media(state: &AppState, url: &str) -> String {
    if url.starts_with('/') {
        state.absolute(url)
    } else {
        url.to_string()
    }
}
