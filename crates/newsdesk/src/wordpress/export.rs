//! `newsdesk export wordpress`: the whole site as a WordPress export (WXR 1.2), so it can leave
//! as easily as it came: stories as posts (their HTML as the site shows it), site pages as
//! pages, bylines as authors, sections as categories, tags, and every comment with its thread
//! and state. Written to a temporary file and renamed, so a failed run leaves no half file.

use crate::render::markdown;
use chrono::{DateTime, Utc};
use newsdesk_core::comment::{Comment, CommentStatus};
use newsdesk_core::newsroom::author_slug;
use newsdesk_core::slug::title_from_slug;
use newsdesk_core::{Article, ArticleStatus, CommentId, Store};
use quick_xml::events::{BytesCData, BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

type Xml = Writer<std::io::BufWriter<std::fs::File>>;

/// Text with the characters XML 1.0 cannot hold left out.
fn xml_safe(s: &str) -> String {
    s.chars()
        .filter(|c| {
            matches!(c, '\t' | '\n' | '\r') || (*c >= ' ' && *c != '\u{FFFE}' && *c != '\u{FFFF}')
        })
        .collect()
}

/// An element with text: plain values (ids, dates, states) as they are, anything else in
/// CDATA as WordPress writes it (a `]]>` inside split across two sections).
fn el(w: &mut Xml, name: &str, text: &str) -> std::io::Result<()> {
    w.write_event(Event::Start(BytesStart::new(name)))?;
    let plain = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || " :-_./+".contains(c));
    if plain {
        w.write_event(Event::Text(BytesText::new(text)))?;
    } else {
        let safe = xml_safe(text);
        let pieces: Vec<&str> = safe.split("]]>").collect();
        for (i, piece) in pieces.iter().enumerate() {
            let mut part = String::with_capacity(piece.len() + 3);
            if i > 0 {
                part.push('>');
            }
            part.push_str(piece);
            if i + 1 < pieces.len() {
                part.push_str("]]");
            }
            w.write_event(Event::CData(BytesCData::new(part)))?;
        }
    }
    w.write_event(Event::End(BytesEnd::new(name)))?;
    Ok(())
}

fn open(w: &mut Xml, name: &str) -> std::io::Result<()> {
    w.write_event(Event::Start(BytesStart::new(name)))
}

fn close(w: &mut Xml, name: &str) -> std::io::Result<()> {
    w.write_event(Event::End(BytesEnd::new(name)))
}

fn wp_date(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

fn wp_status(s: ArticleStatus) -> &'static str {
    match s {
        ArticleStatus::Published => "publish",
        ArticleStatus::Draft => "draft",
        ArticleStatus::Review => "pending",
        ArticleStatus::Scheduled => "future",
        ArticleStatus::Unpublished => "private",
    }
}

fn approved(s: CommentStatus) -> &'static str {
    match s {
        CommentStatus::Published => "1",
        CommentStatus::Held => "0",
        CommentStatus::Spam => "spam",
        CommentStatus::Rejected | CommentStatus::Deleted => "trash",
    }
}

/// What an export wrote.
#[derive(Debug, Default)]
pub struct Written {
    pub posts: usize,
    pub pages: usize,
    pub comments: usize,
    pub authors: usize,
}

