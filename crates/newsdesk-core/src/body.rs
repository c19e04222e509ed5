//! The structure of a story body: Markdown text interleaved with promo blocks, and the text
//! runs in which a claim's quote may stand.

use pulldown_cmark::{Event, Parser};

/// A link card to another story, written as a line `[[slug]] KICKER`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromoRef {
    pub slug: String,
    /// The label shown in capitals, such as REPORT; may be empty.
    pub kicker: String,
}

/// One block of a body: Markdown to render, or a group of promos standing together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyBlock {
    Markdown(String),
    Promos(Vec<PromoRef>),
}

const MAX_KICKER: usize = 24;

/// Reads one promo line; `None` when the line is not a promo.
fn parse_promo_line(line: &str) -> Option<PromoRef> {
    let rest = line.trim().strip_prefix("[[")?;
    let (slug, kicker) = rest.split_once("]]")?;
    let kicker = kicker.trim();
    let kicker_ok = kicker.chars().count() <= MAX_KICKER
        && kicker
            .chars()
            .all(|c| c.is_alphanumeric() || c == ' ' || c == '-');
    (crate::slug::is_valid_slug(slug) && kicker_ok).then(|| PromoRef {
        slug: slug.to_string(),
        kicker: kicker.to_uppercase(),
    })
}

/// Splits a body into Markdown and promo blocks. A promo block is a paragraph (blank lines
/// around it) whose every line is a promo line; fenced code is never read as promos.
pub fn split_body(body: &str) -> Vec<BodyBlock> {
    let mut blocks = Vec::new();
    let mut markdown = String::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut in_fence = false;

    let flush_paragraph = |paragraph: &mut Vec<&str>,
                           markdown: &mut String,
                           blocks: &mut Vec<BodyBlock>| {
        if paragraph.is_empty() {
            return;
        }
        let promos: Option<Vec<PromoRef>> = paragraph.iter().map(|l| parse_promo_line(l)).collect();
        match promos {
            Some(promos) => {
                if !markdown.trim().is_empty() {
                    blocks.push(BodyBlock::Markdown(std::mem::take(markdown)));
                }
                markdown.clear();
                blocks.push(BodyBlock::Promos(promos));
            }
            None => {
                for line in paragraph.iter() {
                    markdown.push_str(line);
                    markdown.push('\n');
                }
                markdown.push('\n');
            }
        }
        paragraph.clear();
    };

    for line in body.lines() {
        let fence = line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~");
        if in_fence || fence {
            if fence {
                in_fence = !in_fence;
            }
            flush_paragraph(&mut paragraph, &mut markdown, &mut blocks);
            markdown.push_str(line);
            markdown.push('\n');
            continue;
        }
        if line.trim().is_empty() {
            flush_paragraph(&mut paragraph, &mut markdown, &mut blocks);
        } else {
            paragraph.push(line);
        }
    }
    flush_paragraph(&mut paragraph, &mut markdown, &mut blocks);
    if !markdown.trim().is_empty() {
        blocks.push(BodyBlock::Markdown(markdown));
    }
    blocks
}

/// Every promo in a body, in order.
pub fn promos(body: &str) -> Vec<PromoRef> {
    split_body(body)
        .into_iter()
        .flat_map(|b| match b {
            BodyBlock::Promos(p) => p,
            BodyBlock::Markdown(_) => Vec::new(),
        })
        .collect()
}

/// The runs of plain text in the rendered body: text not interrupted by markup. A claim's
/// quote must stand inside one run so the page can mark it.
pub fn text_runs(markdown: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut current = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) => current.push_str(&t),
            Event::SoftBreak => current.push('\n'),
            _ => {
                if !current.is_empty() {
                    runs.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// Whether a claim's quote can be marked in the body.
pub fn quote_occurs(body: &str, quote: &str) -> bool {
    split_body(body).iter().any(|block| match block {
        BodyBlock::Markdown(md) => text_runs(md).iter().any(|run| run.contains(quote)),
        BodyBlock::Promos(_) => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paragraph_of_promo_lines_becomes_a_promo_block() {
        let body = "First para.\n\n[[other-story]] report\n[[third]]\n\nLast para.";
        let blocks = split_body(body);
        assert_eq!(blocks.len(), 3);
        assert_eq!(
            blocks[1],
            BodyBlock::Promos(vec![
                PromoRef {
                    slug: "other-story".into(),
                    kicker: "REPORT".into()
                },
                PromoRef {
                    slug: "third".into(),
                    kicker: String::new()
                },
            ])
        );
    }

    #[test]
    fn a_promo_line_inside_prose_stays_prose() {
        let body = "Read this:\n[[other-story]] REPORT";
        assert_eq!(
            split_body(body),
            vec![BodyBlock::Markdown(format!("{body}\n\n"))]
        );
    }

    #[test]
    fn promos_inside_fenced_code_are_not_promos() {
        let body = "```\n[[other-story]] REPORT\n```\n";
        assert!(promos(body).is_empty());
    }

    #[test]
    fn a_quote_must_sit_in_one_run_of_plain_text() {
        let body = "She said the bridge *will* close soon.\n\nThe mayor said rents will fall.";
        assert!(quote_occurs(body, "rents will fall"));
        assert!(!quote_occurs(body, "the bridge will close"));
        assert!(quote_occurs(body, "close soon"));
    }

    #[test]
    fn quotes_never_match_inside_promos() {
        assert!(!quote_occurs("[[some-story]] REPORT", "some-story"));
    }
}
