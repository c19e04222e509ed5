//! A WordPress export turned into an import plan: posts into stories, pages into site pages,
//! comments into the debate, each checked as the newsroom's own input is; what cannot be taken
//! is named in the report with its line and the reason.

use super::body;
use super::report::Report;
use super::uploads::Uploads;
use super::wxr::{Item, WpComment, Wxr};
use chrono::{DateTime, NaiveDateTime, Utc};
use newsdesk_core::comment::CommentStatus;
use newsdesk_core::import::{
    CommentHome, ImportPlan, ImportedComment, ImportedPage, ImportedStory,
};
use newsdesk_core::pages::PageFields;
use newsdesk_core::slug::{is_valid_slug, slugify};
use newsdesk_core::{ArticleInput, ArticleStatus, Hero};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

pub const OWNER: &str = "import:wordpress";

/// The source name an export's items are kept under: its site's address.
pub fn source_of(wxr: &Wxr) -> String {
    let base = [&wxr.base_site_url, &wxr.base_blog_url, &wxr.link]
        .into_iter()
        .find(|s| !s.trim().is_empty())
        .map(|s| s.trim().trim_end_matches('/').to_lowercase())
        .unwrap_or_default();
    format!("wordpress:{base}")
}

/// A WordPress date (`2026-05-14 09:30:00`), read as UTC; WordPress writes zeros for none.
pub fn gmt(text: &str) -> Option<DateTime<Utc>> {
    if text.starts_with("0000") {
        return None;
    }
    NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|t| t.and_utc())
}

/// Text WordPress keeps with HTML entities (titles, names), as plain text.
pub fn plain(text: &str) -> String {
    html_escape::decode_html_entities(text).trim().to_string()
}

/// A slug WordPress wrote (percent-encoded for non-ASCII letters) as a slug of this site.
pub fn slug_of(post_name: &str, title: &str, id: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(post_name).decode_utf8_lossy();
    let made = slugify(&decoded, 100);
    if is_valid_slug(&made) {
        return made;
    }
    let from_title = slugify(title, 80);
    if is_valid_slug(&from_title) {
        from_title
    } else {
        format!("post-{id}")
    }
}

fn digest(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    hex::encode(&h.finalize()[..12])
}

/// The first sentence of a text, for a standfirst when a post has no excerpt; cut at a word
/// when it is longer than a standfirst may be.
pub fn first_sentence(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let end = flat
        .char_indices()
        .find(|(i, c)| {
            matches!(c, '.' | '!' | '?') && flat[i + c.len_utf8()..].starts_with(' ') && *i > 20
        })
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(flat.len());
    let sentence = &flat[..end];
    if sentence.chars().count() <= 300 {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(297).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut}…")
}

/// Markdown as the words a reader sees, for a standfirst.
fn words_of(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::new();
    for e in Parser::new(markdown) {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => out.push(' '),
            _ => {}
        }
    }
    out
}

/// Everything the plan needs from the export beside the items themselves.
pub struct Context<'a> {
    pub wxr: &'a Wxr,
    /// Author logins → the names bylines show.
    pub bylines: HashMap<String, String>,
    /// Attachment ids → (address, alt text, caption).
    pub attachments: HashMap<String, (String, String, String)>,
}

impl<'a> Context<'a> {
    pub fn new(wxr: &'a Wxr) -> Self {
        let bylines = wxr
            .authors
            .iter()
            .map(|a| {
                let full = format!("{} {}", a.first_name.trim(), a.last_name.trim());
                let name = [plain(&a.display_name), plain(full.trim()), a.login.clone()]
                    .into_iter()
                    .find(|n| !n.trim().is_empty())
                    .unwrap_or_default();
                (a.login.clone(), name)
            })
            .collect();
        let attachments = wxr
            .items
            .iter()
            .filter(|i| i.post_type == "attachment")
            .map(|i| {
                let url = if i.attachment_url.is_empty() {
                    &i.guid
                } else {
                    &i.attachment_url
                };
                let alt = i
                    .meta
                    .get("_wp_attachment_image_alt")
                    .map(|a| plain(a))
                    .filter(|a| !a.is_empty())
                    .unwrap_or_else(|| plain(&i.title));
                (i.post_id.clone(), (url.clone(), alt, plain(&i.excerpt)))
            })
            .collect();
        Context {
            wxr,
            bylines,
            attachments,
        }
    }

    fn gallery_files(&self) -> HashMap<String, String> {
        self.attachments
            .iter()
            .map(|(id, (url, _, _))| (id.clone(), url.clone()))
            .collect()
    }
}

