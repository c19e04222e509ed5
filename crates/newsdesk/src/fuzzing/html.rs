//! What the fuzz checks ask of rendered HTML: a small reader of its tags that knows quoted
//! attribute values, and the rules every page's HTML keeps (no script, no link in a link).

/// One tag as written: where it starts, its text (`<a href="…">`) and its lowercase name.
#[derive(Debug)]
pub struct Tag<'a> {
    pub at: usize,
    pub raw: &'a str,
    pub name: String,
    pub closing: bool,
}

/// The tags of serialized HTML, in order. Text never holds a raw `<` (the serializers escape
/// it), so every `<` followed by a name opens a tag, which runs to the first `>` outside a
/// double-quoted attribute value.
pub fn tags(html: &str) -> Vec<Tag<'_>> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let closing = b.get(i + 1) == Some(&b'/');
        let name_at = i + 1 + usize::from(closing);
        let name_len = b[name_at..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        assert!(
            name_len > 0,
            "a raw '<' stands in text at byte {i}:\n{html}"
        );
        let mut j = name_at + name_len;
        let mut quoted = false;
        while j < b.len() && (quoted || b[j] != b'>') {
            quoted ^= b[j] == b'"';
            j += 1;
        }
        assert!(j < b.len(), "a tag at byte {i} is never closed:\n{html}");
        out.push(Tag {
            at: i,
            raw: &html[i..=j],
            name: html[name_at..name_at + name_len].to_ascii_lowercase(),
            closing,
        });
        i = j + 1;
    }
    out
}

/// Attributes that hold an address a browser may follow or load.
const URL_ATTRIBUTES: [&str; 6] = ["href", "src", "cite", "action", "formaction", "poster"];

/// No script anywhere: no script tag, no handler attribute, no script address.
pub fn assert_no_script(html: &str) {
    for tag in tags(html) {
        let raw = tag.raw.to_ascii_lowercase();
        assert!(tag.name != "script", "a script tag got through:\n{html}");
        let outside_values: String = raw.split('"').step_by(2).collect();
        assert!(
            !outside_values.contains(" on"),
            "an event handler got through in {}:\n{html}",
            tag.raw
        );
        // Pieces between double quotes alternate: what stands before a value ends in its name.
        let pieces: Vec<&str> = raw.split('"').collect();
        for pair in pieces.chunks(2).filter(|p| p.len() == 2) {
            let name = pair[0].trim_end().trim_end_matches('=').trim_end();
            let name = name.rsplit(char::is_whitespace).next().unwrap_or_default();
            if !URL_ATTRIBUTES.contains(&name) {
                continue;
            }
            let value: String = pair[1].chars().filter(|c| !c.is_whitespace()).collect();
            assert!(
                !value.starts_with("javascript:") && !value.starts_with("data:text/html"),
                "a script address got through in {}:\n{html}",
                tag.raw
            );
        }
    }
}

/// Links never stand inside links: readers could not tell where one goes.
pub fn assert_links_do_not_nest(html: &str) {
    let mut open = 0usize;
    for tag in tags(html).iter().filter(|t| t.name == "a") {
        if tag.closing {
            open = open.saturating_sub(1);
        } else {
            assert_eq!(
                open, 0,
                "a link opens inside a link at byte {}:\n{html}",
                tag.at
            );
            open += 1;
        }
    }
}

/// Markup the code inserted (`start`, such as `<span class="claim"`) stands only as tags of
/// its own, never inside another tag's attribute: every time `start` occurs, a tag starts.
pub fn assert_only_as_tags(html: &str, start: &str) {
    let written = html.matches(start).count();
    let as_tags = tags(html)
        .iter()
        .filter(|t| t.raw.starts_with(start))
        .count();
    assert_eq!(
        written, as_tags,
        "{start} was written inside another tag:\n{html}"
    );
}
