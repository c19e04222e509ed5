//! What a story page shows that its conversation does not change: the story, its pictures,
//! corrections, share links, related stories and the site's layout. Kept in the page parts
//! cache, so a page dropped for a new comment is made again from its conversation alone.

use crate::http::error::AppError;
use crate::render::body::{render_body, ClaimView, RenderedBlock};
use crate::render::cards::{Card, DateLabel};
use crate::render::layout::Layout;
use crate::render::picture::PictureView;
use crate::services::links::article_path;
use crate::services::pictures;
use crate::services::related::related;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use newsdesk_core::newsroom::author_slug;
use newsdesk_core::slug::title_from_slug;
use newsdesk_core::{body, Article};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

pub struct StoryFrame {
    /// The story as read from the store, for the conversation's parts.
    pub article: Article,
    /// The stories the body promotes, by slug (a change to one purges this page).
    pub promo_slugs: Vec<String>,
    pub layout: Layout,
    pub slug: String,
    pub canonical: String,
    pub headline: String,
    pub standfirst: String,
    pub section_slug: String,
    pub section_title: String,
    pub authors: Vec<AuthorLink>,
    pub published: Option<DateLabel>,
    pub updated: Option<DateLabel>,
    pub hero: Option<PictureView>,
    pub blocks: Vec<RenderedBlock>,
    pub claims: Vec<ClaimView>,
    pub tags: Vec<String>,
    pub corrections: Vec<CorrectionView>,
    pub share: Vec<ShareLink>,
    /// The story's address, which comment links start from.
    pub base_path: String,
    pub related: Vec<Card>,
    /// The hero picture's absolute address, for link previews.
    pub image_url: Option<String>,
    pub modified_iso: String,
}

impl StoryFrame {
    pub async fn load(
        state: &AppState,
        a: Article,
        now: DateTime<Utc>,
    ) -> Result<StoryFrame, AppError> {
        let promo_slugs: Vec<String> = body::promos(&a.body).into_iter().map(|p| p.slug).collect();
        let targets = state.store.promo_targets(&promo_slugs, now).await?;
        let (blocks, mut claims) = render_body(&a, &targets);
        if !claims.is_empty() {
            let states = state.store.live_claim_states(a.id).await?;
            let histories = newsdesk_core::revision::histories_of(states);
            ClaimView::with_histories(&mut claims, &histories);
        }
        let related_stories = related(state, &a, 4, now).await?;
        let known = pictures::view::load(
            state,
            std::iter::once(a.hero.as_ref()).chain(related_stories.iter().map(|r| r.hero.as_ref())),
        )
        .await?;
        let related: Vec<Card> = related_stories
            .iter()
            .map(|r| Card::new(r, &known))
            .collect();
        let layout = Layout::load(state, &a.section, now).await?;
        let canonical = state.absolute(&article_path(&a.slug));
        let mut corrections: Vec<CorrectionView> = a
            .corrections
            .iter()
            .map(|c| {
                let d = DateLabel::long(c.at);
                CorrectionView {
                    iso: d.iso,
                    text: d.text,
                    note: c.note.clone(),
                    kind: c.kind.label(),
                }
            })
            .collect();
        corrections.sort_by(|x, y| x.iso.cmp(&y.iso));

        // A story always shares with a picture: its hero, else the site's default picture, else
        // the card made from the site's name.
        let site = state.settings.site();
        let shared = match &a.hero {
            Some(h) => pictures::view::share_url(h, &known),
            None if !site.share_picture.is_empty() => site.share_picture.clone(),
            None => crate::services::links::share_card_path(&site.site_name),
        };
        let image_url = Some(super::feeds::absolute_media(state, &shared));
        Ok(StoryFrame {
            modified_iso: crate::render::format::iso(a.shown_update().unwrap_or(a.updated_at)),
            image_url,
            layout,
            share: share_links(&canonical, &a.headline),
            canonical,
            slug: a.slug.clone(),
            headline: a.headline.clone(),
            standfirst: a.standfirst.clone(),
            section_title: title_from_slug(&a.section),
            section_slug: a.section.clone(),
            authors: a
                .authors
                .iter()
                .map(|n| AuthorLink {
                    name: n.clone(),
                    slug: author_slug(n),
                })
                .collect(),
            published: a.published_at.map(DateLabel::long),
            updated: a.shown_update().map(DateLabel::long),
            hero: a.hero.as_ref().map(|h| PictureView::of(h, &known)),
            blocks,
            claims,
            tags: a.tags.clone(),
            corrections,
            base_path: article_path(&a.slug),
            related,
            promo_slugs,
            article: a,
        })
    }
}

pub struct AuthorLink {
    pub name: String,
    pub slug: String,
}

pub struct ShareLink {
    pub key: &'static str,
    pub name: &'static str,
    pub href: String,
}

pub struct CorrectionView {
    pub iso: String,
    pub text: String,
    pub note: String,
    pub kind: &'static str,
}

/// The networks a story can be shared to: key, name and the share address, where `{u}` is the
/// story's address, `{t}` its headline and `{b}` both, each percent-encoded.
const SHARE_TO: [(&str, &str, &str); 7] = [
    ("x", "X", "https://x.com/intent/post?url={u}&text={t}"),
    (
        "facebook",
        "Facebook",
        "https://www.facebook.com/sharer/sharer.php?u={u}",
    ),
    ("whatsapp", "WhatsApp", "https://wa.me/?text={b}"),
    (
        "telegram",
        "Telegram",
        "https://t.me/share/url?url={u}&text={t}",
    ),
    (
        "reddit",
        "Reddit",
        "https://www.reddit.com/submit?url={u}&title={t}",
    ),
    (
        "linkedin",
        "LinkedIn",
        "https://www.linkedin.com/sharing/share-offsite/?url={u}",
    ),
    ("email", "Email", "mailto:?subject={t}&body={u}"),
];

fn share_links(url: &str, headline: &str) -> Vec<ShareLink> {
    let u = utf8_percent_encode(url, NON_ALPHANUMERIC).to_string();
    let t = utf8_percent_encode(headline, NON_ALPHANUMERIC).to_string();
    let both = utf8_percent_encode(&format!("{headline} {url}"), NON_ALPHANUMERIC).to_string();
    SHARE_TO
        .iter()
        .map(|(key, name, to)| ShareLink {
            key,
            name,
            // Encoded values hold no braces, so one replacement cannot create another's mark.
            href: to
                .replace("{u}", &u)
                .replace("{t}", &t)
                .replace("{b}", &both),
        })
        .collect()
}
