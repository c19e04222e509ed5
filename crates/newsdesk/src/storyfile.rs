//! Story files: one Markdown file per story, its fields in TOML front matter between `+++`
//! lines. `import stories` and `export stories` round-trip a site through them.

use chrono::{DateTime, Utc};
use newsdesk_core::{Article, ArticleFields, ArticleInput, ArticleStatus, Claim, Correction, Hero};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const FENCE: &str = "+++";

/// The front matter. Plain values come before tables, as TOML requires.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Front {
    slug: String,
    headline: String,
    #[serde(default)]
    standfirst: String,
    section: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    authors: Vec<String>,
    status: ArticleStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    published_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    updated_at: Option<DateTime<Utc>>,
    #[serde(default)]
    debate: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hero: Option<Hero>,
    #[serde(default)]
    claims: Vec<Claim>,
    #[serde(default)]
    corrections: Vec<Correction>,
}

/// A problem in one file, with the line it is on when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// The line (1-based, in the whole file) where a front-matter field is set, if it is.
fn line_of_field(front: &str, field: &str) -> Option<usize> {
    let key = field.split(['.', '[']).next().unwrap_or(field);
    front
        .lines()
        .position(|l| {
            let l = l.trim_start();
            l.starts_with(&format!("{key} "))
                || l.starts_with(&format!("{key}="))
                || l.starts_with(&format!("[{key}"))
                || l.starts_with(&format!("[[{key}"))
        })
        .map(|i| i + 2)
}

/// Parses and validates one story file.
pub fn parse(file: &Path, text: &str, now: DateTime<Utc>) -> Result<ArticleFields, Vec<FileError>> {
    let err = |line: Option<usize>, message: String| {
        vec![FileError {
            file: file.to_path_buf(),
            line,
            message,
        }]
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text
        .strip_prefix(FENCE)
        .and_then(|r| r.strip_prefix('\n').or_else(|| r.strip_prefix("\r\n")))
    else {
        return Err(err(
            Some(1),
            format!("a story file must start with a line '{FENCE}' opening its front matter"),
        ));
    };
    let mut fences = rest
        .split_inclusive('\n')
        .scan(0, |offset, line| {
            let start = *offset;
            *offset += line.len();
            Some((start, *offset, line))
        })
        .filter(|(_, _, line)| line.trim_end_matches(['\n', '\r']) == FENCE)
        .map(|(start, end, _)| (start, end));
    let Some(first) = fences.next() else {
        return Err(err(
            None,
            format!("the front matter is not closed by a line '{FENCE}'"),
        ));
    };
    // A line `+++` inside a multi-line string (`write` makes one of a standfirst holding such a
    // line) does not close the front matter: while the TOML ends inside a string, the next
    // such line is tried. A file that never reads is reported as the first line `+++` leaves it.
    let front_at = |end: usize| toml::from_str::<Front>(&rest[..end]);
    let mut at = first;
    let read = loop {
        match front_at(at.0) {
            Ok(front) => break Some(front),
            Err(e) if e.span().is_some_and(|s| s.start == at.0) => match fences.next() {
                Some(next) => at = next,
                None => break None,
            },
            Err(_) => break None,
        }
    };
    let (front_end, body_start) = if read.is_some() { at } else { first };
    let front_text = &rest[..front_end];
    let body = &rest[body_start..];
    let front: Front = read.map_or_else(|| front_at(front_end), Ok).map_err(|e| {
        let line = e
            .span()
            .map(|s| front_text[..s.start].matches('\n').count() + 2);
        // The TOML reader gives some errors, such as a carriage return alone, no words.
        let message = match e.message() {
            "" => "this line is not valid TOML (a stray control character?)",
            m => m,
        };
        err(line, message.to_string())
    })?;
    let (created_at, updated_at) = (front.created_at, front.updated_at);
    let input = ArticleInput {
        slug: Some(front.slug),
        headline: Some(front.headline),
        standfirst: Some(front.standfirst),
        body: Some(body.to_string()),
        section: Some(front.section),
        tags: Some(front.tags),
        authors: Some(front.authors),
        status: Some(front.status),
        published_at: Some(front.published_at),
        hero: Some(front.hero),
        claims: Some(front.claims),
        debate: Some(front.debate),
        debate_questions: None,
        corrections: Some(front.corrections),
    };
    let mut fields = input.validate(now).map_err(|v| {
        v.0 .0
            .into_iter()
            .map(|(field, messages)| {
                let line = if field == "body" {
                    Some(front_text.lines().count() + 3)
                } else {
                    line_of_field(front_text, &field)
                };
                FileError {
                    file: file.to_path_buf(),
                    line,
                    message: format!("{field}: {}", messages.join("; ")),
                }
            })
            .collect::<Vec<_>>()
    })?;
    fields.created_at = created_at;
    fields.updated_at = updated_at;
    Ok(fields)
}

/// Writes a story as a story file, every field included.
pub fn write(a: &Article) -> String {
    let front = Front {
        slug: a.slug.clone(),
        headline: a.headline.clone(),
        standfirst: a.standfirst.clone(),
        section: a.section.clone(),
        tags: a.tags.clone(),
        authors: a.authors.clone(),
        status: a.status,
        published_at: a.published_at,
        created_at: Some(a.created_at),
        updated_at: Some(a.updated_at),
        debate: a.debate.iter().map(|q| q.text.clone()).collect(),
        hero: a.hero.clone(),
        claims: a.claims.clone(),
        corrections: a.corrections.clone(),
    };
    let toml = toml::to_string(&front).expect("story front matter always serialises");
    format!("{FENCE}\n{toml}{FENCE}\n{}", a.body)
}

/// Reads every `.md` file of a folder, in name order. All problems are returned together.
pub fn read_dir(
    dir: &Path,
    now: DateTime<Utc>,
) -> Result<Vec<(PathBuf, ArticleFields)>, Vec<FileError>> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        vec![FileError {
            file: dir.to_path_buf(),
            line: None,
            message: format!("cannot read the folder: {e}"),
        }]
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();
    let files = paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p);
            (p, text)
        })
        .collect::<Vec<_>>();
    parse_all(
        files.iter().map(|(p, t)| {
            (
                p.as_path(),
                t.as_ref().map(String::as_str).map_err(|e| e.to_string()),
            )
        }),
        now,
    )
}