/// A post's status here, or why it is not imported.
fn status_of(wp: &str) -> Result<ArticleStatus, String> {
    Ok(match wp {
        "publish" => ArticleStatus::Published,
        "draft" => ArticleStatus::Draft,
        "pending" => ArticleStatus::Review,
        "future" => ArticleStatus::Scheduled,
        "private" => ArticleStatus::Unpublished,
        "trash" => return Err("is in WordPress's trash".into()),
        "auto-draft" => return Err("is an automatic draft WordPress made, never written".into()),
        other => return Err(format!("has the status '{other}', which has no match here")),
    })
}

/// Markdown for a body with its pictures moved to this site where they can be.
async fn body_of(
    content: &str,
    ctx: &Context<'_>,
    uploads: &mut Uploads<'_>,
    report: &mut Report,
    what: &str,
) -> String {
    let converted = body::to_markdown(content, &ctx.gallery_files());
    let mut markdown = converted.markdown;
    for src in converted.images {
        match uploads.local(&src, "").await {
            Ok(local) => {
                let escaped = src.replace('(', "\\(").replace(')', "\\)");
                markdown = markdown.replace(&format!("]({escaped}"), &format!("]({local}"));
                markdown = markdown.replace(&format!("](<{src}>"), &format!("]({local}"));
            }
            Err(Some(why)) => {
                report.note(format!("{what}: a picture keeps its old address: {why}"))
            }
            Err(None) => {}
        }
    }
    // Links to the old site's own pages become paths, so they follow its old addresses here.
    let base = site_base(ctx.wxr);
    if !base.is_empty() {
        markdown = markdown.replace(&format!("]({base}/"), "](/");
    }
    markdown
}

/// The old site's address without a trailing slash, lower-cased.
pub fn site_base(wxr: &Wxr) -> String {
    source_of(wxr).trim_start_matches("wordpress:").to_string()
}

