//! What a client may send to create or change a story, and its validation into `ArticleFields`.

use crate::article::{Article, ArticleStatus, Claim, Correction, Hero};
use crate::body;
use crate::slug::{is_valid_slug, slugify};
use crate::validation::{check_line, check_max, check_url, FieldErrors, ValidationError};
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Deserializer, Serialize};

pub const MAX_HEADLINE: usize = 200;
pub const MAX_STANDFIRST: usize = 500;
pub const MAX_BODY: usize = 200_000;
pub const MAX_SLUG: usize = 100;
/// Slugs the newsroom's own addresses use (`/admin/stories/new`).
const RESERVED_SLUGS: [&str; 1] = ["new"];

/// Distinguishes a field sent as `null` (Some(None)) from a field left out (None).
fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// A story as a client sends it. On create, `headline`, `standfirst` and `section` are
/// required, and `body` and `authors` too unless `status` is `draft` (the default); on PATCH
/// only the fields sent are changed. Limits: headline 200 characters, standfirst 500, body
/// 200,000, up to 20 tags of 40 characters, 10 authors, 50 claims, 10 debate questions.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleInput {
    /// Made from the headline when left out; editable later (the old URL then redirects).
    pub slug: Option<String>,
    pub headline: Option<String>,
    pub standfirst: Option<String>,
    /// Markdown. A paragraph of lines `[[other-slug]] KICKER` is a block of promos.
    pub body: Option<String>,
    /// The section's slug, such as `politics`.
    pub section: Option<String>,
    pub tags: Option<Vec<String>>,
    pub authors: Option<Vec<String>>,
    pub status: Option<ArticleStatus>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub published_at: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Hero>)]
    pub hero: Option<Option<Hero>>,
    pub claims: Option<Vec<Claim>>,
    /// The questions put to readers, in order.
    pub debate: Option<Vec<String>>,
    /// The same with their ids, instead of `debate`: a question sent with its id keeps its
    /// id and its poll's votes when its words change.
    pub debate_questions: Option<Vec<QuestionInput>>,
    pub corrections: Option<Vec<Correction>>,
}

/// A debate question as a client sends it: its id when it has one.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionInput {
    #[serde(default)]
    pub id: Option<i64>,
    pub text: String,
}

/// A validated story, ready to store; as JSON, a story's kept revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleFields {
    pub slug: String,
    pub headline: String,
    pub standfirst: String,
    pub body: String,
    pub section: String,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    pub status: ArticleStatus,
    pub published_at: Option<DateTime<Utc>>,
    pub hero: Option<Hero>,
    pub claims: Vec<Claim>,
    pub debate: Vec<String>,
    /// Each question's id when the writer named it (same length as `debate`).
    #[serde(skip)]
    pub debate_ids: Vec<Option<i64>>,
    pub corrections: Vec<Correction>,
    /// Kept from a story file on import; otherwise the store uses the time of the write.
    #[serde(skip)]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub updated_at: Option<DateTime<Utc>>,
}

impl ArticleInput {
    /// The input laid over an existing story, as PATCH does.
    pub fn over(self, existing: &Article) -> ArticleInput {
        ArticleInput {
            slug: self.slug.or_else(|| Some(existing.slug.clone())),
            headline: self.headline.or_else(|| Some(existing.headline.clone())),
            standfirst: self
                .standfirst
                .or_else(|| Some(existing.standfirst.clone())),
            body: self.body.or_else(|| Some(existing.body.clone())),
            section: self.section.or_else(|| Some(existing.section.clone())),
            tags: self.tags.or_else(|| Some(existing.tags.clone())),
            authors: self.authors.or_else(|| Some(existing.authors.clone())),
            status: self.status.or(Some(existing.status)),
            published_at: self.published_at.or(Some(existing.published_at)),
            hero: self.hero.or_else(|| Some(existing.hero.clone())),
            claims: self.claims.or_else(|| Some(existing.claims.clone())),
            debate: self.debate.clone(),
            debate_questions: match (self.debate, self.debate_questions) {
                (_, Some(q)) => Some(q),
                (Some(texts), None) => Some(
                    texts
                        .into_iter()
                        .map(|text| QuestionInput { id: None, text })
                        .collect(),
                ),
                (None, None) => Some(
                    existing
                        .debate
                        .iter()
                        .map(|q| QuestionInput {
                            id: Some(q.id),
                            text: q.text.clone(),
                        })
                        .collect(),
                ),
            },
            corrections: self
                .corrections
                .or_else(|| Some(existing.corrections.clone())),
        }
    }