/// Writes the site to `file`; `base` is the site's address, `site_name` its title.
pub async fn export(
    store: &dyn Store,
    file: &Path,
    base: &str,
    site_name: &str,
) -> anyhow::Result<Written> {
    let base = base.trim_end_matches('/');
    let articles = store.all_articles().await?;
    let pages = store.site_pages().await?;
    let mut comments: HashMap<i64, Vec<Comment>> = HashMap::new();
    let mut after = CommentId(0);
    loop {
        let batch = store.comments_for_export(after, 2000).await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        for c in batch {
            comments.entry(c.article_id.0).or_default().push(c);
        }
    }
    let mut authors: BTreeMap<String, String> = BTreeMap::new();
    let mut sections = BTreeSet::new();
    let mut tags = BTreeSet::new();
    for a in &articles {
        for name in &a.authors {
            authors.insert(author_slug(name), name.clone());
        }
        sections.insert(a.section.clone());
        tags.extend(a.tags.iter().cloned());
    }
    let tmp = file.with_extension("xml.partial");
    let mut w = Writer::new_with_indent(
        // Readers' emails are in it: readable by its owner only.
        std::io::BufWriter::new(
            std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&tmp)?,
        ),
        b'\t',
        1,
    );
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut rss = BytesStart::new("rss");
    rss.push_attribute(("version", "2.0"));
    for (k, v) in [
        ("xmlns:excerpt", "http://wordpress.org/export/1.2/excerpt/"),
        ("xmlns:content", "http://purl.org/rss/1.0/modules/content/"),
        ("xmlns:wfw", "http://wellformedweb.org/CommentAPI/"),
        ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
        ("xmlns:wp", "http://wordpress.org/export/1.2/"),
    ] {
        rss.push_attribute((k, v));
    }
    w.write_event(Event::Start(rss))?;
    open(&mut w, "channel")?;
    el(&mut w, "title", site_name)?;
    el(&mut w, "link", base)?;
    el(&mut w, "description", "")?;
    el(&mut w, "pubDate", &Utc::now().to_rfc2822())?;
    el(&mut w, "language", "en-GB")?;
    el(&mut w, "wp:wxr_version", "1.2")?;
    el(&mut w, "wp:base_site_url", base)?;
    el(&mut w, "wp:base_blog_url", base)?;
    let mut author_ids = HashMap::new();
    for (i, (login, name)) in authors.iter().enumerate() {
        author_ids.insert(name.clone(), login.clone());
        open(&mut w, "wp:author")?;
        el(&mut w, "wp:author_id", &(i + 1).to_string())?;
        el(&mut w, "wp:author_login", login)?;
        el(&mut w, "wp:author_email", "")?;
        el(&mut w, "wp:author_display_name", name)?;
        el(&mut w, "wp:author_first_name", "")?;
        el(&mut w, "wp:author_last_name", "")?;
        close(&mut w, "wp:author")?;
    }
    let mut term = 0;
    for s in &sections {
        term += 1;
        open(&mut w, "wp:category")?;
        el(&mut w, "wp:term_id", &term.to_string())?;
        el(&mut w, "wp:category_nicename", s)?;
        el(&mut w, "wp:category_parent", "")?;
        el(&mut w, "wp:cat_name", &title_from_slug(s))?;
        close(&mut w, "wp:category")?;
    }
    for t in &tags {
        term += 1;
        open(&mut w, "wp:tag")?;
        el(&mut w, "wp:term_id", &term.to_string())?;
        el(&mut w, "wp:tag_slug", &newsdesk_core::slug::slugify(t, 100))?;
        el(&mut w, "wp:tag_name", t)?;
        close(&mut w, "wp:tag")?;
    }
    let mut written = Written {
        authors: authors.len(),
        ..Default::default()
    };
    // WordPress numbers posts, pages and attachments from one sequence: pages come after the
    // stories' ids, and the hero pictures (as attachments) after the pages'.
    let first_page_id = articles.iter().map(|a| a.id.0).max().unwrap_or(0) + 1;
    let first_picture_id = first_page_id + pages.iter().map(|p| p.id.0).max().unwrap_or(0) + 1;
    for a in &articles {
        let thread = comments.remove(&a.id.0).unwrap_or_default();
        written.comments += thread.len();
        let picture = a.hero.as_ref().map(|_| first_picture_id + a.id.0);
        post(&mut w, a, &thread, base, &author_ids, picture)?;
        if let (Some(id), Some(hero)) = (picture, &a.hero) {
            attachment(&mut w, a, hero, id, base)?;
        }
        written.posts += 1;
    }
    for p in &pages {
        let id = first_page_id + p.id.0;
        open(&mut w, "item")?;
        el(&mut w, "title", &p.title)?;
        el(&mut w, "link", &format!("{base}/{}", p.slug))?;
        el(&mut w, "pubDate", &p.created_at.to_rfc2822())?;
        el(&mut w, "dc:creator", "")?;
        guid(&mut w, &format!("{base}/?page_id={id}"))?;
        el(&mut w, "description", "")?;
        el(
            &mut w,
            "content:encoded",
            &absolute(markdown::render(&p.body).as_str(), base),
        )?;
        el(&mut w, "excerpt:encoded", "")?;
        el(&mut w, "wp:post_id", &id.to_string())?;
        dates(&mut w, Some(p.created_at), p.updated_at)?;
        el(&mut w, "wp:comment_status", "closed")?;
        el(&mut w, "wp:ping_status", "closed")?;
        el(&mut w, "wp:post_name", &p.slug)?;
        el(
            &mut w,
            "wp:status",
            if p.published { "publish" } else { "draft" },
        )?;
        el(&mut w, "wp:post_parent", "0")?;
        el(&mut w, "wp:menu_order", &p.position.to_string())?;
        el(&mut w, "wp:post_type", "page")?;
        el(&mut w, "wp:post_password", "")?;
        el(&mut w, "wp:is_sticky", "0")?;
        close(&mut w, "item")?;
        written.pages += 1;
    }
    close(&mut w, "channel")?;
    close(&mut w, "rss")?;
    let mut inner = w.into_inner();
    inner.flush()?;
    inner.get_ref().sync_all()?;
    drop(inner);
    std::fs::rename(&tmp, file)?;
    Ok(written)
}

