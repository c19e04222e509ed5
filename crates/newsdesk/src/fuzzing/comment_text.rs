//! The fuzz check of a reader's comment as HTML: only paragraphs, line breaks and web links
//! come out, whatever was typed, and the kind of line endings does not change it.

use super::html;
use crate::render::comment_text::render;

pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let out = render(text);
    let out = out.as_str();
    html::assert_no_script(out);
    html::assert_links_do_not_nest(out);
    let (mut opened, mut closed) = (0, 0);
    for tag in html::tags(out) {
        match (tag.name.as_str(), tag.closing) {
            ("p", _) | ("br", false) => {}
            ("a", true) => closed += 1,
            ("a", false) => {
                opened += 1;
                assert!(
                    tag.raw.starts_with("<a href=\"https://")
                        || tag.raw.starts_with("<a href=\"http://"),
                    "a link that is not to the web: {}",
                    tag.raw
                );
                assert!(
                    tag.raw.ends_with("\" rel=\"nofollow ugc noopener\">"),
                    "a link without its rel: {}",
                    tag.raw
                );
            }
            _ => panic!("a comment shows markup it should not: {}\n{out}", tag.raw),
        }
    }
    assert_eq!(opened, closed, "links left open:\n{out}");
    // CR LF, CR and LF each end a line; written with any one of them, the comment is the same.
    let unix = text.replace("\r\n", "\n").replace('\r', "\n");
    for ending in ["\n", "\r\n", "\r"] {
        assert_eq!(
            render(&unix.replace('\n', ending)).as_str(),
            out,
            "line endings {ending:?} change the comment"
        );
    }
}
