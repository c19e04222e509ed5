//! Reading a WordPress export (WXR 1.0 to 1.2, an RSS file with `wp:` elements) into plain
//! values, streaming with quick-xml. A file that is not well-formed is refused with its line.

use crate::xml_read::{entity, line_at, Lines};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::HashMap;

#[derive(Debug, Default, Clone)]
pub struct Wxr {
    pub version: String,
    pub title: String,
    pub link: String,
    pub base_site_url: String,
    pub base_blog_url: String,
    pub authors: Vec<Author>,
    pub categories: Vec<Term>,
    pub tags: Vec<Term>,
    pub items: Vec<Item>,
}

#[derive(Debug, Default, Clone)]
pub struct Author {
    pub id: String,
    pub login: String,
    pub email: String,
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
}

#[derive(Debug, Default, Clone)]
pub struct Term {
    pub slug: String,
    pub name: String,
    pub parent: String,
}

/// A term an item is filed under: its taxonomy (`category`, `post_tag`), slug and name.
#[derive(Debug, Default, Clone)]
pub struct ItemTerm {
    pub domain: String,
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Default, Clone)]
pub struct Item {
    /// The line of the file where the item starts, for the report.
    pub line: usize,
    pub title: String,
    pub link: String,
    pub guid: String,
    pub creator: String,
    pub content: String,
    pub excerpt: String,
    pub post_id: String,
    pub post_date: String,
    pub post_date_gmt: String,
    pub post_modified_gmt: String,
    pub post_name: String,
    pub status: String,
    pub post_parent: String,
    pub menu_order: String,
    pub post_type: String,
    pub post_password: String,
    pub attachment_url: String,
    pub terms: Vec<ItemTerm>,
    pub meta: HashMap<String, String>,
    pub comments: Vec<WpComment>,
}

#[derive(Debug, Default, Clone)]
pub struct WpComment {
    pub id: String,
    pub author: String,
    pub email: String,
    pub url: String,
    pub date: String,
    pub date_gmt: String,
    pub content: String,
    pub approved: String,
    pub kind: String,
    pub parent: String,
}

/// Where reading stopped: the line and what was wrong.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct WxrError {
    pub line: usize,
    pub message: String,
}

fn attribute(e: &BytesStart, name: &str) -> String {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name.as_bytes())
        .map(|a| {
            let raw = String::from_utf8_lossy(&a.value).into_owned();
            quick_xml::escape::unescape(&raw)
                .map(|c| c.into_owned())
                .unwrap_or(raw)
        })
        .unwrap_or_default()
}

