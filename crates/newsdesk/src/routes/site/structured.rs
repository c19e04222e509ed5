//! The article's schema.org data: NewsArticle, BreadcrumbList, the reader debate as a
//! DiscussionForumPosting with its comments, and a ClaimReview for each claim the newsroom
//! reached a verdict on.

use crate::render::format::iso;
use crate::render::jsonld;
use crate::render::markdown::SafeHtml;
use crate::services::links::article_path;
use crate::state::AppState;
use newsdesk_core::comment::{Comment, CommentStatus, ThreadPage};
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

/// The most comments the page's structured data carries, and the most characters of each:
/// the data describes the conversation, it does not repeat the page.
const DATA_COMMENTS: usize = 20;
const DATA_TEXT_CHARS: usize = 600;

/// The page's first comments as schema.org `Comment`s, replies nested under what they answer.
fn comments_data(state: &AppState, a: &Article, page: &ThreadPage) -> Vec<Value> {
    let published: Vec<&Comment> = page
        .roots
        .iter()
        .chain(&page.replies)
        .filter(|c| c.status == CommentStatus::Published)
        .take(DATA_COMMENTS)
        .collect();
    let one = |c: &Comment| {
        json!({
            "@type": "Comment",
            "@id": state.absolute(&format!("{}/comments/{}", article_path(&a.slug), c.id)),
            "url": state.absolute(&format!("{}/comments/{}", article_path(&a.slug), c.id)),
            "author": {"@type": "Person", "name": c.name},
            "datePublished": iso(c.created_at),
            "text": shortened(&c.body),
            "upvoteCount": c.upvotes,
            "downvoteCount": c.downvotes,
        })
    };
    let mut out: Vec<Value> = Vec::new();
    for c in &published {
        let mut v = one(c);
        let replies: Vec<Value> = published
            .iter()
            .filter(|r| r.parent_id == Some(c.id))
            .map(|r| json!({"@id": state.absolute(&format!("{}/comments/{}", article_path(&a.slug), r.id))}))
            .collect();
        if !replies.is_empty() {
            v["comment"] = json!(replies);
        }
        if let Some(parent) = c.parent_id {
            v["parentItem"] = json!({"@id": state.absolute(&format!("{}/comments/{}", article_path(&a.slug), parent))});
        }
        out.push(v);
    }
    out
}

/// A comment's text for the data: whole, or its start and an ellipsis.
fn shortened(text: &str) -> String {
    match text.char_indices().nth(DATA_TEXT_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

pub fn article_data(
    state: &AppState,
    a: &Article,
    image: Option<&str>,
    comments: &ThreadPage,
) -> SafeHtml {
    let url = state.absolute(&article_path(&a.slug));
    let publisher = json!({
        "@type": "NewsMediaOrganization",
        "name": state.site_name(),
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
        "author": a.authors.iter().map(|n| json!({"@type": "Person", "name": n, "url": state.absolute(&crate::services::links::author_path(&author_slug(n)))})).collect::<Vec<_>>(),
        "publisher": publisher,
        "isAccessibleForFree": true,
        "commentCount": comments.comment_count,
        "discussionUrl": format!("{url}#comments"),
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
            {"@type": "ListItem", "position": 1, "name": state.site_name(), "item": state.absolute("/")},
            {"@type": "ListItem", "position": 2, "name": title_from_slug(&a.section), "item": state.absolute(&crate::services::links::section_path(&a.section))},
            {"@type": "ListItem", "position": 3, "name": a.headline, "item": url},
        ],
    });
    let discussion = json!({
        "@type": "DiscussionForumPosting",
        "@id": format!("{url}#comments"),
        "url": format!("{url}#comments"),
        "headline": format!("Debate: {}", a.headline),
        "text": a.standfirst,
        "about": {"@id": format!("{url}#article")},
        "author": {"@type": "NewsMediaOrganization", "name": state.site_name(), "url": state.absolute("/")},
        "datePublished": iso(a.published_at.unwrap_or(a.updated_at)),
        "commentCount": comments.comment_count,
        "interactionStatistic": {
            "@type": "InteractionCounter",
            "interactionType": "https://schema.org/CommentAction",
            "userInteractionCount": comments.comment_count,
        },
        "comment": comments_data(state, a, comments),
    });
    let mut graph = vec![article, breadcrumbs, discussion];
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
            "author": {"@type": "NewsMediaOrganization", "name": state.site_name(), "url": state.absolute("/")},
            "datePublished": iso(a.published_at.unwrap_or(a.updated_at)),
            "reviewRating": rating(claim.status),
            "reviewBody": claim.note,
        }));
    }
    jsonld::script(&json!({"@context": "https://schema.org", "@graph": graph}))
}
