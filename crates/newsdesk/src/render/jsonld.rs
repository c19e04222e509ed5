//! schema.org data for search engines: JSON-LD blocks that cannot break out of their script tag.

use super::markdown::{trusted, SafeHtml};

/// A `<script type="application/ld+json">` element holding `value`. `<`, `>` and `&` are
/// written as JSON escapes, so no text from a story can end the element early.
pub fn script(value: &serde_json::Value) -> SafeHtml {
    let json = value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    trusted(format!(
        "<script type=\"application/ld+json\">{json}</script>"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closing_script_tag_in_data_cannot_end_the_block() {
        let out = script(&serde_json::json!({"headline": "</script><script>alert(1)</script>"}));
        assert_eq!(out.as_str().matches("</script>").count(), 1);
        let inner = out
            .as_str()
            .trim_start_matches("<script type=\"application/ld+json\">")
            .trim_end_matches("</script>");
        let back: serde_json::Value = serde_json::from_str(inner).unwrap();
        assert_eq!(back["headline"], "</script><script>alert(1)</script>");
    }
}