/// Parses a batch of files; any error in any file fails the whole batch.
pub fn parse_all<'a>(
    files: impl Iterator<Item = (&'a Path, Result<&'a str, String>)>,
    now: DateTime<Utc>,
) -> Result<Vec<(PathBuf, ArticleFields)>, Vec<FileError>> {
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for (path, text) in files {
        match text {
            Err(e) => errors.push(FileError {
                file: path.to_path_buf(),
                line: None,
                message: format!("cannot read: {e}"),
            }),
            Ok(text) => match parse(path, text, now) {
                Ok(fields) => ok.push((path.to_path_buf(), fields)),
                Err(mut e) => errors.append(&mut e),
            },
        }
    }
    if errors.is_empty() {
        Ok(ok)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "+++\nslug = \"a-story\"\nheadline = \"A story\"\nstandfirst = \"It happened.\"\nsection = \"world\"\nauthors = [\"A. Writer\"]\nstatus = \"published\"\npublished_at = \"2026-11-20T10:00:00Z\"\n+++\nThe body.\n";

    #[test]
    fn a_good_file_parses_with_its_body_verbatim() {
        let f = parse(Path::new("a.md"), GOOD, Utc::now()).unwrap();
        assert_eq!(f.slug, "a-story");
        assert_eq!(f.body, "The body.\n");
    }

    #[test]
    fn a_toml_error_names_the_file_and_line() {
        let bad = GOOD.replace("section = \"world\"", "section = world");
        let e = parse(Path::new("bad.md"), &bad, Utc::now()).unwrap_err();
        assert_eq!(e[0].line, Some(5), "{e:?}");
        assert!(e[0].to_string().starts_with("bad.md:5:"));
    }

    #[test]
    fn a_validation_error_names_the_line_of_the_field() {
        let bad = GOOD.replace("headline = \"A story\"", "headline = \"\"");
        let e = parse(Path::new("bad.md"), &bad, Utc::now()).unwrap_err();
        assert_eq!(e[0].line, Some(3));
        assert!(e[0].message.contains("headline"));
    }

    #[test]
    fn a_toml_error_without_words_still_says_what_is_wrong() {
        // Found by the story_file fuzz target: the TOML reader has no words for a lone CR.
        let bad = GOOD.replace("section = \"world\"\n", "section = \"world\"\n\rx = 1\n");
        let e = parse(Path::new("bad.md"), &bad, Utc::now()).unwrap_err();
        assert_eq!(e[0].line, Some(6), "{e:?}");
        assert!(e[0].message.contains("not valid TOML"), "{e:?}");
    }

    #[test]
    fn a_fence_line_inside_a_string_does_not_close_the_front_matter() {
        // Found by the story_file fuzz target: TOML writes a standfirst holding line breaks as
        // a multi-line string, so one holding a line `+++` was written out but not read back.
        let file = GOOD.replace(
            "standfirst = \"It happened.\"",
            "standfirst = \"\"\"\nIt happened.\n+++\nThen more.\"\"\"",
        );
        let f = parse(Path::new("a.md"), &file, Utc::now()).unwrap();
        assert_eq!(f.standfirst, "It happened.\n+++\nThen more.");
        assert_eq!(f.body, "The body.\n");
        let unclosed = GOOD.replace("standfirst = \"It happened.\"", "standfirst = \"\"\"");
        let e = parse(Path::new("a.md"), &unclosed, Utc::now()).unwrap_err();
        assert_eq!(e[0].line, Some(9), "{e:?}");
    }

    #[test]
    fn a_file_without_front_matter_is_rejected_at_line_one() {
        let e = parse(Path::new("x.md"), "Just text", Utc::now()).unwrap_err();
        assert_eq!(e[0].line, Some(1));
    }
}
