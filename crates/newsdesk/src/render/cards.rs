//! A story as lists show it: headline, image, excerpt and date.

use crate::render::format::{excerpt, iso, long_date, short_date};
use crate::render::picture::PictureView;
use crate::services::links::article_path;
use crate::services::pictures::view::Known;
use chrono::{DateTime, Utc};
use newsdesk_core::body::plain_text;
use newsdesk_core::slug::title_from_slug;
use newsdesk_core::Article;

pub struct DateLabel {
    pub iso: String,
    pub text: String,
}

impl DateLabel {
    pub fn long(t: DateTime<Utc>) -> Self {
        DateLabel {
            iso: iso(t),
            text: long_date(t),
        }
    }
}

pub struct Card {
    /// The story's id, which the page names among its surrogate keys.
    pub id: i64,
    pub url: String,
    pub headline: String,
    pub excerpt: String,
    pub image: Option<PictureView>,
    pub section_slug: String,
    pub section_title: String,
    pub date: Option<DateLabel>,
    /// Published reader comments.
    pub comments: i64,
    published: Option<DateTime<Utc>>,
}

impl Card {
    /// The card of `a`; `known` holds the library's pictures among the page's stories.
    pub fn new(a: &Article, known: &Known) -> Card {
        let text = if a.standfirst.is_empty() {
            plain_text(&a.body)
        } else {
            a.standfirst.clone()
        };
        Card {
            id: a.id.0,
            url: article_path(&a.slug),
            headline: a.headline.clone(),
            excerpt: excerpt(&text, 180),
            image: a.hero.as_ref().map(|h| PictureView::of(h, known)),
            section_slug: a.section.clone(),
            section_title: title_from_slug(&a.section),
            date: a.published_at.map(|t| DateLabel {
                iso: iso(t),
                text: short_date(t),
            }),
            comments: a.comment_count,
            published: a.published_at,
        }
    }

    pub fn date_iso(&self) -> String {
        self.published.map(iso).unwrap_or_default()
    }

    /// "08:30" today, else "27 Nov".
    pub fn time_text(&self) -> String {
        match self.published {
            Some(t) if t.date_naive() == Utc::now().date_naive() => t.format("%H:%M").to_string(),
            Some(t) => t.format("%-d %b").to_string(),
            None => String::new(),
        }
    }
}
