//! A story body as the page shows it: sanitized Markdown blocks with claims marked, and
//! promo cards that carry the linked story's current headline.

use super::markdown::{self, SafeHtml};
use crate::services::links::article_path;
use newsdesk_core::body::{split_body, BodyBlock};
use newsdesk_core::store::PromoTarget;
use newsdesk_core::Article;

pub enum RenderedBlock {
    Html(SafeHtml),
    Promos(Vec<PromoCard>),
}

pub struct PromoCard {
    pub url: String,
    pub headline: String,
    pub kicker: String,
}

/// A claim as the claims panel lists it; `number` links body marks and notes.
pub struct ClaimView {
    pub number: usize,
    pub quote: String,
    pub status: &'static str,
    pub label: &'static str,
    pub note: String,
    pub source_name: String,
    pub source_role: String,
    pub source_url: Option<String>,
    pub marked: bool,
    /// The claim's statuses over time, as readers are told them ("unverified on 12 November").
    pub history: Vec<String>,
}

impl ClaimView {
    /// Adds each claim's status history, from the story's revisions, when it changed at all.
    pub fn with_histories(
        claims: &mut [ClaimView],
        histories: &[(String, Vec<newsdesk_core::revision::StatusChange>)],
    ) {
        for c in claims {
            if let Some((_, changes)) = histories.iter().find(|(q, _)| *q == c.quote) {
                if changes.len() > 1 {
                    c.history = changes
                        .iter()
                        .map(|s| {
                            format!(
                                "{} on {}",
                                s.status.label().to_lowercase(),
                                s.at.format("%-d %B %Y")
                            )
                        })
                        .collect();
                }
            }
        }
    }
}

/// Renders the body. Promos to stories that are gone or no longer live are left out, so a
/// page never links to a dead story.
pub fn render_body(
    article: &Article,
    targets: &[PromoTarget],
) -> (Vec<RenderedBlock>, Vec<ClaimView>) {
    let top = markdown::top_heading(&article.body).unwrap_or(1);
    let mut blocks: Vec<RenderedBlock> = split_body(&article.body)
        .into_iter()
        .filter_map(|block| match block {
            BodyBlock::Markdown(md) => Some(RenderedBlock::Html(markdown::render_under(&md, top))),
            BodyBlock::Promos(promos) => {
                let cards: Vec<PromoCard> = promos
                    .into_iter()
                    .filter_map(|p| {
                        let t = targets.iter().find(|t| t.slug == p.slug && t.live)?;
                        Some(PromoCard {
                            url: article_path(&t.current_slug),
                            headline: t.headline.clone(),
                            kicker: p.kicker,
                        })
                    })
                    .collect();
                (!cards.is_empty()).then_some(RenderedBlock::Promos(cards))
            }
        })
        .collect();

    let mut claims = Vec::with_capacity(article.claims.len());
    for (i, claim) in article.claims.iter().enumerate() {
        let number = i + 1;
        let status = claim.status.as_str();
        let label = claim.status.label();
        let mut marked = false;
        for block in blocks.iter_mut() {
            let RenderedBlock::Html(html) = block else {
                continue;
            };
            let wrapped = markdown::wrap_quote(html, &claim.quote, |escaped_quote| {
                format!(
                    "<span class=\"claim\" data-status=\"{status}\" id=\"claim-ref-{number}\" \
                     aria-describedby=\"claim-note-{number}\">{escaped_quote}</span>\
                     <a class=\"claim-badge\" data-status=\"{status}\" href=\"#claim-{number}\">{label}\
                     <span class=\"visually-hidden\"> claim, see note {number}</span></a>"
                )
            });
            if let Some(w) = wrapped {
                *html = w;
                marked = true;
                break;
            }
        }
        claims.push(ClaimView {
            number,
            quote: claim.quote.clone(),
            status,
            label,
            note: claim.note.clone(),
            source_name: claim.source.name.clone(),
            source_role: claim.source.role.clone(),
            // Only web addresses become links (a preview shows what was typed, unchecked).
            source_url: claim
                .source
                .url
                .clone()
                .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
            marked,
            history: Vec::new(),
        });
    }
    (blocks, claims)
}
