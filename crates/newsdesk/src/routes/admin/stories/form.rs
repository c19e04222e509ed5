//! The story editor's form: every field of a story as the browser sends it, read into the
//! API's `ArticleInput` (so the same rules and the same field errors apply), and filled back
//! from a stored story or from what was typed when a save is refused.

use chrono::{DateTime, NaiveDateTime, Utc};
use newsdesk_core::{
    Article, ArticleInput, ArticleStatus, Claim, ClaimStatus, FieldErrors, Hero, Role, Source,
};
use serde::Deserialize;

/// Blank claim rows the form offers beyond the story's own, for a reader without script.
const SPARE_CLAIMS: usize = 2;
/// How the time field is written: `datetime-local`, read as UTC.
const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M";

/// The editor's fields. Repeated claim fields line up row by row.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct StoryForm {
    /// The revision the writer started from (empty for a new story).
    pub revision: String,
    pub headline: String,
    pub standfirst: String,
    pub slug: String,
    pub section: String,
    /// Comma-separated.
    pub tags: String,
    /// One per line, or comma-separated.
    pub authors: String,
    pub hero_url: String,
    pub hero_alt: String,
    pub hero_caption: String,
    pub hero_credit: String,
    pub body: String,
    pub claim_quote: Vec<String>,
    pub claim_name: Vec<String>,
    pub claim_role: Vec<String>,
    pub claim_url: Vec<String>,
    pub claim_status: Vec<String>,
    pub claim_note: Vec<String>,
    /// The debate questions row by row: the id of a question that has one, its words, and
    /// its place in the order (1 first).
    pub question_id: Vec<String>,
    pub question_text: Vec<String>,
    pub question_order: Vec<String>,
    pub status: String,
    /// `YYYY-MM-DDTHH:MM`, UTC; empty for none.
    pub published_at: String,
    /// For a published story: `correction`, `update` or `silent` (a typo, no public note).
    pub change_kind: String,
    /// What readers are told about a correction or an update.
    pub change_note: String,
    /// Ticked to confirm withdrawing a story readers can see.
    pub confirm_unpublish: String,
    /// `save` or `preview`.
    pub action: String,
}

/// One debate question row of the form.
pub struct QuestionRow {
    pub index: usize,
    pub id: String,
    pub text: String,
    pub order: String,
}

/// One claim row of the form.
pub struct ClaimRow {
    pub index: usize,
    pub quote: String,
    pub name: String,
    pub role: String,
    pub url: String,
    pub status: String,
    pub note: String,
    /// Who set which status when, from the story's revisions.
    pub history: String,
}

