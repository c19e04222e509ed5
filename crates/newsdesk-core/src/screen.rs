//! Screening a new comment before it is stored: the site's rules decide whether it is
//! published at once, held for a moderator, or filed as spam, and say why.

use crate::comment::CommentStatus;

/// How open a story's conversation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CommentMode {
    /// Published at once unless a rule holds it.
    #[default]
    Open,
    /// Everything waits for a moderator.
    Premoderated,
    /// No new comments.
    Closed,
}

impl CommentMode {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(CommentMode::Open),
            "premoderated" => Some(CommentMode::Premoderated),
            "closed" => Some(CommentMode::Closed),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CommentMode::Open => "open",
            CommentMode::Premoderated => "premoderated",
            CommentMode::Closed => "closed",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ScreenRules {
    pub mode: CommentMode,
    /// More links than this hold a comment.
    pub max_links: usize,
    /// Words that file a comment as spam.
    pub banned_words: Vec<String>,
    /// Words that hold a comment for a moderator.
    pub suspect_words: Vec<String>,
}

/// The status a new comment gets, and the reason when it is not published.
pub fn screen(rules: &ScreenRules, name: &str, body: &str) -> (CommentStatus, String) {
    let text = format!("{name}\n{body}").to_lowercase();
    if let Some(w) = first_word_in(&rules.banned_words, &text) {
        return (
            CommentStatus::Spam,
            format!("contains the banned word \"{w}\""),
        );
    }
    let links = count_links(body);
    if links > rules.max_links {
        return (
            CommentStatus::Held,
            format!("has {links} links; more than {} are held", rules.max_links),
        );
    }
    if shouting(body) {
        return (CommentStatus::Held, "written mostly in capitals".into());
    }
    if let Some(w) = first_word_in(&rules.suspect_words, &text) {
        return (
            CommentStatus::Held,
            format!("contains the suspect word \"{w}\""),
        );
    }
    if rules.mode == CommentMode::Premoderated {
        return (
            CommentStatus::Held,
            "the conversation is pre-moderated".into(),
        );
    }
    (CommentStatus::Published, String::new())
}

/// A long comment in capitals reads as shouting; readers flag such comments, so they wait.
fn shouting(body: &str) -> bool {
    let letters: Vec<char> = body.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 40
        && letters.iter().filter(|c| c.is_uppercase()).count() * 10 >= letters.len() * 8
}

/// Whole-word matching, so "class" does not trip on "ass".
fn first_word_in<'a>(words: &'a [String], text: &str) -> Option<&'a str> {
    let tokens: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|t| !t.is_empty())
        .collect();
    words
        .iter()
        .map(|w| w.trim())
        .filter(|w| !w.is_empty())
        .find(|w| {
            let w = w.to_lowercase();
            if w.contains(' ') {
                text.contains(&w)
            } else {
                tokens.iter().any(|t| *t == w)
            }
        })
}

/// The links a reader's text holds, as they will be linked when shown.
pub fn count_links(body: &str) -> usize {
    link_finder().links(body).count()
}

pub fn link_finder() -> linkify::LinkFinder {
    let mut finder = linkify::LinkFinder::new();
    finder.kinds(&[linkify::LinkKind::Url]);
    finder
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> ScreenRules {
        ScreenRules {
            max_links: 2,
            banned_words: vec!["casino".into()],
            suspect_words: vec!["idiot".into(), "fake news".into()],
            ..Default::default()
        }
    }

    #[test]
    fn a_plain_comment_is_published() {
        assert_eq!(
            screen(&rules(), "Ana", "I disagree with the council.").0,
            CommentStatus::Published
        );
    }

    #[test]
    fn banned_words_file_a_comment_as_spam_and_say_which() {
        let (status, reason) = screen(&rules(), "Ana", "Best CASINO bonus!");
        assert_eq!(status, CommentStatus::Spam);
        assert!(reason.contains("casino"));
    }

    #[test]
    fn words_match_whole_words_only() {
        assert_eq!(
            screen(&rules(), "Ana", "The idiotic plan").0,
            CommentStatus::Published
        );
        assert_eq!(
            screen(&rules(), "Ana", "This is fake news.").0,
            CommentStatus::Held
        );
    }

    #[test]
    fn too_many_links_hold_a_comment() {
        let body = "see https://a.example/ and https://b.example/ and https://c.example/";
        let (status, reason) = screen(&rules(), "Ana", body);
        assert_eq!(status, CommentStatus::Held);
        assert!(reason.contains("3 links"));
    }

    #[test]
    fn shouting_is_held() {
        let (status, reason) = screen(
            &rules(),
            "Ana",
            "THIS COUNCIL IS A DISGRACE AND EVERYONE KNOWS IT, RESIGN NOW",
        );
        assert_eq!(status, CommentStatus::Held);
        assert!(reason.contains("capitals"));
        assert_eq!(
            screen(&rules(), "Ana", "NASA and the EU agree.").0,
            CommentStatus::Published
        );
    }

    #[test]
    fn premoderation_holds_everything() {
        let mut r = rules();
        r.mode = CommentMode::Premoderated;
        assert_eq!(screen(&r, "Ana", "Hello").0, CommentStatus::Held);
    }
}
