//! `/news/{slug}/comments.xml`: a story's newest published comments as RSS 2.0, for readers who
//! follow a conversation in their feed reader.

use crate::http::error::AppError;
use crate::services::debate::admission::live_article;
use crate::services::links::article_path;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

const ITEMS: i64 = 50;

pub async fn comments_rss(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let article = live_article(&state, &slug).await?;
    let comments = state.store.recent_comments(article.id, ITEMS).await?;
    let page_url = state.absolute(&format!("{}#comments", article_path(&article.slug)));
    let mut channel = rss::Channel {
        title: format!("Comments on: {}", article.headline),
        link: page_url,
        description: format!(
            "Readers' comments on “{}” at {}",
            article.headline,
            state.site_name()
        ),
        language: Some("en-GB".into()),
        last_build_date: comments
            .iter()
            .map(|c| c.edited_at.unwrap_or(c.created_at))
            .max()
            .map(|t| t.to_rfc2822()),
        generator: Some("newsdesk".into()),
        ..Default::default()
    };
    channel
        .namespaces
        .insert("dc".into(), "http://purl.org/dc/elements/1.1/".into());
    channel.items = comments
        .iter()
        .map(|c| {
            let url = state.absolute(&format!(
                "{}/comments/{}",
                article_path(&article.slug),
                c.id
            ));
            let excerpt: String = c.body.chars().take(80).collect();
            rss::Item {
                title: Some(format!("{}: {}", c.name, excerpt.replace('\n', " "))),
                link: Some(url.clone()),
                // Feed readers take the description as HTML: the reader's text goes in escaped,
                // in paragraphs with its links, as on the page.
                description: Some(crate::render::comment_text::render(&c.body).to_string()),
                guid: Some(rss::Guid {
                    value: url,
                    permalink: true,
                }),
                pub_date: Some(c.created_at.to_rfc2822()),
                dublin_core_ext: Some(rss::extension::dublincore::DublinCoreExtension {
                    creators: vec![c.name.clone()],
                    ..Default::default()
                }),
                ..Default::default()
            }
        })
        .collect();
    let answer = (
        [(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")],
        channel.to_string(),
    );
    Ok(crate::services::page_keys::Keys::thread(article.id).on(answer.into_response()))
}