fn split_list(text: &str) -> Vec<String> {
    text.split([',', '\n'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect()
}

fn at(v: &[String], i: usize) -> String {
    v.get(i).map(|s| s.trim().to_string()).unwrap_or_default()
}

impl StoryForm {
    /// The form as the stored story fills it.
    pub fn from_article(a: &Article) -> StoryForm {
        let hero = a.hero.clone().unwrap_or(Hero {
            url: String::new(),
            alt: String::new(),
            caption: String::new(),
            credit: String::new(),
        });
        StoryForm {
            revision: a.revision.to_string(),
            headline: a.headline.clone(),
            standfirst: a.standfirst.clone(),
            slug: a.slug.clone(),
            section: a.section.clone(),
            tags: a.tags.join(", "),
            authors: a.authors.join("\n"),
            hero_url: hero.url,
            hero_alt: hero.alt,
            hero_caption: hero.caption,
            hero_credit: hero.credit,
            body: a.body.clone(),
            claim_quote: a.claims.iter().map(|c| c.quote.clone()).collect(),
            claim_name: a.claims.iter().map(|c| c.source.name.clone()).collect(),
            claim_role: a.claims.iter().map(|c| c.source.role.clone()).collect(),
            claim_url: a
                .claims
                .iter()
                .map(|c| c.source.url.clone().unwrap_or_default())
                .collect(),
            claim_status: a
                .claims
                .iter()
                .map(|c| c.status.as_str().to_string())
                .collect(),
            claim_note: a.claims.iter().map(|c| c.note.clone()).collect(),
            question_id: a.debate.iter().map(|q| q.id.to_string()).collect(),
            question_text: a.debate.iter().map(|q| q.text.clone()).collect(),
            question_order: (1..=a.debate.len()).map(|n| n.to_string()).collect(),
            status: a.status.as_str().into(),
            published_at: a
                .published_at
                .map(|t| t.format(TIME_FORMAT).to_string())
                .unwrap_or_default(),
            change_kind: String::new(),
            change_note: String::new(),
            confirm_unpublish: String::new(),
            action: String::new(),
        }
    }

    /// What a change to a published story adds to its public log: nothing for a silent fix,
    /// else a dated correction or update; or what is missing to say which.
    pub fn log_entry(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Option<newsdesk_core::Correction>, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = match self.change_kind.as_str() {
            "correction" => Some(newsdesk_core::CorrectionKind::Correction),
            "update" => Some(newsdesk_core::CorrectionKind::Update),
            "silent" => None,
            _ => {
                errors.add(
                    "change_kind",
                    "say whether this change to a published story is a correction, an update or \
                     a silent fix of a typo",
                );
                None
            }
        };
        let note = self.change_note.trim();
        if kind.is_some() && note.is_empty() {
            errors.add(
                "change_note",
                "is required: readers see it at the foot of the story",
            );
        }
        errors.into_result().map_err(|e| e.0)?;
        Ok(kind.map(|kind| newsdesk_core::Correction {
            at: now,
            note: note.to_string(),
            kind,
        }))
    }

    /// The claim rows as typed, whose quote or source is not empty, with their row numbers.
    fn filled_claims(&self) -> Vec<(usize, Claim, String)> {
        (0..self.claim_quote.len())
            .filter(|&i| {
                !at(&self.claim_quote, i).is_empty() || !at(&self.claim_name, i).is_empty()
            })
            .map(|i| {
                let status = at(&self.claim_status, i);
                let claim = Claim {
                    quote: at(&self.claim_quote, i),
                    source: Source {
                        name: at(&self.claim_name, i),
                        role: at(&self.claim_role, i),
                        url: Some(at(&self.claim_url, i)).filter(|u| !u.is_empty()),
                    },
                    status: ClaimStatus::ALL
                        .into_iter()
                        .find(|s| s.as_str() == status)
                        .unwrap_or(ClaimStatus::Unverified),
                    note: at(&self.claim_note, i),
                };
                (i, claim, status)
            })
            .collect()
    }

    /// The form as the API's input, or the fields the form itself gets wrong (a time that is
    /// no time, a status or claim status that does not exist), named as the page shows them.
    pub fn to_input(&self) -> Result<ArticleInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let status = match self.status.trim() {
            "" => None,
            s => {
                let parsed = ArticleStatus::parse(s);
                if parsed.is_none() {
                    errors.add(
                        "status",
                        format!("must be one of the listed statuses, not '{s}'"),
                    );
                }
                parsed
            }
        };
        let published_at = match self.published_at.trim() {
            "" => None,
            t => match NaiveDateTime::parse_from_str(t, TIME_FORMAT)
                .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S"))
            {
                Ok(n) => Some(DateTime::<Utc>::from_naive_utc_and_offset(n, Utc)),
                Err(_) => {
                    errors.add(
                        "published_at",
                        "must be a date and time, such as 2026-12-01T09:30",
                    );
                    None
                }
            },
        };
        let claims = self.filled_claims();
        for (position, (_, _, status)) in claims.iter().enumerate() {
            if !ClaimStatus::ALL.iter().any(|s| s.as_str() == status) {
                errors.add(
                    format!("claims[{position}].status"),
                    "must be unverified, verified, disputed or false",
                );
            }
        }
        let hero = (!self.hero_url.trim().is_empty()).then(|| Hero {
            url: self.hero_url.trim().into(),
            alt: self.hero_alt.trim().into(),
            caption: self.hero_caption.trim().into(),
            credit: self.hero_credit.trim().into(),
        });
        errors.into_result().map_err(|e| e.0)?;
        Ok(ArticleInput {
            slug: Some(self.slug.trim().to_string()).filter(|s| !s.is_empty()),
            headline: Some(self.headline.clone()),
            standfirst: Some(self.standfirst.clone()),
            body: Some(self.body.replace("\r\n", "\n")),
            section: Some(self.section.trim().to_string()),
            tags: Some(split_list(&self.tags)),
            authors: Some(split_list(&self.authors)),
            status,
            published_at: Some(published_at),
            hero: Some(hero),
            claims: Some(claims.into_iter().map(|(_, c, _)| c).collect()),
            debate: None,
            debate_questions: Some(self.questions()),
            corrections: None,
        })
    }

    /// The debate questions typed, in the order asked (an empty row is a removed question).
    pub fn questions(&self) -> Vec<newsdesk_core::input::QuestionInput> {
        let mut rows: Vec<(i64, usize, newsdesk_core::input::QuestionInput)> =
            (0..self.question_text.len())
                .filter(|&i| !at(&self.question_text, i).is_empty())
                .map(|i| {
                    let order = at(&self.question_order, i).parse().unwrap_or(i as i64 + 1);
                    let id = at(&self.question_id, i).parse().ok();
                    let text = at(&self.question_text, i);
                    (order, i, newsdesk_core::input::QuestionInput { id, text })
                })
                .collect();
        rows.sort_by_key(|(order, i, _)| (*order, *i));
        rows.into_iter().map(|(_, _, q)| q).collect()
    }

    /// The question rows to show: the story's, then a spare one.
    pub fn question_rows(&self) -> Vec<QuestionRow> {
        (0..self.question_text.len() + 1)
            .map(|i| QuestionRow {
                index: i,
                id: at(&self.question_id, i),
                text: at(&self.question_text, i),
                order: Some(at(&self.question_order, i))
                    .filter(|o| !o.is_empty())
                    .unwrap_or_else(|| (i + 1).to_string()),
            })
            .collect()
    }

    /// The claim rows to show: the typed ones, then a few blank ones.
    pub fn claim_rows(&self) -> Vec<ClaimRow> {
        let typed = self.claim_quote.len();
        (0..typed + SPARE_CLAIMS)
            .map(|i| ClaimRow {
                index: i,
                quote: at(&self.claim_quote, i),
                name: at(&self.claim_name, i),
                role: at(&self.claim_role, i),
                url: at(&self.claim_url, i),
                note: at(&self.claim_note, i),
                history: String::new(),
                status: Some(at(&self.claim_status, i))
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "unverified".into()),
            })
            .collect()
    }

    /// The row of the form that the `position`-th filled claim came from, so an error on
    /// `claims[n]` is shown beside the row the writer typed it in.
    pub fn claim_row_of(&self, position: usize) -> Option<usize> {
        self.filled_claims().get(position).map(|(row, _, _)| *row)
    }
}

