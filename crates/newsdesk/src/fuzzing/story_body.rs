//! The fuzz check of a story body: Markdown with promo lines and marked claims, rendered as
//! the story page (and the newsroom's unchecked preview) renders it.
//!
//! The input is the body, then each claim's quote after a U+0001 character.

use super::html;
use crate::render::body::{render_body, RenderedBlock};
use chrono::{DateTime, TimeZone, Utc};
use newsdesk_core::body::promos;
use newsdesk_core::store::PromoTarget;
use newsdesk_core::{Article, ArticleId, ArticleInput, ArticleStatus, Claim, ClaimStatus, Source};

/// Where the body ends and each claim's quote begins.
pub const CLAIM_SEPARATOR: char = '\u{1}';
/// More claims than a story may hold, so the limit is exercised too.
const MAX_CLAIMS: usize = 60;
const MARK: &str = "<span class=\"claim\"";

/// The clock every check reads, so a run can be repeated exactly.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0)
        .single()
        .expect("a valid time")
}

pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut pieces = text.split(CLAIM_SEPARATOR);
    let body = pieces.next().unwrap_or_default().to_string();
    let claims: Vec<Claim> = pieces
        .take(MAX_CLAIMS)
        .enumerate()
        .map(|(i, quote)| Claim {
            quote: quote.to_string(),
            source: Source {
                name: "A. Source".into(),
                role: String::new(),
                url: Some("https://example.org/source".into()),
            },
            status: ClaimStatus::ALL[i % ClaimStatus::ALL.len()],
            note: String::new(),
        })
        .collect();
    let checked = ArticleInput {
        slug: Some("fuzzed-story".into()),
        headline: Some("A fuzzed story".into()),
        standfirst: Some("It was made up.".into()),
        body: Some(body.clone()),
        section: Some("world".into()),
        authors: Some(vec!["A. Writer".into()]),
        status: Some(ArticleStatus::Published),
        published_at: Some(Some(now())),
        claims: Some(claims.clone()),
        ..Default::default()
    }
    .validate(now())
    .is_ok();

    // The newsroom's preview renders what was typed, unchecked: it must be as safe.
    let article = article(body, claims);
    let targets: Vec<PromoTarget> = promos(&article.body)
        .into_iter()
        .enumerate()
        .map(|(i, p)| PromoTarget {
            current_slug: format!("{}-now", p.slug),
            slug: p.slug,
            headline: "A linked story".into(),
            section: "world".into(),
            live: i % 3 != 2,
        })
        .collect();
    let (blocks, claims) = render_body(&article, &targets);
    let mut marks = 0;
    for block in &blocks {
        match block {
            RenderedBlock::Html(h) => {
                let h = h.as_str();
                html::assert_no_script(h);
                html::assert_only_as_tags(h, MARK);
                if checked {
                    html::assert_links_do_not_nest(h);
                }
                marks += h.matches(MARK).count();
            }
            RenderedBlock::Promos(cards) => {
                assert!(!cards.is_empty(), "an empty block of promos is shown");
                for card in cards {
                    assert!(
                        targets
                            .iter()
                            .any(|t| t.live && card.url.ends_with(&format!("/{}", t.current_slug))),
                        "a promo links to a story that is not live: {}",
                        card.url
                    );
                }
            }
        }
    }
    assert_eq!(
        marks,
        claims.iter().filter(|c| c.marked).count(),
        "each claim is marked at most once"
    );
    if checked {
        for c in &claims {
            assert!(
                c.marked,
                "claim {} passed validation but is not marked on the page: {:?}",
                c.number, c.quote
            );
        }
    }
}

fn article(body: String, claims: Vec<Claim>) -> Article {
    Article {
        id: ArticleId(1),
        slug: "fuzzed-story".into(),
        status: ArticleStatus::Published,
        published_at: Some(now()),
        created_at: now(),
        updated_at: now(),
        revision: 1,
        updated_by: String::new(),
        headline: "A fuzzed story".into(),
        standfirst: "It was made up.".into(),
        body,
        section: "world".into(),
        tags: Vec::new(),
        authors: vec!["A. Writer".into()],
        hero: None,
        claims,
        debate: Vec::new(),
        corrections: Vec::new(),
        comment_count: 0,
    }
}
