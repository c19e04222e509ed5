//! A picture as the API shows it.

use crate::services::pictures::view::{picture_path, variant_path};
use newsdesk_core::media::{Picture, PictureFormat};
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VariantJson {
    pub url: String,
    pub width: u32,
    pub format: PictureFormat,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PictureJson {
    /// The address to use as a story's `hero.url`.
    pub url: String,
    pub name: String,
    pub width: u32,
    pub height: u32,
    /// The size of the kept picture, without its metadata.
    pub bytes: i64,
    pub content_type: &'static str,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    /// Whether every resized variant is made yet.
    pub variants_ready: bool,
    pub variants: Vec<VariantJson>,
}

impl PictureJson {
    pub fn of(p: &Picture) -> PictureJson {
        let mut formats = vec![p.format];
        if p.format != PictureFormat::Webp {
            formats.push(PictureFormat::Webp);
        }
        PictureJson {
            url: picture_path(&p.name, p.format),
            name: p.name.clone(),
            width: p.width,
            height: p.height,
            bytes: p.bytes,
            content_type: p.format.mime(),
            alt: p.alt.clone(),
            caption: p.caption.clone(),
            credit: p.credit.clone(),
            variants_ready: p.variants_ready(),
            variants: p
                .ready_widths
                .iter()
                .flat_map(|w| {
                    formats.iter().map(|f| VariantJson {
                        url: variant_path(&p.name, *w, *f),
                        width: *w,
                        format: *f,
                    })
                })
                .collect(),
        }
    }
}