/// The statuses a role may give a story, as the form lists them.
pub fn statuses_for(role: Role) -> Vec<&'static str> {
    ArticleStatus::ALL
        .into_iter()
        .filter(|s| role.publishes() || s.is_unfinished())
        .map(ArticleStatus::as_str)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed() -> StoryForm {
        StoryForm {
            headline: "Bridge to close".into(),
            tags: "transport, harbour,,".into(),
            authors: "Maya Okafor\nJo Brandt".into(),
            claim_quote: vec!["".into(), "would close".into(), "".into()],
            claim_name: vec!["".into(), "Jo Brandt".into(), "".into()],
            claim_status: vec!["unverified".into(), "disputed".into(), "unverified".into()],
            published_at: "2026-12-01T09:30".into(),
            status: "scheduled".into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_form_becomes_the_api_input_with_blank_claim_rows_left_out() {
        let input = typed().to_input().unwrap();
        assert_eq!(input.tags.unwrap(), ["transport", "harbour"]);
        assert_eq!(input.authors.unwrap(), ["Maya Okafor", "Jo Brandt"]);
        let claims = input.claims.unwrap();
        assert_eq!(claims.len(), 1);
        assert_eq!(claims[0].status, ClaimStatus::Disputed);
        assert_eq!(
            input.published_at.unwrap().unwrap().to_rfc3339(),
            "2026-12-01T09:30:00+00:00"
        );
        assert_eq!(
            typed().claim_row_of(0),
            Some(1),
            "errors find the row typed in"
        );
    }

    #[test]
    fn a_time_or_status_that_does_not_exist_is_named() {
        let mut f = typed();
        f.published_at = "tomorrow".into();
        f.status = "live".into();
        f.claim_status[1] = "maybe".into();
        let errors = f.to_input().unwrap_err();
        for field in ["published_at", "status", "claims[0].status"] {
            assert!(errors.0.contains_key(field), "{field}: {errors:?}");
        }
    }

    #[test]
    fn contributors_are_offered_only_draft_and_review() {
        assert_eq!(statuses_for(Role::Contributor), ["draft", "review"]);
        assert!(statuses_for(Role::Author).contains(&"published"));
    }
}
