//! A WordPress export turned into an import plan: posts into stories, pages into site pages,
//! comments into the debate, each checked as the newsroom's own input is; what cannot be taken
//! is named in the report with its line and the reason.

use super::body;
use super::report::Report;
use super::text::{digest, first_sentence, gmt, plain, slug_of, words_of};
use super::uploads::Uploads;
use super::wxr::{Item, Wxr};
use chrono::{DateTime, Utc};
use newsdesk_core::import::{ImportPlan, ImportedPage, ImportedStory};
use newsdesk_core::pages::PageFields;
use newsdesk_core::{ArticleInput, ArticleStatus, Hero};
use std::collections::{HashMap, HashSet};

pub const OWNER: &str = "import:wordpress";

/// The most a post's HTML may hold: a story's Markdown is at most 200,000 characters.
const MAX_CONTENT_BYTES: usize = 2_000_000;

/// The source name an export's items are kept under: its site's address.
pub fn source_of(wxr: &Wxr) -> String {
    let base = [&wxr.base_site_url, &wxr.base_blog_url, &wxr.link]
        .into_iter()
        .find(|s| !s.trim().is_empty())
        .map(|s| s.trim().trim_end_matches('/').to_lowercase())
        .unwrap_or_default();
    format!("wordpress:{base}")
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
        markdown = links_as_paths(&markdown, &base);
    }
    markdown
}

/// Markdown whose links to `base` become paths; files under `wp-content` (pictures that were
/// not taken here) keep their whole address, since this site does not serve them.
fn links_as_paths(markdown: &str, base: &str) -> String {
    let from = format!("]({base}/");
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(at) = rest.find(&from) {
        let after = &rest[at + from.len()..];
        out.push_str(&rest[..at]);
        if after.starts_with("wp-content/") {
            out.push_str(&from);
        } else {
            out.push_str("](/");
        }
        rest = after;
    }
    out.push_str(rest);
    out
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
    check_content(&item.content)?;
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

/// Refuses a body too large, or nested too deep, to convert in reasonable time.
fn check_content(content: &str) -> Result<(), String> {
    if content.len() > MAX_CONTENT_BYTES {
        return Err(format!(
            "its body is {} bytes; a body is at most {MAX_CONTENT_BYTES}",
            content.len()
        ));
    }
    let depth = body::nesting(content);
    if depth > body::MAX_NESTING {
        return Err(format!(
            "its markup nests {depth} levels deep; at most {} are taken",
            body::MAX_NESTING
        ));
    }
    Ok(())
}

/// A site page from a WordPress page.
pub async fn page(
    item: &Item,
    ctx: &Context<'_>,
    uploads: &mut Uploads<'_>,
    report: &mut Report,
    taken: &HashSet<String>,
) -> Result<ImportedPage, String> {
    check_content(&item.content)?;
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
    fn links_to_the_old_site_become_paths_but_its_files_keep_their_address() {
        let md = "[about](http://x.example/about/) ![p](http://x.example/wp-content/uploads/a.jpg)";
        assert_eq!(
            links_as_paths(md, "http://x.example"),
            "[about](/about/) ![p](http://x.example/wp-content/uploads/a.jpg)"
        );
    }
}