    /// Checks every field and reports every problem at once. `now` decides defaults such as
    /// the publication time of a story published without one.
    pub fn validate(self, now: DateTime<Utc>) -> Result<ArticleFields, ValidationError> {
        let mut e = FieldErrors::default();
        let headline = self.headline.unwrap_or_default().trim().to_string();
        check_line(&mut e, "headline", &headline, MAX_HEADLINE);
        let standfirst = self.standfirst.unwrap_or_default().trim().to_string();
        if standfirst.is_empty() {
            e.add("standfirst", "is required");
        }
        check_max(&mut e, "standfirst", &standfirst, MAX_STANDFIRST);
        let status = self.status.unwrap_or(ArticleStatus::Draft);
        let body = self.body.unwrap_or_default();
        if body.trim().is_empty() && !status.is_unfinished() {
            e.add(
                "body",
                "is required unless the story is a draft or in review",
            );
        }
        check_max(&mut e, "body", &body, MAX_BODY);

        let section = self.section.unwrap_or_default().trim().to_string();
        if section.is_empty() {
            e.add("section", "is required");
        } else if !is_valid_slug(&section) || section.len() > 40 {
            e.add("section", "must be a slug of at most 40 lowercase letters, digits and hyphens, such as world-news");
        }

        let slug = match self.slug.map(|s| s.trim().to_string()) {
            Some(s) if !s.is_empty() => {
                if !is_valid_slug(&s) || s.len() > MAX_SLUG {
                    e.add("slug", format!("must be at most {MAX_SLUG} lowercase letters, digits and single hyphens"));
                }
                if RESERVED_SLUGS.contains(&s.as_str()) {
                    e.add(
                        "slug",
                        "is kept for the newsroom's own pages; choose another",
                    );
                }
                s
            }
            _ => match slugify(&headline, 80) {
                s if RESERVED_SLUGS.contains(&s.as_str()) => format!("{s}-story"),
                s => s,
            },
        };
        if slug.is_empty() && !headline.is_empty() {
            e.add(
                "headline",
                "must contain letters or digits to make a slug from",
            );
        }

        let tags = normalise_list(&mut e, "tags", self.tags.unwrap_or_default(), 20, 40, true);
        let authors = normalise_list(
            &mut e,
            "authors",
            self.authors.unwrap_or_default(),
            10,
            80,
            false,
        );
        if authors.is_empty() && !status.is_unfinished() {
            e.add(
                "authors",
                "needs at least one author unless the story is a draft or in review",
            );
        }

        let mut published_at = self.published_at.flatten();
        if let Some(at) = published_at {
            if status == ArticleStatus::Published
                && at > now + chrono::Duration::minutes(crate::article::PUBLISHED_AHEAD_MINUTES)
            {
                e.add(
                    "published_at",
                    "is in the future; to publish later, use status scheduled",
                );
            }
            if at.year() < 1900 || at.year() > 9000 {
                e.add(
                    "published_at",
                    "must be a date between the years 1900 and 9000",
                );
            }
        }
        match status {
            ArticleStatus::Published if published_at.is_none() => published_at = Some(now),
            ArticleStatus::Scheduled if published_at.is_none() => {
                e.add("published_at", "is required when status is scheduled")
            }
            _ => {}
        }

        let hero = self.hero.flatten();
        if let Some(h) = &hero {
            check_url(&mut e, "hero.url", &h.url, true);
            if h.url.starts_with("http:") {
                // The site's pages are served with a policy that loads pictures over https only.
                e.add("hero.url", "must use https, or be a path on this site");
            }
            check_line(&mut e, "hero.alt", &h.alt, 300);
            check_max(&mut e, "hero.caption", &h.caption, 500);
            check_max(&mut e, "hero.credit", &h.credit, 200);
        }

        let claims = self.claims.unwrap_or_default();
        if claims.len() > 50 {
            e.add("claims", "must hold at most 50 claims");
        }
        for (i, c) in claims.iter().enumerate() {
            let f = |name: &str| format!("claims[{i}].{name}");
            if c.quote.trim().is_empty() || c.quote.contains('\0') {
                e.add(f("quote"), "is required, without NUL characters");
            } else if c.quote.chars().count() > 500 {
                e.add(f("quote"), "must be at most 500 characters");
            } else if !body::quote_occurs(&body, &c.quote) {
                e.add(f("quote"), "must occur in the body exactly as written, inside one paragraph and outside any formatting");
            }
            check_line(&mut e, &f("source.name"), &c.source.name, 120);
            check_max(&mut e, &f("source.role"), &c.source.role, 200);
            if let Some(u) = &c.source.url {
                check_url(&mut e, &f("source.url"), u, false);
            }
            check_max(&mut e, &f("note"), &c.note, 1000);
        }

        for (i, j) in body::overlapping_quotes(&body, claims.iter().map(|c| c.quote.as_str())) {
            e.add(
                format!("claims[{j}].quote"),
                format!("overlaps the quote of claims[{i}]; claims must not share words"),
            );
        }

        let questions: Vec<QuestionInput> = match (self.debate_questions, self.debate) {
            (Some(q), _) => q,
            (None, Some(texts)) => texts
                .into_iter()
                .map(|text| QuestionInput { id: None, text })
                .collect(),
            (None, None) => Vec::new(),
        };
        let debate: Vec<String> = questions
            .iter()
            .map(|q| q.text.trim().to_string())
            .collect();
        let debate_ids: Vec<Option<i64>> = questions.iter().map(|q| q.id).collect();
        if debate.len() > 10 {
            e.add("debate", "must hold at most 10 questions");
        }
        for (i, q) in debate.iter().enumerate() {
            check_line(&mut e, &format!("debate[{i}]"), q, 300);
        }

        let corrections = self.corrections.unwrap_or_default();
        for (i, c) in corrections.iter().enumerate() {
            if c.note.trim().is_empty() {
                e.add(format!("corrections[{i}].note"), "is required");
            }
            check_max(&mut e, &format!("corrections[{i}].note"), &c.note, 2000);
        }

        for (line, problem) in body::promo_problems(&body) {
            e.add("body", format!("line {line}: {problem}"));
        }
        for promo in body::promos(&body) {
            if promo.slug == slug {
                e.add(
                    "body",
                    format!("promo [[{}]] links the story to itself", promo.slug),
                );
            }
        }

        e.into_result()?;
        Ok(ArticleFields {
            slug,
            headline,
            standfirst,
            body,
            section,
            tags,
            authors,
            status,
            published_at,
            hero,
            claims,
            debate,
            debate_ids,
            corrections,
            created_at: None,
            updated_at: None,
        })
    }
}

