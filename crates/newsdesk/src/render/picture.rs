//! A picture as pages show it: the smallest fitting variant chosen by the browser from
//! `srcset` (WebP first), with its real width and height so nothing moves as it loads, and
//! the library's words where the story gives none.

use crate::services::pictures::view::{picture_path, variant_path, Known};
use newsdesk_core::media::PictureFormat;
use newsdesk_core::Hero;

pub struct PictureView {
    pub src: String,
    pub width: u32,
    pub height: u32,
    /// `srcset` in the picture's own format; empty for a picture the library does not keep.
    pub srcset: String,
    pub webp_srcset: String,
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

/// The width hero and card pictures are drawn at, for `sizes`.
pub const HERO_SIZES: &str = "(min-width: 52rem) 48rem, 100vw";
pub const CARD_SIZES: &str = "(min-width: 52rem) 24rem, 100vw";

impl PictureView {
    pub fn of(hero: &Hero, known: &Known) -> PictureView {
        let or = |own: &str, library: &str| {
            if own.trim().is_empty() {
                library.to_string()
            } else {
                own.to_string()
            }
        };
        match known.get(&hero.url) {
            Some(p) => {
                let set = |format: PictureFormat| {
                    p.ready_widths
                        .iter()
                        .map(|w| format!("{} {w}w", variant_path(&p.name, *w, format)))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let webp_srcset = if p.format == PictureFormat::Webp {
                    String::new()
                } else {
                    set(PictureFormat::Webp)
                };
                PictureView {
                    src: picture_path(&p.name, p.format),
                    width: p.width,
                    height: p.height,
                    srcset: set(p.format),
                    webp_srcset,
                    alt: or(&hero.alt, &p.alt),
                    caption: or(&hero.caption, &p.caption),
                    credit: or(&hero.credit, &p.credit),
                }
            }
            // A picture from elsewhere: drawn at the 16:9 box pages give it.
            None => PictureView {
                src: hero.url.clone(),
                width: 1600,
                height: 900,
                srcset: String::new(),
                webp_srcset: String::new(),
                alt: hero.alt.clone(),
                caption: hero.caption.clone(),
                credit: hero.credit.clone(),
            },
        }
    }
}
