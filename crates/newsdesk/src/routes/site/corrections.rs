//! `/corrections` and `/corrections.xml`: every correction and update to a published story,
//! newest first, as a page and as RSS; a newsroom's public record of what it changed.

use crate::http::error::AppError;
use crate::render::cards::DateLabel;
use crate::render::layout::Layout;
use crate::render::page::html;
use crate::services::corrections::latest;
use crate::services::links::article_path;
use crate::services::page_keys::Keys;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Utc;

const SHOWN: usize = 100;

pub struct Row {
    pub url: String,
    pub headline: String,
    pub kind: &'static str,
    pub date: DateLabel,
    pub note: String,
}

#[derive(Template)]
#[template(path = "corrections.html")]
struct CorrectionsPage {
    layout: Layout,
    rows: Vec<Row>,
}

pub async fn page(State(state): State<AppState>) -> Result<Response, AppError> {
    let rows = latest(&state, SHOWN)
        .await?
        .into_iter()
        .map(|e| Row {
            url: format!("{}#corrections", article_path(&e.slug)),
            headline: e.headline,
            kind: e.kind.label(),
            date: DateLabel::long(e.at),
            note: e.note,
        })
        .collect();
    let layout = Layout::load(&state, "", Utc::now()).await?;
    Ok(keys().on(html(CorrectionsPage { layout, rows })))
}

pub async fn feed(State(state): State<AppState>) -> Result<Response, AppError> {
    let entries = latest(&state, SHOWN).await?;
    let channel = rss::Channel {
        title: format!("{}: corrections and updates", state.site_name()),
        link: state.absolute("/corrections"),
        description: format!(
            "Every correction and update {} makes to a published story",
            state.site_name()
        ),
        language: Some("en-GB".into()),
        last_build_date: entries.first().map(|e| e.at.to_rfc2822()),
        generator: Some("newsdesk".into()),
        items: entries
            .iter()
            .map(|e| {
                let url = state.absolute(&format!("{}#corrections", article_path(&e.slug)));
                rss::Item {
                    title: Some(format!("{}: {}", e.kind.label(), e.headline)),
                    link: Some(url.clone()),
                    // Feed readers read a description as HTML: the note is text.
                    description: Some(html_escape::encode_text(&e.note).into_owned()),
                    guid: Some(rss::Guid {
                        value: format!("{url}-{}", e.at.timestamp_millis()),
                        permalink: false,
                    }),
                    pub_date: Some(e.at.to_rfc2822()),
                    ..Default::default()
                }
            })
            .collect(),
        ..Default::default()
    };
    let answer = (
        [(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")],
        channel.to_string(),
    );
    Ok(keys().on(answer.into_response()))
}

/// The corrections log and feed show every corrected story's headline too.
fn keys() -> Keys {
    let mut keys = Keys::new();
    keys.add_plain(crate::services::page_keys::CORRECTIONS);
    keys
}
