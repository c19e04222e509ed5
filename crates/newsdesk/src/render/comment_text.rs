//! A reader's plain text as HTML: escaped, in paragraphs, with web addresses linked
//! (`rel="nofollow ugc"`), and nothing else.

use super::markdown::{trusted, SafeHtml};
use html_escape::{encode_double_quoted_attribute, encode_text};
use newsdesk_core::screen::link_finder;

pub fn render(text: &str) -> SafeHtml {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len() + 32);
    for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        out.push_str("<p>");
        for (i, line) in paragraph.lines().enumerate() {
            if i > 0 {
                out.push_str("<br>\n");
            }
            push_line(&mut out, line);
        }
        out.push_str("</p>\n");
    }
    trusted(out)
}

fn push_line(out: &mut String, line: &str) {
    for span in link_finder().spans(line) {
        match span.kind() {
            Some(_) => {
                let href = span.as_str();
                // Only web links become links; anything else stays text.
                if href.starts_with("http://") || href.starts_with("https://") {
                    out.push_str("<a href=\"");
                    out.push_str(&encode_double_quoted_attribute(href));
                    out.push_str("\" rel=\"nofollow ugc noopener\">");
                    out.push_str(&encode_text(href));
                    out.push_str("</a>");
                } else {
                    out.push_str(&encode_text(href));
                }
            }
            None => out.push_str(&encode_text(span.as_str())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_shown_as_text() {
        let html = render("<script>alert('x')</script> & <b>bold</b>").to_string();
        assert!(!html.contains("<script") && !html.contains("<b>"));
        assert!(html.contains("&lt;script&gt;") && html.contains("&amp;"));
    }

    #[test]
    fn blank_lines_make_paragraphs_and_single_breaks_stay() {
        assert_eq!(
            render("one\ntwo\r\n\r\nthree").to_string(),
            "<p>one<br>\ntwo</p>\n<p>three</p>\n"
        );
    }

    #[test]
    fn web_addresses_become_nofollow_links() {
        let html = render("see https://example.org/a?b=1&c=2\" onclick=\"x now").to_string();
        assert!(
            html.contains(
                "<a href=\"https://example.org/a?b=1&amp;c=2\" rel=\"nofollow ugc noopener\">"
            ),
            "{html}"
        );
        assert_eq!(html.matches("<a ").count(), 1, "{html}");
    }

    #[test]
    fn script_addresses_are_not_linked() {
        let html = render("javascript:alert(1)").to_string();
        assert!(!html.contains("<a "));
    }
}
