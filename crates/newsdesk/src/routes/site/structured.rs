//! The article's schema.org data: NewsArticle, BreadcrumbList and a ClaimReview for each claim
//! the newsroom reached a verdict on.

use crate::render::body::article_path;
use crate::render::format::iso;
use crate::render::jsonld;
use crate::render::SafeHtml;
use crate::state::AppState;
use newsdesk_core::newsroom::author_slug;
use newsdesk_core::slug::title_from_slug;
use newsdesk_core::{Article, ClaimStatus};
use serde_json::{json, Value};

fn rating(status: ClaimStatus) -> Value {
    let value = match status {
        ClaimStatus::Verified => 5,
        ClaimStatus::Disputed => 3,
        ClaimStatus::False | ClaimStatus::Unverified => 1,
    };
    json!({"@type": "Rating", "ratingValue": value, "bestRating": 5, "worstRating": 1, "alternateName": status.label()})
}

pub fn article_data(state: &AppState, a: &Article, image: Option<&str>) -> SafeHtml {
    let url = state.absolute(&article_path(&a.slug));
    let publisher = json!({
        "@type": "NewsMediaOrganization",
        "name": state.config.site_name,
        "url": state.absolute("/"),
        "logo": {"@type": "ImageObject", "url": state.absolute("/static/favicon.svg")},
    });
    let mut article = json!({
        "@type": "NewsArticle",
        "@id": format!("{url}#article"),
        "headline": a.headline,
        "description": a.standfirst,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "articleSection": title_from_slug(&a.section),
        "keywords": a.tags,
        "dateModified": iso(a.shown_update().unwrap_or(a.updated_at)),
        "author": a.authors.iter().map(|n| json!({"@type": "Person", "name": n, "url": state.absolute(&format!("/author/{}", author_slug(n)))})).collect::<Vec<_>>(),
        "publisher": publisher,
        "isAccessibleForFree": true,
    });
    if let Some(p) = a.published_at {
        article["datePublished"] = json!(iso(p));
    }
    if let Some(img) = image {
        article["image"] = json!([img]);
    }
    let breadcrumbs = json!({
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": state.config.site_name, "item": state.absolute("/")},
            {"@type": "ListItem", "position": 2, "name": title_from_slug(&a.section), "item": state.absolute(&format!("/section/{}", a.section))},
            {"@type": "ListItem", "position": 3, "name": a.headline, "item": url},
        ],
    });
    let mut graph = vec![article, breadcrumbs];
    for (i, claim) in a
        .claims
        .iter()
        .enumerate()
        .filter(|(_, c)| c.status.has_verdict())
    {
        let mut source = json!({"@type": "Person", "name": claim.source.name});
        if !claim.source.role.is_empty() {
            source["jobTitle"] = json!(claim.source.role);
        }
        if let Some(u) = &claim.source.url {
            source["url"] = json!(u);
        }
        graph.push(json!({
            "@type": "ClaimReview",
            "url": format!("{url}#claim-{}", i + 1),
            "claimReviewed": claim.quote,
            "itemReviewed": {"@type": "Claim", "author": source, "appearance": {"@type": "NewsArticle", "@id": format!("{url}#article")}},
            "author": {"@type": "NewsMediaOrganization", "name": state.config.site_name, "url": state.absolute("/")},
            "datePublished": iso(a.published_at.unwrap_or(a.updated_at)),
            "reviewRating": rating(claim.status),
            "reviewBody": claim.note,
        }));
    }
    jsonld::script(&json!({"@context": "https://schema.org", "@graph": graph}))
}
