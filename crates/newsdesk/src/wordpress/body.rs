//! A WordPress post's content as a story's Markdown: shortcodes first (`[caption]`, `[embed]`,
//! `[gallery]`; unknown ones stay as text), paragraphs for classic-editor text, then the HTML
//! through html5ever (by htmd), keeping headings, paragraphs, links, lists, quotes, emphasis,
//! images and embeds (as links). Block-editor comments are HTML comments and fall away.

use htmd::element_handler::{HandlerResult, Handlers};
use htmd::{Element, HtmlToMarkdown};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A converted body and the image addresses it shows, for the caller to replace.
#[derive(Debug, Default)]
pub struct Converted {
    pub markdown: String,
    pub images: Vec<String>,
}

/// How deep a post's markup may nest: real posts nest a few dozen levels; converting costs
/// the square of the depth, so a hostile post could otherwise hold an import up for minutes.
pub const MAX_NESTING: usize = 5_000;

/// About how deep markup nests: opening tags less closing ones, void and self-closed tags not
/// counted. An estimate for refusing a hostile post, not a parse.
pub fn nesting(html: &str) -> usize {
    const VOID: [&str; 14] = [
        "br", "img", "hr", "input", "meta", "link", "source", "wbr", "area", "base", "col",
        "embed", "param", "track",
    ];
    let (mut depth, mut most) = (0usize, 0usize);
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        if let Some(name) = tag.strip_prefix('/') {
            if name.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
                depth = depth.saturating_sub(1);
            }
        } else if tag.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) && !tag.ends_with('/')
        {
            let name: String = tag
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            if !VOID.contains(&name.as_str()) {
                depth += 1;
                most = most.max(depth);
            }
        }
    }
    most
}

/// Converts a post's content. `attachments` maps attachment ids to their file addresses, for
/// `[gallery ids="…"]`.
pub fn to_markdown(content: &str, attachments: &HashMap<String, String>) -> Converted {
    // The converter walks the document recursively: deeply nested markup gets a deep stack.
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn_scoped(s, || convert(content, attachments))
            .ok()
            .and_then(|t| t.join().ok())
            .unwrap_or_default()
    })
}

/// The conversion itself, on the caller's stack; public for the fuzz checks.
#[doc(hidden)]
pub fn convert(content: &str, attachments: &HashMap<String, String>) -> Converted {
    let html = expand_shortcodes(content, attachments);
    let html = if html.contains("<!-- wp:") || html.contains("<p") {
        html
    } else {
        paragraphs(&html)
    };
    let images = Arc::new(Mutex::new(Vec::new()));
    let seen = images.clone();
    let converter = HtmlToMarkdown::builder()
        .skip_tags(vec!["script", "style", "noscript", "form", "button"])
        .add_handler(vec!["img"], move |h: &dyn Handlers, e: Element| {
            if let Some(src) = attr(&e, "src") {
                if let Ok(mut list) = seen.lock() {
                    list.push(src);
                }
            }
            h.fallback(e)
        })
        .add_handler(
            vec!["iframe", "video", "audio", "embed"],
            |_: &dyn Handlers, e: Element| {
                let src = attr(&e, "src")?;
                web_link(&src).map(|l| block(&l))
            },
        )
        .add_handler(vec!["figcaption"], |h: &dyn Handlers, e: Element| {
            let text = h.walk_children(e.node).content;
            let text = text.trim();
            (!text.is_empty()).then(|| block(&format!("*{text}*")))
        })
        .add_handler(vec!["div"], |h: &dyn Handlers, e: Element| {
            let class = attr(&e, "class").unwrap_or_default();
            if class
                .split_whitespace()
                .any(|c| c == "wp-block-embed__wrapper")
            {
                let text = h.walk_children(e.node).content;
                if let Some(link) = web_link(text.trim()) {
                    return Some(block(&link));
                }
            }
            h.fallback(e)
        })
        .build();
    let markdown = converter.convert(&html).unwrap_or_default();
    let images = images.lock().map(|l| l.clone()).unwrap_or_default();
    Converted {
        markdown: tidy(&markdown),
        images,
    }
}

fn attr(e: &Element, name: &str) -> Option<String> {
    e.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| a.value.to_string())
}

fn block(text: &str) -> HandlerResult {
    format!("\n\n{text}\n\n").into()
}

/// An http(s) address as a Markdown autolink; anything else is not a link.
fn web_link(url: &str) -> Option<String> {
    let url = url.trim();
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains(|c: char| c.is_whitespace() || c == '<' || c == '>');
    ok.then(|| format!("<{url}>"))
}

/// Markdown with no run of more than one blank line and no space at line ends but breaks.
fn tidy(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut blank = 0;
    for line in md.lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
            out.push('\n');
        } else {
            blank = 0;
            out.push_str(line);
            out.push('\n');
        }
    }
    out.trim().to_string()
}