/// Reads a whole export.
pub fn parse(bytes: &[u8]) -> Result<Wxr, WxrError> {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().trim_text(false);
    let mut wxr = Wxr::default();
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut item: Option<Item> = None;
    let mut author: Option<Author> = None;
    let mut term: Option<Term> = None;
    let mut comment: Option<WpComment> = None;
    let mut meta: (String, String) = Default::default();
    let mut item_term: Option<ItemTerm> = None;
    let mut buf = Vec::new();
    let mut lines = Lines::default();
    loop {
        let pos = reader.buffer_position();
        let event = reader.read_event_into(&mut buf).map_err(|e| WxrError {
            line: line_at(bytes, reader.error_position()),
            message: format!("not well-formed XML: {e}"),
        })?;
        match event {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                match name.as_str() {
                    "item" => {
                        item = Some(Item {
                            line: lines.at(bytes, pos),
                            ..Default::default()
                        })
                    }
                    "wp:author" => author = Some(Author::default()),
                    "wp:category" | "wp:tag" => term = Some(Term::default()),
                    "wp:comment" => comment = Some(WpComment::default()),
                    "category" if item.is_some() => {
                        item_term = Some(ItemTerm {
                            domain: attribute(&e, "domain"),
                            slug: attribute(&e, "nicename"),
                            name: String::new(),
                        })
                    }
                    _ => {}
                }
                path.push(name);
                text.clear();
            }
            Event::Empty(_) => {}
            Event::Text(t) => text.push_str(&String::from_utf8_lossy(&t)),
            Event::CData(t) => text.push_str(&String::from_utf8_lossy(&t)),
            Event::GeneralRef(r) => {
                let name = String::from_utf8_lossy(&r).into_owned();
                match entity(&name) {
                    Some(c) => text.push(c),
                    None => {
                        return Err(WxrError {
                            line: line_at(bytes, reader.buffer_position()),
                            message: format!("unknown entity &{name};"),
                        })
                    }
                }
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let value = std::mem::take(&mut text);
                let parent = path.last().map(String::as_str).unwrap_or("");
                if let Some(c) = comment.as_mut() {
                    if name == "wp:comment" {
                        if let (Some(c), Some(i)) = (comment.take(), item.as_mut()) {
                            i.comments.push(c);
                        }
                    } else {
                        set_comment_field(c, &name, value);
                    }
                } else if let Some(a) = author.as_mut() {
                    if name == "wp:author" {
                        wxr.authors.extend(author.take());
                    } else {
                        set_author_field(a, &name, value);
                    }
                } else if let Some(t) = term.as_mut() {
                    match name.as_str() {
                        "wp:category" => wxr.categories.extend(term.take()),
                        "wp:tag" => wxr.tags.extend(term.take()),
                        "wp:category_nicename" | "wp:tag_slug" => t.slug = value,
                        "wp:cat_name" | "wp:tag_name" => t.name = value,
                        "wp:category_parent" => t.parent = value,
                        _ => {}
                    }
                } else if let Some(i) = item.as_mut() {
                    match name.as_str() {
                        "item" => wxr.items.extend(item.take()),
                        "category" => {
                            if let Some(mut t) = item_term.take() {
                                t.name = value;
                                i.terms.push(t);
                            }
                        }
                        "wp:meta_key" => meta.0 = value,
                        "wp:meta_value" => meta.1 = value,
                        "wp:postmeta" => {
                            let (k, v) = std::mem::take(&mut meta);
                            i.meta.insert(k, v);
                        }
                        _ if parent == "item" => set_item_field(i, &name, value),
                        _ => {}
                    }
                } else if parent == "channel" {
                    match name.as_str() {
                        "title" => wxr.title = value,
                        "link" => wxr.link = value,
                        "wp:wxr_version" => wxr.version = value,
                        "wp:base_site_url" => wxr.base_site_url = value,
                        "wp:base_blog_url" => wxr.base_blog_url = value,
                        _ => {}
                    }
                }
            }
            Event::Eof => {
                if !path.is_empty() {
                    return Err(WxrError {
                        line: lines.at(bytes, reader.buffer_position()),
                        message: format!(
                            "the file ends inside <{}>: it was cut off (an export stopped midway?)",
                            path.join("> <")
                        ),
                    });
                }
                break;
            }
            _ => {}
        }
        buf.clear();
    }
    if wxr.version.is_empty() {
        return Err(WxrError {
            line: 1,
            message: "this is not a WordPress export: it has no wp:wxr_version".into(),
        });
    }
    Ok(wxr)
}

fn set_author_field(a: &mut Author, name: &str, value: String) {
    match name {
        "wp:author_id" => a.id = value,
        "wp:author_login" => a.login = value,
        "wp:author_email" => a.email = value,
        "wp:author_display_name" => a.display_name = value,
        "wp:author_first_name" => a.first_name = value,
        "wp:author_last_name" => a.last_name = value,
        _ => {}
    }
}

fn set_comment_field(c: &mut WpComment, name: &str, value: String) {
    match name {
        "wp:comment_id" => c.id = value,
        "wp:comment_author" => c.author = value,
        "wp:comment_author_email" => c.email = value,
        "wp:comment_author_url" => c.url = value,
        "wp:comment_date" => c.date = value,
        "wp:comment_date_gmt" => c.date_gmt = value,
        "wp:comment_content" => c.content = value,
        "wp:comment_approved" => c.approved = value,
        "wp:comment_type" => c.kind = value,
        "wp:comment_parent" => c.parent = value,
        _ => {}
    }
}

