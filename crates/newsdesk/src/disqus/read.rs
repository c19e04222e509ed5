//! Reading a Disqus export (`<disqus>` with `<thread>` and `<post>` elements, each named by a
//! `dsq:id` attribute) into plain values, streaming with quick-xml.

use crate::xml_read::{entity, line_at, Lines};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

#[derive(Debug, Default, Clone)]
pub struct Export {
    pub forum: String,
    pub threads: Vec<Thread>,
    pub posts: Vec<Post>,
}

#[derive(Debug, Default, Clone)]
pub struct Thread {
    pub dsq_id: String,
    /// The identifier the site gave the thread (`4 http://x.example/?p=4` from WordPress).
    pub identifier: String,
    pub link: String,
    pub title: String,
    pub deleted: bool,
}

#[derive(Debug, Default, Clone)]
pub struct Post {
    pub line: usize,
    pub dsq_id: String,
    pub thread: String,
    pub parent: Option<String>,
    pub message: String,
    pub created_at: String,
    pub deleted: bool,
    pub spam: bool,
    pub name: String,
    pub email: String,
    pub username: String,
}

fn dsq_id(e: &BytesStart) -> String {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == b"dsq:id")
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
        .unwrap_or_default()
}

/// Reads a whole export; a file that is not well-formed is refused with its line.
pub fn parse(bytes: &[u8]) -> Result<Export, (usize, String)> {
    let mut reader = Reader::from_reader(bytes);
    let mut out = Export::default();
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut thread: Option<Thread> = None;
    let mut post: Option<Post> = None;
    let mut buf = Vec::new();
    let mut lines = Lines::default();
    let mut root_seen = false;
    loop {
        let pos = reader.buffer_position();
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            (
                line_at(bytes, reader.error_position()),
                format!("not well-formed XML: {e}"),
            )
        })?;
        match event {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if path.is_empty() {
                    root_seen = name == "disqus";
                }
                if path.len() == 1 {
                    match name.as_str() {
                        "thread" => {
                            thread = Some(Thread {
                                dsq_id: dsq_id(&e),
                                ..Default::default()
                            })
                        }
                        "post" => {
                            post = Some(Post {
                                line: lines.at(bytes, pos),
                                dsq_id: dsq_id(&e),
                                ..Default::default()
                            })
                        }
                        _ => {}
                    }
                }
                path.push(name);
                text.clear();
            }
            Event::Empty(e) => {
                if let Some(p) = post.as_mut().filter(|_| path.len() == 2) {
                    match e.name().as_ref() {
                        b"thread" => p.thread = dsq_id(&e),
                        b"parent" => p.parent = Some(dsq_id(&e)).filter(|id| !id.is_empty()),
                        _ => {}
                    }
                }
            }
            Event::Text(t) => text.push_str(&String::from_utf8_lossy(&t)),
            Event::CData(t) => text.push_str(&String::from_utf8_lossy(&t)),
            Event::GeneralRef(r) => {
                let name = String::from_utf8_lossy(&r).into_owned();
                let c = entity(&name).ok_or_else(|| {
                    (
                        line_at(bytes, reader.buffer_position()),
                        format!("unknown entity &{name};"),
                    )
                })?;
                text.push(c);
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let value = std::mem::take(&mut text).trim().to_string();
                let depth = path.len();
                if depth == 1 && name == "thread" {
                    out.threads.extend(thread.take());
                } else if depth == 1 && name == "post" {
                    out.posts.extend(post.take());
                } else if let Some(t) = thread.as_mut().filter(|_| depth == 2) {
                    match name.as_str() {
                        "id" => t.identifier = value,
                        "link" => t.link = value,
                        "title" => t.title = value,
                        "isDeleted" => t.deleted = value == "true",
                        "forum" if out.forum.is_empty() => out.forum = value,
                        _ => {}
                    }
                } else if let Some(p) = post.as_mut() {
                    match (depth, name.as_str()) {
                        (2, "message") => p.message = value,
                        (2, "createdAt") => p.created_at = value,
                        (2, "isDeleted") => p.deleted = value == "true",
                        (2, "isSpam") => p.spam = value == "true",
                        (3, "name") => p.name = value,
                        (3, "email") => p.email = value,
                        (3, "username") => p.username = value,
                        _ => {}
                    }
                } else if depth == 2 && name == "forum" && out.forum.is_empty() {
                    out.forum = value;
                }
            }
            Event::Eof => {
                if !path.is_empty() {
                    return Err((
                        lines.at(bytes, reader.buffer_position()),
                        format!(
                            "the file ends inside <{}>: it was cut off",
                            path.join("> <")
                        ),
                    ));
                }
                break;
            }
            _ => {}
        }
        buf.clear();
    }
    if !root_seen {
        return Err((
            1,
            "this is not a Disqus export: its root is not <disqus>".into(),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_and_posts_are_read_with_their_ids_parents_and_states() {
        let xml = r#"<?xml version="1.0"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="7"><id>4 http://x.example/?p=4</id><forum>gazette</forum><link>http://x.example/a/?x=1&amp;y=2</link><title>A</title><isDeleted>false</isDeleted></thread>
  <post dsq:id="70"><id/><message><![CDATA[<p>Hi</p>]]></message><createdAt>2026-05-14T07:15:00Z</createdAt><isDeleted>false</isDeleted><isSpam>true</isSpam>
    <author><name>Lena</name><email>l@example.ch</email><isAnonymous>true</isAnonymous></author><thread dsq:id="7"/><parent dsq:id="69"/></post>
</disqus>"#;
        let e = parse(xml.as_bytes()).unwrap();
        assert_eq!(e.forum, "gazette");
        assert_eq!(e.threads[0].identifier, "4 http://x.example/?p=4");
        assert_eq!(e.threads[0].link, "http://x.example/a/?x=1&y=2");
        let p = &e.posts[0];
        assert_eq!((p.thread.as_str(), p.parent.as_deref()), ("7", Some("69")));
        assert!(p.spam && !p.deleted);
        assert_eq!(
            (p.name.as_str(), p.email.as_str()),
            ("Lena", "l@example.ch")
        );
        assert_eq!(p.line, 4);
    }

    #[test]
    fn a_file_that_is_not_a_disqus_export_is_refused() {
        assert!(parse(b"<rss></rss>").is_err());
        assert!(parse(b"<disqus><thread></disqus>").is_err());
    }
}