fn guid(w: &mut Xml, url: &str) -> std::io::Result<()> {
    let mut g = BytesStart::new("guid");
    g.push_attribute(("isPermaLink", "false"));
    w.write_event(Event::Start(g))?;
    w.write_event(Event::Text(BytesText::new(url)))?;
    close(w, "guid")
}

fn dates(
    w: &mut Xml,
    created: Option<DateTime<Utc>>,
    modified: DateTime<Utc>,
) -> std::io::Result<()> {
    let (local, gmt) = match created {
        Some(t) => (wp_date(t), wp_date(t)),
        None => (wp_date(modified), "0000-00-00 00:00:00".to_string()),
    };
    el(w, "wp:post_date", &local)?;
    el(w, "wp:post_date_gmt", &gmt)?;
    el(w, "wp:post_modified", &wp_date(modified))?;
    el(w, "wp:post_modified_gmt", &wp_date(modified))
}

/// HTML whose addresses on this site (`/media/…`, `/news/…`) are made absolute, so they still
/// lead here from the site the file is imported into.
fn absolute(html: &str, base: &str) -> String {
    html.replace("src=\"/", &format!("src=\"{base}/"))
        .replace("href=\"/", &format!("href=\"{base}/"))
}

fn absolute_url(url: &str, base: &str) -> String {
    if url.starts_with('/') {
        format!("{base}{url}")
    } else {
        url.to_string()
    }
}

/// A story's hero picture as the attachment WordPress keeps a featured image as.
fn attachment(
    w: &mut Xml,
    a: &Article,
    hero: &newsdesk_core::Hero,
    id: i64,
    base: &str,
) -> std::io::Result<()> {
    let url = absolute_url(&hero.url, base);
    open(w, "item")?;
    el(w, "title", &hero.alt)?;
    el(w, "link", &url)?;
    el(w, "pubDate", &a.created_at.to_rfc2822())?;
    el(w, "dc:creator", "")?;
    guid(w, &url)?;
    el(w, "description", "")?;
    el(w, "content:encoded", &hero.credit)?;
    el(w, "excerpt:encoded", &hero.caption)?;
    el(w, "wp:post_id", &id.to_string())?;
    dates(w, Some(a.created_at), a.updated_at)?;
    el(w, "wp:comment_status", "closed")?;
    el(w, "wp:ping_status", "closed")?;
    el(w, "wp:post_name", &format!("{}-picture", a.slug))?;
    el(w, "wp:status", "inherit")?;
    el(w, "wp:post_parent", &a.id.to_string())?;
    el(w, "wp:menu_order", "0")?;
    el(w, "wp:post_type", "attachment")?;
    el(w, "wp:post_password", "")?;
    el(w, "wp:is_sticky", "0")?;
    el(w, "wp:attachment_url", &url)?;
    meta(w, "_wp_attachment_image_alt", &hero.alt)?;
    close(w, "item")
}