fn set_item_field(i: &mut Item, name: &str, value: String) {
    match name {
        "title" => i.title = value,
        "link" => i.link = value,
        "guid" => i.guid = value,
        "dc:creator" => i.creator = value,
        "content:encoded" => i.content = value,
        "excerpt:encoded" => i.excerpt = value,
        "wp:post_id" => i.post_id = value,
        "wp:post_date" => i.post_date = value,
        "wp:post_date_gmt" => i.post_date_gmt = value,
        "wp:post_modified_gmt" => i.post_modified_gmt = value,
        "wp:post_name" => i.post_name = value,
        "wp:status" => i.status = value,
        "wp:post_parent" => i.post_parent = value,
        "wp:menu_order" => i.menu_order = value,
        "wp:post_type" => i.post_type = value,
        "wp:post_password" => i.post_password = value,
        "wp:attachment_url" => i.attachment_url = value,
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/">
<channel>
  <title>Test &amp; Co</title>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>http://news.example.org</wp:base_site_url>
  <wp:author><wp:author_id>2</wp:author_id><wp:author_login><![CDATA[ana]]></wp:author_login><wp:author_display_name><![CDATA[Ana Lind]]></wp:author_display_name></wp:author>
  <item>
    <title><![CDATA[Bridge &amp; road]]></title>
    <dc:creator><![CDATA[ana]]></dc:creator>
    <content:encoded><![CDATA[<p>Body</p>]]></content:encoded>
    <wp:post_id>12</wp:post_id>
    <category domain="category" nicename="local"><![CDATA[Local]]></category>
    <wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[40]]></wp:meta_value></wp:postmeta>
    <wp:comment><wp:comment_id>5</wp:comment_id><wp:comment_content><![CDATA[Nice &amp; fine]]></wp:comment_content><wp:comment_parent>0</wp:comment_parent></wp:comment>
  </item>
</channel>
</rss>"#;

    #[test]
    fn an_export_is_read_into_its_authors_items_terms_meta_and_comments() {
        let w = parse(SMALL.as_bytes()).unwrap();
        assert_eq!(w.title, "Test & Co");
        assert_eq!(w.version, "1.2");
        assert_eq!(w.authors[0].display_name, "Ana Lind");
        let i = &w.items[0];
        assert_eq!(i.line, 8);
        // CDATA is taken as it is: an entity inside it is text, not markup.
        assert_eq!(i.title, "Bridge &amp; road");
        assert_eq!(i.terms[0].slug, "local");
        assert_eq!(i.meta["_thumbnail_id"], "40");
        assert_eq!(i.comments[0].id, "5");
    }

    #[test]
    fn an_export_in_wxr_1_1_as_wordpress_5_wrote_it_reads_the_same() {
        let old = SMALL
            .replace("export/1.2/", "export/1.1/")
            .replace("<wp:wxr_version>1.2", "<wp:wxr_version>1.1");
        let w = parse(old.as_bytes()).unwrap();
        assert_eq!(w.version, "1.1");
        assert_eq!(w.items[0].post_id, "12");
        assert_eq!(w.items[0].comments.len(), 1);
    }

    #[test]
    fn a_broken_file_is_refused_with_its_line() {
        let broken = SMALL.replace("</item>", "</itm>");
        let e = parse(broken.as_bytes()).unwrap_err();
        assert!(e.line >= 14, "{e}");
        let cut = &SMALL[..SMALL.find("</channel>").unwrap()];
        let e = parse(cut.as_bytes()).unwrap_err();
        assert!(e.message.contains("cut off"), "{e}");
        let e = parse(b"<rss><channel></channel></rss>").unwrap_err();
        assert!(e.message.contains("not a WordPress export"));
    }
}