/// Classic-editor text keeps its paragraphs as blank lines (WordPress adds the `<p>` when it
/// shows the post): each block that does not start with a block-level tag becomes a paragraph,
/// and its single line breaks become `<br>`.
fn paragraphs(text: &str) -> String {
    const BLOCKS: [&str; 14] = [
        "<h1",
        "<h2",
        "<h3",
        "<h4",
        "<h5",
        "<h6",
        "<ul",
        "<ol",
        "<blockquote",
        "<figure",
        "<div",
        "<table",
        "<pre",
        "<hr",
    ];
    let text = text.replace("\r\n", "\n");
    text.split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(|b| {
            let lower = b.to_ascii_lowercase();
            if BLOCKS.iter().any(|t| lower.starts_with(t)) {
                b.to_string()
            } else {
                format!("<p>{}</p>", b.replace('\n', "<br>\n"))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One shortcode as written: its name, its attributes' text and where it ends.
struct Shortcode<'a> {
    name: &'a str,
    attrs: &'a str,
    /// The text between the opening and closing tags, for enclosing shortcodes.
    inner: Option<&'a str>,
    end: usize,
}

const ENCLOSING: [&str; 2] = ["caption", "embed"];

fn shortcode_at(text: &str, start: usize) -> Option<Shortcode<'_>> {
    let rest = &text[start + 1..];
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    let name = &rest[..name_len];
    if name.is_empty() {
        return None;
    }
    let close = rest.find(']')?;
    let attrs = rest[name_len..close].trim();
    let after = start + 1 + close + 1;
    if ENCLOSING.contains(&name) {
        let closing = format!("[/{name}]");
        let inner_end = text[after..].find(&closing)? + after;
        return Some(Shortcode {
            name,
            attrs,
            inner: Some(&text[after..inner_end]),
            end: inner_end + closing.len(),
        });
    }
    Some(Shortcode {
        name,
        attrs,
        inner: None,
        end: after,
    })
}

/// The value of `name="…"` (or `name='…'`, or unquoted) in a shortcode's attributes.
fn shortcode_attr(attrs: &str, name: &str) -> Option<String> {
    let mut rest = attrs;
    while let Some(i) = rest.find(name) {
        let before_ok = i == 0 || rest.as_bytes()[i - 1].is_ascii_whitespace();
        let after = &rest[i + name.len()..];
        if before_ok {
            if let Some(v) = after.trim_start().strip_prefix('=') {
                let v = v.trim_start();
                let (quote, body) = match v.chars().next() {
                    Some(q @ ('"' | '\'')) => (Some(q), &v[1..]),
                    _ => (None, v),
                };
                let end = match quote {
                    Some(q) => body.find(q).unwrap_or(body.len()),
                    None => body.find(char::is_whitespace).unwrap_or(body.len()),
                };
                return Some(body[..end].to_string());
            }
        }
        rest = &rest[i + name.len()..];
    }
    None
}

fn escaped(s: &str) -> String {
    html_escape::encode_double_quoted_attribute(s).into_owned()
}

/// Replaces the shortcodes WordPress itself defines with the HTML they stand for; any other
/// shortcode (a plugin's) is left as the text it is.
fn expand_shortcodes(text: &str, attachments: &HashMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(found) = text[i..].find('[') {
        let start = i + found;
        out.push_str(&text[i..start]);
        match shortcode_at(text, start) {
            Some(sc) if sc.name == "caption" => {
                let inner = sc.inner.unwrap_or_default();
                // The caption is the text after the image (or its link), or the attribute.
                let split = inner
                    .rfind("</a>")
                    .map(|p| p + 4)
                    .or_else(|| inner.find("/>").map(|p| p + 2))
                    .or_else(|| inner.find('>').map(|p| p + 1))
                    .unwrap_or(0);
                let (picture, words) = inner.split_at(split);
                let words = match words.trim() {
                    "" => shortcode_attr(sc.attrs, "caption").map(|c| escaped(&c)),
                    w => Some(w.to_string()),
                };
                out.push_str("<figure>");
                out.push_str(picture);
                if let Some(w) = words {
                    out.push_str(&format!("<figcaption>{w}</figcaption>"));
                }
                out.push_str("</figure>");
                i = sc.end;
            }
            Some(sc) if sc.name == "embed" => {
                let url = sc.inner.unwrap_or_default().trim();
                out.push_str(&format!("<p><a href=\"{0}\">{0}</a></p>", escaped(url)));
                i = sc.end;
            }
            Some(sc) if sc.name == "gallery" => {
                let ids = shortcode_attr(sc.attrs, "ids")
                    .or_else(|| shortcode_attr(sc.attrs, "include"))
                    .unwrap_or_default();
                let items: Vec<String> = ids
                    .split(',')
                    .filter_map(|id| attachments.get(id.trim()))
                    .map(|url| format!("<li><img src=\"{}\" alt=\"\"></li>", escaped(url)))
                    .collect();
                if !items.is_empty() {
                    out.push_str(&format!("<ul>{}</ul>", items.concat()));
                }
                i = sc.end;
            }
            _ => {
                out.push('[');
                i = start + 1;
            }
        }
    }
    out.push_str(&text[i..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> String {
        to_markdown(html, &HashMap::new()).markdown
    }

    #[test]
    fn block_editor_markup_becomes_plain_markdown_without_its_comments() {
        let html = "<!-- wp:heading --><h2 class=\"wp-block-heading\">Floods</h2><!-- /wp:heading -->\n\
                    <!-- wp:paragraph --><p>The river <strong>rose</strong> at <a href=\"https://example.org/x\">dawn</a>.</p><!-- /wp:paragraph -->\n\
                    <!-- wp:list --><ul><li>one</li><li>two</li></ul><!-- /wp:list -->\n\
                    <!-- wp:quote --><blockquote class=\"wp-block-quote\"><p>We stay.</p></blockquote><!-- /wp:quote -->";
        let out = md(html);
        assert!(out.contains("## Floods"), "{out}");
        assert!(out.contains("**rose**"), "{out}");
        assert!(out.contains("[dawn](https://example.org/x)"), "{out}");
        assert!(
            out.lines()
                .any(|l| l.starts_with('*') && l.ends_with(" one")),
            "{out}"
        );
        assert!(out.contains("> We stay."), "{out}");
        assert!(!out.contains("wp:"), "{out}");
    }

    #[test]
    fn an_embed_block_and_an_embed_shortcode_become_links() {
        let block = "<!-- wp:embed {\"url\":\"https://www.youtube.com/watch?v=abc\"} --><figure class=\"wp-block-embed\"><div class=\"wp-block-embed__wrapper\">\nhttps://www.youtube.com/watch?v=abc\n</div></figure><!-- /wp:embed -->";
        assert!(md(block).contains("<https://www.youtube.com/watch?v=abc>"));
        let sc = "Watch:\n\n[embed]https://video.example.org/v/1[/embed]";
        assert!(md(sc).contains("[https://video.example.org/v/1](https://video.example.org/v/1)"));
    }

    #[test]
    fn a_caption_shortcode_keeps_its_picture_and_its_words() {
        let html = "[caption id=\"attachment_7\" align=\"alignnone\" width=\"640\"]<img src=\"http://x.example/wp-content/uploads/a.jpg\" alt=\"The quay\" /> Boats at rest[/caption]";
        let out = to_markdown(html, &HashMap::new());
        assert!(
            out.markdown
                .contains("![The quay](http://x.example/wp-content/uploads/a.jpg)"),
            "{}",
            out.markdown
        );
        assert!(out.markdown.contains("*Boats at rest*"), "{}", out.markdown);
        assert_eq!(
            out.images,
            vec!["http://x.example/wp-content/uploads/a.jpg"]
        );
    }

    #[test]
    fn a_gallery_lists_its_pictures_and_an_unknown_shortcode_stays_as_text() {
        let files = HashMap::from([("4".to_string(), "http://x.example/u/b.jpg".to_string())]);
        let out = to_markdown(
            "[gallery ids=\"4,99\"]\n\n[contact-form-7 id=\"12\"]",
            &files,
        );
        assert!(
            out.markdown.contains("![](http://x.example/u/b.jpg)"),
            "{}",
            out.markdown
        );
        assert!(
            out.markdown.contains("contact-form-7 id=\"12\""),
            "{}",
            out.markdown
        );
    }

    #[test]
    fn classic_text_keeps_its_paragraphs() {
        let out = md("First line.\n\nSecond <em>para</em>.");
        assert_eq!(out, "First line.\n\nSecond *para*.");
    }

    #[test]
    fn deeply_nested_markup_converts_without_running_out_of_stack() {
        let html = format!("{}deep{}", "<div>".repeat(20_000), "</div>".repeat(20_000));
        assert_eq!(md(&html), "deep");
    }

    #[test]
    fn nesting_counts_open_tags_but_not_void_or_closed_ones() {
        assert_eq!(nesting("<p>a<br><img src=x/><em>b</em></p>"), 2);
        assert_eq!(nesting(&"<div>".repeat(7)), 7);
        assert_eq!(nesting("a < b and </p> then"), 0);
    }

    #[test]
    fn script_never_survives() {
        let out = md("<p>Hi</p><script>alert(1)</script>");
        assert!(!out.contains("alert"), "{out}");
    }
}