fn meta(w: &mut Xml, key: &str, value: &str) -> std::io::Result<()> {
    open(w, "wp:postmeta")?;
    el(w, "wp:meta_key", key)?;
    el(w, "wp:meta_value", value)?;
    close(w, "wp:postmeta")
}

fn post(
    w: &mut Xml,
    a: &Article,
    thread: &[Comment],
    base: &str,
    logins: &HashMap<String, String>,
    picture: Option<i64>,
) -> std::io::Result<()> {
    open(w, "item")?;
    el(w, "title", &a.headline)?;
    el(
        w,
        "link",
        &format!("{base}{}", crate::services::links::article_path(&a.slug)),
    )?;
    el(
        w,
        "pubDate",
        &a.published_at.unwrap_or(a.created_at).to_rfc2822(),
    )?;
    let creator = a
        .authors
        .first()
        .and_then(|n| logins.get(n))
        .cloned()
        .unwrap_or_default();
    el(w, "dc:creator", &creator)?;
    guid(w, &format!("{base}/?p={}", a.id))?;
    el(w, "description", "")?;
    el(
        w,
        "content:encoded",
        &absolute(markdown::render(&a.body).as_str(), base),
    )?;
    el(w, "excerpt:encoded", &a.standfirst)?;
    el(w, "wp:post_id", &a.id.to_string())?;
    let published = a.published_at.filter(|_| !a.status.is_unfinished());
    dates(w, published, a.updated_at)?;
    el(w, "wp:comment_status", "open")?;
    el(w, "wp:ping_status", "closed")?;
    el(w, "wp:post_name", &a.slug)?;
    el(w, "wp:status", wp_status(a.status))?;
    el(w, "wp:post_parent", "0")?;
    el(w, "wp:menu_order", "0")?;
    el(w, "wp:post_type", "post")?;
    el(w, "wp:post_password", "")?;
    el(w, "wp:is_sticky", "0")?;
    let mut cat = BytesStart::new("category");
    cat.push_attribute(("domain", "category"));
    cat.push_attribute(("nicename", a.section.as_str()));
    w.write_event(Event::Start(cat))?;
    w.write_event(Event::Text(BytesText::new(&title_from_slug(&a.section))))?;
    close(w, "category")?;
    for t in &a.tags {
        let slug = newsdesk_core::slug::slugify(t, 100);
        let mut tag = BytesStart::new("category");
        tag.push_attribute(("domain", "post_tag"));
        tag.push_attribute(("nicename", slug.as_str()));
        w.write_event(Event::Start(tag))?;
        w.write_event(Event::Text(BytesText::new(&xml_safe(t))))?;
        close(w, "category")?;
    }
    if let Some(id) = picture {
        meta(w, "_thumbnail_id", &id.to_string())?;
    }
    for c in thread {
        open(w, "wp:comment")?;
        el(w, "wp:comment_id", &c.id.to_string())?;
        el(w, "wp:comment_author", &c.name)?;
        el(
            w,
            "wp:comment_author_email",
            c.email.as_deref().unwrap_or(""),
        )?;
        el(w, "wp:comment_author_url", c.url.as_deref().unwrap_or(""))?;
        // Readers' addresses stay here: a move needs none of them.
        el(w, "wp:comment_author_IP", "")?;
        el(w, "wp:comment_date", &wp_date(c.created_at))?;
        el(w, "wp:comment_date_gmt", &wp_date(c.created_at))?;
        el(w, "wp:comment_content", &c.body)?;
        el(w, "wp:comment_approved", approved(c.status))?;
        el(w, "wp:comment_type", "comment")?;
        el(
            w,
            "wp:comment_parent",
            &c.parent_id.map_or(0, |p| p.0).to_string(),
        )?;
        el(w, "wp:comment_user_id", "0")?;
        close(w, "wp:comment")?;
    }
    close(w, "item")
}
