//! The fuzz check of a story file (`import stories`): any text is read or refused with a
//! located error, never a panic, and a story read, written back (`export stories`) and read
//! again is the same story.

use super::story_body::now;
use crate::storyfile::{parse, write};
use newsdesk_core::{Article, ArticleFields, ArticleId, DebateQuestion};
use std::path::Path;

pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = Path::new("fuzzed.md");
    let first = match parse(file, text, now()) {
        Ok(fields) => fields,
        Err(errors) => {
            assert!(!errors.is_empty(), "a refused file names no problem");
            let lines = text.lines().count().max(1) + 3;
            for e in &errors {
                assert_eq!(e.file, file);
                assert!(!e.message.is_empty(), "an error without words: {e:?}");
                if let Some(line) = e.line {
                    assert!(
                        (1..=lines).contains(&line),
                        "an error names line {line} of a file of {lines}: {e:?}"
                    );
                }
            }
            return;
        }
    };
    let story = article(&first);
    let written = write(&story);
    let again = parse(file, &written, now())
        .unwrap_or_else(|e| panic!("a story written back cannot be read again: {e:?}\n{written}"));
    let mut expected = first;
    expected.created_at = Some(story.created_at);
    expected.updated_at = Some(story.updated_at);
    assert_eq!(
        again, expected,
        "a story written back reads as another story:\n{written}"
    );
}

/// The story the store would keep for these fields.
fn article(f: &ArticleFields) -> Article {
    Article {
        id: ArticleId(1),
        slug: f.slug.clone(),
        status: f.status,
        published_at: f.published_at,
        created_at: f.created_at.unwrap_or_else(now),
        updated_at: f.updated_at.unwrap_or_else(now),
        revision: 1,
        updated_by: String::new(),
        headline: f.headline.clone(),
        standfirst: f.standfirst.clone(),
        body: f.body.clone(),
        section: f.section.clone(),
        tags: f.tags.clone(),
        authors: f.authors.clone(),
        hero: f.hero.clone(),
        claims: f.claims.clone(),
        debate: f
            .debate
            .iter()
            .zip(1..)
            .map(|(text, id)| DebateQuestion {
                id,
                text: text.clone(),
            })
            .collect(),
        corrections: f.corrections.clone(),
        comment_count: 0,
    }
}
