//! Slugs: the stable, readable part of a story's URL, and the keys of sections, tags and authors.

/// Makes a slug from free text: lowercase ASCII words joined by hyphens, cut at a word
/// boundary so URLs stay readable.
pub fn slugify(text: &str, max_len: usize) -> String {
    let full = slug::slugify(text);
    if full.len() <= max_len {
        return full;
    }
    let mut cut = String::new();
    for word in full.split('-') {
        let extra = if cut.is_empty() {
            word.len()
        } else {
            word.len() + 1
        };
        if cut.len() + extra > max_len {
            break;
        }
        if !cut.is_empty() {
            cut.push('-');
        }
        cut.push_str(word);
    }
    if cut.is_empty() {
        full[..max_len].trim_end_matches('-').to_string()
    } else {
        cut
    }
}

/// Whether `s` is already a well-formed slug: lowercase letters and digits in hyphen-joined runs.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The display name of a section slug: "world-cup" reads "World Cup".
pub fn title_from_slug(s: &str) -> String {
    s.split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_headline_becomes_a_lowercase_hyphenated_slug() {
        assert_eq!(
            slugify("Rail strike: 200,000 stuck!", 80),
            "rail-strike-200-000-stuck"
        );
    }

    #[test]
    fn accents_are_folded_to_ascii() {
        assert_eq!(slugify("Café owners' révolte", 80), "cafe-owners-revolte");
    }

    #[test]
    fn long_slugs_are_cut_at_a_word_boundary() {
        assert_eq!(slugify("alpha beta gamma delta", 12), "alpha-beta");
    }

    #[test]
    fn slug_validation_rejects_uppercase_and_double_hyphens() {
        assert!(is_valid_slug("a-b-2"));
        assert!(!is_valid_slug("A-b"));
        assert!(!is_valid_slug("a--b"));
        assert!(!is_valid_slug("-a"));
        assert!(!is_valid_slug(""));
    }

    #[test]
    fn section_slugs_read_as_titles() {
        assert_eq!(title_from_slug("world-cup"), "World Cup");
    }
}