/// Trims, drops duplicates and checks the sizes of a list of short names.
fn normalise_list(
    e: &mut FieldErrors,
    field: &str,
    items: Vec<String>,
    max_items: usize,
    max_len: usize,
    lowercase: bool,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let item = item.trim();
        let item = if lowercase {
            item.to_lowercase()
        } else {
            item.to_string()
        };
        check_line(e, &format!("{field}[{i}]"), &item, max_len);
        if !item.is_empty() && !out.contains(&item) {
            out.push(item);
        }
    }
    if out.len() > max_items {
        e.add(field, format!("must hold at most {max_items} entries"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{ClaimStatus, Source};

    fn input() -> ArticleInput {
        ArticleInput {
            headline: Some("Harbour bridge to close for repairs".into()),
            standfirst: Some("The bridge shuts for six weeks.".into()),
            body: Some("The council said the bridge is unsafe.\n\nMore to follow.".into()),
            section: Some("city".into()),
            authors: Some(vec!["Maya Okafor".into()]),
            status: Some(ArticleStatus::Published),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_story_validates_with_a_slug_from_its_headline() {
        let now = Utc::now();
        let f = input().validate(now).unwrap();
        assert_eq!(f.slug, "harbour-bridge-to-close-for-repairs");
        assert_eq!(f.published_at, Some(now));
    }

    #[test]
    fn missing_fields_are_all_named() {
        let err = ArticleInput {
            status: Some(ArticleStatus::Published),
            ..Default::default()
        }
        .validate(Utc::now())
        .unwrap_err();
        for field in ["headline", "standfirst", "body", "section", "authors"] {
            assert!(err.0 .0.contains_key(field), "{field} not named in {err}");
        }
    }

    #[test]
    fn a_claim_whose_quote_is_not_in_the_body_is_rejected() {
        let mut i = input();
        i.claims = Some(vec![Claim {
            quote: "the bridge is perfectly safe".into(),
            source: Source {
                name: "A. Person".into(),
                role: String::new(),
                url: None,
            },
            status: ClaimStatus::False,
            note: String::new(),
        }]);
        let err = i.validate(Utc::now()).unwrap_err();
        assert!(err.0 .0.contains_key("claims[0].quote"));
    }

    #[test]
    fn a_scheduled_story_needs_a_time() {
        let mut i = input();
        i.status = Some(ArticleStatus::Scheduled);
        let err = i.validate(Utc::now()).unwrap_err();
        assert!(err.0 .0.contains_key("published_at"));
    }

    #[test]
    fn tags_are_lowercased_and_deduplicated() {
        let mut i = input();
        i.tags = Some(vec![
            "Transport".into(),
            "transport ".into(),
            "roads".into(),
        ]);
        assert_eq!(
            i.validate(Utc::now()).unwrap().tags,
            vec!["transport", "roads"]
        );
    }

    #[test]
    fn a_promo_to_the_story_itself_is_rejected() {
        let mut i = input();
        i.body = Some("Text.\n\n[[harbour-bridge-to-close-for-repairs]] REPORT".into());
        assert!(i
            .validate(Utc::now())
            .unwrap_err()
            .0
             .0
            .contains_key("body"));
    }
}