/// A story from a post, checked as the newsroom's own input is.
pub async fn story(
    item: &Item,
    ctx: &Context<'_>,
    uploads: &mut Uploads<'_>,
    report: &mut Report,
    now: DateTime<Utc>,
) -> Result<ImportedStory, String> {
    let status = status_of(&item.status)?;
    let what = report.name(item);
    let headline = plain(&item.title);
    let body = body_of(&item.content, ctx, uploads, report, &what).await;
    let excerpt = plain(&words_of(
        &body::to_markdown(&item.excerpt, &HashMap::new()).markdown,
    ));
    let standfirst = if excerpt.trim().is_empty() {
        first_sentence(&words_of(&body))
    } else {
        first_sentence(&excerpt)
    };
    let categories: Vec<&str> = item
        .terms
        .iter()
        .filter(|t| t.domain == "category")
        .map(|t| t.slug.as_str())
        .collect();
    let section = categories
        .first()
        .map(|c| slug_of(c, c, "section"))
        .map(|s| {
            s.chars()
                .take(40)
                .collect::<String>()
                .trim_end_matches('-')
                .to_string()
        })
        .unwrap_or_else(|| "news".into());
    let mut tags: Vec<String> = Vec::new();
    for t in item.terms.iter().filter(|t| t.domain == "category").skip(1) {
        tags.push(plain(&t.name));
    }
    for t in item.terms.iter().filter(|t| t.domain == "post_tag") {
        tags.push(plain(&t.name));
    }
    if tags.len() > 20 {
        report.note(format!(
            "{what}: only its first 20 of {} tags are kept",
            tags.len()
        ));
        tags.truncate(20);
    }
    let mut authors: Vec<String> = Vec::new();
    let creator = ctx
        .bylines
        .get(&item.creator)
        .cloned()
        .unwrap_or_else(|| plain(&item.creator));
    if !creator.is_empty() {
        authors.push(creator);
    }
    // Co-Authors Plus and similar plugins file extra bylines as an `author` taxonomy.
    for t in item.terms.iter().filter(|t| t.domain == "author") {
        let name = ctx
            .bylines
            .get(&t.slug)
            .cloned()
            .unwrap_or_else(|| plain(&t.name));
        if !name.is_empty() && !authors.contains(&name) {
            authors.push(name);
        }
    }
    let published_at = gmt(&item.post_date_gmt).or_else(|| {
        (status == ArticleStatus::Published || status == ArticleStatus::Scheduled)
            .then(|| gmt(&item.post_date))
            .flatten()
    });
    let hero = match item
        .meta
        .get("_thumbnail_id")
        .and_then(|id| ctx.attachments.get(id))
    {
        Some((url, alt, caption)) => {
            let url = match uploads.local(url, alt).await {
                Ok(local) => local,
                Err(why) => {
                    if let Some(why) = why {
                        report.note(format!(
                            "{what}: its featured picture keeps its old address: {why}"
                        ));
                    }
                    url.replacen("http://", "https://", 1)
                }
            };
            Some(Hero {
                url,
                alt: if alt.is_empty() {
                    headline.clone()
                } else {
                    alt.clone()
                },
                caption: caption.chars().take(500).collect(),
                credit: String::new(),
            })
        }
        None => None,
    };
    let input = ArticleInput {
        slug: Some(slug_of(&item.post_name, &headline, &item.post_id)),
        headline: Some(headline.clone()),
        standfirst: Some(standfirst),
        body: Some(body),
        section: Some(section),
        tags: Some(tags),
        authors: Some(authors),
        status: Some(status),
        published_at: Some(published_at),
        hero: Some(hero),
        ..Default::default()
    };
    let mut fields = input.validate(now).map_err(|e| {
        e.0 .0
            .iter()
            .flat_map(|(field, msgs)| msgs.iter().map(move |m| format!("{field} {m}")))
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    fields.created_at = published_at.or_else(|| gmt(&item.post_modified_gmt));
    fields.updated_at = gmt(&item.post_modified_gmt).or(published_at);
    let digest = digest(&[&format!("{fields:?}")]);
    Ok(ImportedStory {
        external_id: item.post_id.clone(),
        digest,
        fields,
    })
}

/// A site page from a WordPress page.
pub async fn page(
    item: &Item,
    ctx: &Context<'_>,
    uploads: &mut Uploads<'_>,
    report: &mut Report,
    taken: &HashSet<String>,
) -> Result<ImportedPage, String> {
    let what = report.name(item);
    let published = match item.status.as_str() {
        "publish" => true,
        "draft" | "pending" | "private" | "future" => false,
        other => return Err(format!("has the status '{other}', which has no match here")),
    };
    let title = plain(&item.title);
    let mut slug = slug_of(&item.post_name, &title, &item.post_id);
    let mut fields = PageFields {
        slug: slug.clone(),
        title,
        body: body_of(&item.content, ctx, uploads, report, &what).await,
        published,
        in_footer: published && matches!(item.post_parent.as_str(), "" | "0"),
        position: item.menu_order.parse().unwrap_or(0),
    };
    if !fields.check().is_empty() || taken.contains(&slug) {
        slug = format!("page-{slug}");
        report.note(format!(
            "{what}: kept at /{slug}, since /{} is taken",
            fields.slug
        ));
        fields.slug = slug;
    }
    let errors = fields.check();
    if !errors.is_empty() {
        return Err(errors
            .0
            .iter()
            .flat_map(|(f, msgs)| msgs.iter().map(move |m| format!("{f} {m}")))
            .collect::<Vec<_>>()
            .join("; "));
    }
    let digest = digest(&[&format!("{fields:?}")]);
    Ok(ImportedPage {
        external_id: item.post_id.clone(),
        digest,
        fields,
    })
}

/// A comment's text as plain text: its links kept as their address.
fn comment_text(content: &str) -> String {
    if !content.contains('<') {
        return plain(content);
    }
    let md = body::to_markdown(content, &HashMap::new()).markdown;
    plain(&words_with_links(&md))
}

fn words_with_links(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = String::new();
    let mut link: Option<String> = None;
    for e in Parser::new(markdown) {
        match e {
            Event::Start(Tag::Link { dest_url, .. }) => link = Some(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = link.take() {
                    if !out.ends_with(&url) {
                        out.push_str(&format!(" ({url})"));
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::End(TagEnd::Paragraph) => out.push_str("\n\n"),
            _ => {}
        }
    }
    out
}

/// The comments of the posts taken, parents before replies; pingbacks and trackbacks are
/// counted and left out.
pub fn comments(items: &[(&Item, String)], report: &mut Report) -> Vec<ImportedComment> {
    let mut out = Vec::new();
    for (item, story) in items {
        let all: HashMap<&str, &WpComment> =
            item.comments.iter().map(|c| (c.id.as_str(), c)).collect();
        let mut written: HashSet<&str> = HashSet::new();
        let mut ordered: Vec<&WpComment> = item.comments.iter().collect();
        ordered.sort_by_key(|c| c.id.parse::<i64>().unwrap_or(i64::MAX));
        // Parents first: a reply waits until its parent (when the file has it) is written.
        let mut pending = ordered;
        while !pending.is_empty() {
            let before = pending.len();
            let mut later = Vec::new();
            for c in pending {
                let parent = Some(c.parent.as_str()).filter(|p| !p.is_empty() && *p != "0");
                match parent {
                    Some(p) if all.contains_key(p) && !written.contains(p) && p != c.id => {
                        later.push(c)
                    }
                    _ => {
                        written.insert(&c.id);
                        if let Some(taken) = comment(c, story, parent, &all, report) {
                            out.push(taken);
                        }
                    }
                }
            }
            if later.len() == before {
                // A loop of parents: write the rest at the top of the thread.
                for c in later.drain(..) {
                    written.insert(&c.id);
                    if let Some(taken) = comment(c, story, None, &all, report) {
                        out.push(taken);
                    }
                }
            }
            pending = later;
        }
    }
    out
}

fn comment(
    c: &WpComment,
    story: &str,
    parent: Option<&str>,
    all: &HashMap<&str, &WpComment>,
    report: &mut Report,
) -> Option<ImportedComment> {
    if matches!(c.kind.as_str(), "pingback" | "trackback") {
        report.pingbacks += 1;
        return None;
    }
    let status = match c.approved.as_str() {
        "1" | "approve" => CommentStatus::Published,
        "0" | "hold" => CommentStatus::Held,
        "spam" => CommentStatus::Spam,
        "trash" | "post-trashed" => CommentStatus::Rejected,
        other => {
            report.skip(format!(
                "comment {} on post {story}: its state '{other}' has no match here",
                c.id
            ));
            return None;
        }
    };
    let Some(created_at) = gmt(&c.date_gmt).or_else(|| gmt(&c.date)) else {
        report.skip(format!("comment {} on post {story}: it has no date", c.id));
        return None;
    };
    let body = comment_text(&c.content);
    if body.is_empty() {
        report.skip(format!("comment {} on post {story}: it is empty", c.id));
        return None;
    }
    // A reply whose parent was a pingback (left out) joins the thread at the top.
    let parent = parent
        .filter(|p| {
            all.get(p)
                .is_some_and(|pc| !matches!(pc.kind.as_str(), "pingback" | "trackback"))
        })
        .map(str::to_string);
    let name: String = plain(&c.author)
        .chars()
        .filter(|ch| !ch.is_control())
        .take(80)
        .collect();
    let name = if name.trim().is_empty() {
        "Anonymous".to_string()
    } else {
        name
    };
    let url = Some(c.url.trim())
        .filter(|u| {
            (u.starts_with("https://") || u.starts_with("http://")) && u.len() > 8 && u.len() < 300
        })
        .map(str::to_string);
    let email = Some(c.email.trim())
        .filter(|e| e.contains('@') && e.len() < 200)
        .map(str::to_string);
    *report.comments.entry(status.as_str()).or_default() += 1;
    let digest = digest(&[
        &name,
        &body,
        status.as_str(),
        url.as_deref().unwrap_or(""),
        email.as_deref().unwrap_or(""),
    ]);
    Some(ImportedComment {
        external_id: c.id.clone(),
        digest,
        home: CommentHome::Imported(story.to_string()),
        parent,
        name,
        url,
        email,
        body,
        status,
        created_at,
        archive_id: Some(c.id.clone()),
    })
}

/// An empty plan for the source.
pub fn empty(wxr: &Wxr) -> ImportPlan {
    ImportPlan {
        source: source_of(wxr),
        owner: OWNER.into(),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_standfirst_is_the_first_sentence_cut_at_a_word_when_long() {
        assert_eq!(
            first_sentence("The council met on Tuesday night. It voted twice."),
            "The council met on Tuesday night."
        );
        let long = "word ".repeat(100);
        let s = first_sentence(&long);
        assert!(s.chars().count() <= 300 && s.ends_with('…'), "{s}");
    }

    #[test]
    fn a_wordpress_slug_in_percent_encoding_becomes_a_slug_here() {
        assert_eq!(
            slug_of("caf%c3%a9-reopens", "Café reopens", "9"),
            "cafe-reopens"
        );
        assert_eq!(slug_of("", "Bridge & road", "9"), "bridge-road");
        assert_eq!(slug_of("", "", "9"), "post-9");
    }

    #[test]
    fn wordpress_dates_are_read_as_utc_and_zeros_as_none() {
        assert_eq!(gmt("0000-00-00 00:00:00"), None);
        assert_eq!(
            gmt("2026-05-14 09:30:00").unwrap().to_rfc3339(),
            "2026-05-14T09:30:00+00:00"
        );
    }

    #[test]
    fn a_comment_keeps_its_links_as_addresses() {
        assert_eq!(
            comment_text(
                "See <a href=\"https://example.org/r\">the report</a> &amp; <em>more</em>."
            ),
            "See the report (https://example.org/r) & more."
        );
    }
}
