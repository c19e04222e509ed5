//! The fuzz check of the WordPress importer's conversion of a post's HTML into a story's
//! Markdown: it never panics (a panic would lose the post's words without a word said), its
//! Markdown is tidy, and the story page shows it without script.

use super::html;
use crate::render::{comment_text, markdown};
use crate::wordpress::body::{convert, nesting, MAX_NESTING};
use crate::wordpress::comments;
use std::collections::HashMap;

pub fn check(data: &[u8]) {
    let Ok(content) = std::str::from_utf8(data) else {
        return;
    };
    // The importer refuses posts nested deeper than this before converting them.
    if nesting(content) > MAX_NESTING {
        return;
    }
    let attachments = HashMap::from([
        (
            "1".to_string(),
            "https://old.example/wp-content/uploads/a.jpg".to_string(),
        ),
        (
            "2".to_string(),
            "https://old.example/wp-content/uploads/b (1).png".to_string(),
        ),
    ]);
    // As `to_markdown` does, on a deep stack, but a panic is not swallowed here.
    let converted = std::thread::scope(|s| {
        let worker = std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn_scoped(s, || convert(content, &attachments))
            .expect("a thread to convert on");
        worker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    let md = &converted.markdown;
    assert_eq!(md.trim(), md, "the Markdown is not trimmed");
    assert!(
        !md.contains("\n\n\n"),
        "more than one blank line in a row:\n{md}"
    );
    html::assert_no_script(markdown::render(md).as_str());

    let text = comments::comment_text(content);
    html::assert_no_script(comment_text::render(&text).as_str());
}
