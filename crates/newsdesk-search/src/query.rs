//! The readers' query language, read into parts before any index is touched: plain words
//! (all must match), "quoted phrases", prefixes ending in `*`, and `-` to exclude a word or
//! phrase. Anything else is punctuation and is ignored, never an error.

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Words and phrases one query may hold.
pub const MAX_PARTS: usize = 16;
/// Prefixes one query may hold: each stands for many words.
pub const MAX_PREFIXES: usize = 4;
/// The shortest prefix `*` applies to; shorter ones are read as whole words.
pub const MIN_PREFIX_CHARS: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// One word.
    Word(String),
    /// Words that must stand together in this order: a quoted phrase, or a word written with
    /// inner punctuation such as `covid-19`.
    Phrase(Vec<String>),
    /// Any word starting with this.
    Prefix(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub matches: Match,
    /// Stories matching this part are left out.
    pub excluded: bool,
}

/// Splits text into words: runs of letters and digits.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Reads a query into its parts, in the order written.
pub fn parse(query: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut rest = query.trim_start();
    while !rest.is_empty() {
        let excluded = rest.starts_with('-') && rest[1..].starts_with(|c: char| !c.is_whitespace());
        if excluded {
            rest = &rest[1..];
        }
        let (raw, quoted, next) = if let Some(inner) = rest.strip_prefix('"') {
            let end = inner.find('"').unwrap_or(inner.len());
            let next = inner.get(end + 1..).unwrap_or("");
            (&inner[..end], true, next)
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            (&rest[..end], false, &rest[end..])
        };
        rest = next.trim_start();
        if let Some(matches) = read_part(raw, quoted) {
            parts.push(Part { matches, excluded });
        }
    }
    parts
}

fn read_part(raw: &str, quoted: bool) -> Option<Match> {
    let mut tokens = words(raw);
    let prefix = !quoted && raw.ends_with('*');
    if prefix && tokens.len() == 1 && tokens[0].chars().count() >= MIN_PREFIX_CHARS {
        return tokens.pop().map(Match::Prefix);
    }
    match tokens.len() {
        0 => None,
        1 => tokens.pop().map(Match::Word),
        _ => Some(Match::Phrase(tokens)),
    }
}

/// Reads a query and checks it against the limits, saying what is wrong when it is not.
pub fn check(query: &str) -> Result<Vec<Part>, String> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(format!("must be at most {MAX_QUERY_CHARS} characters"));
    }
    let parts = parse(query);
    if parts.len() > MAX_PARTS {
        return Err(format!("may hold at most {MAX_PARTS} words or phrases"));
    }
    let prefixes = parts
        .iter()
        .filter(|p| matches!(p.matches, Match::Prefix(_)))
        .count();
    if prefixes > MAX_PREFIXES {
        return Err(format!("may hold at most {MAX_PREFIXES} words ending in *"));
    }
    Ok(parts)
}

/// Whether a query asks for anything: at least one part that is not an exclusion.
pub fn has_positive(parts: &[Part]) -> bool {
    parts.iter().any(|p| !p.excluded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> Part {
        Part {
            matches: Match::Word(w.into()),
            excluded: false,
        }
    }

    #[test]
    fn plain_words_become_one_part_each() {
        assert_eq!(parse("  rail  strike "), vec![word("rail"), word("strike")]);
    }

    #[test]
    fn quoted_words_form_a_phrase_and_an_unclosed_quote_runs_to_the_end() {
        assert_eq!(
            parse("\"city council\" vote \"harbour bridge"),
            vec![
                Part {
                    matches: Match::Phrase(vec!["city".into(), "council".into()]),
                    excluded: false
                },
                word("vote"),
                Part {
                    matches: Match::Phrase(vec!["harbour".into(), "bridge".into()]),
                    excluded: false
                },
            ]
        );
    }

    #[test]
    fn a_star_makes_a_prefix_unless_it_is_too_short() {
        assert_eq!(
            parse("elect* ab*"),
            vec![
                Part {
                    matches: Match::Prefix("elect".into()),
                    excluded: false
                },
                word("ab"),
            ]
        );
    }

    #[test]
    fn a_leading_minus_excludes_but_a_lone_minus_is_punctuation() {
        assert_eq!(
            parse("budget - -tax"),
            vec![
                word("budget"),
                Part {
                    matches: Match::Word("tax".into()),
                    excluded: true
                },
            ]
        );
        assert!(!has_positive(&parse("-tax")));
    }

    #[test]
    fn inner_punctuation_keeps_the_pieces_together_as_a_phrase() {
        assert_eq!(
            parse("covid-19"),
            vec![Part {
                matches: Match::Phrase(vec!["covid".into(), "19".into()]),
                excluded: false
            }]
        );
    }

    #[test]
    fn punctuation_alone_asks_for_nothing() {
        assert!(parse("?? ... \"\" *").is_empty());
    }

    #[test]
    fn too_many_words_or_prefixes_are_refused_with_the_reason() {
        assert!(check(&"word ".repeat(17)).unwrap_err().contains("16 words"));
        assert!(check("abc* def* ghi* jkl* mno*")
            .unwrap_err()
            .contains("4 words ending in *"));
        assert!(check(&"a".repeat(201))
            .unwrap_err()
            .contains("200 characters"));
        assert_eq!(check("abc* def* rail").unwrap().len(), 3);
    }
}
