//! Pictures the newsroom uploads: the kept picture (named by its content), its text, and the
//! resized variants pages offer browsers.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// How a picture is encoded; its file extension and MIME type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PictureFormat {
    Jpeg,
    Png,
    Gif,
    Webp,
}

impl PictureFormat {
    pub const ALL: [PictureFormat; 4] = [Self::Jpeg, Self::Png, Self::Gif, Self::Webp];

    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Gif => "gif",
            Self::Webp => "webp",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
        }
    }

    pub fn from_extension(ext: &str) -> Option<Self> {
        match ext {
            "jpg" => Some(Self::Jpeg),
            "png" => Some(Self::Png),
            "gif" => Some(Self::Gif),
            "webp" => Some(Self::Webp),
            _ => None,
        }
    }
}

/// The widths, in pixels, at which variants are made (those below the picture's own width).
pub const VARIANT_WIDTHS: [u32; 5] = [320, 640, 960, 1280, 1920];

/// The widths a picture `width` pixels wide is offered at: each standard width below it, and
/// its own width when that is 1920 or less, so the largest variant is never upscaled.
pub fn variant_widths(width: u32) -> Vec<u32> {
    let mut widths: Vec<u32> = VARIANT_WIDTHS.into_iter().filter(|w| *w < width).collect();
    if width <= *VARIANT_WIDTHS.last().unwrap_or(&1920) {
        widths.push(width);
    }
    widths
}

/// The height of a variant `width` wide, keeping the picture's proportions.
pub fn scaled_height(width: u32, height: u32, to_width: u32) -> u32 {
    if width == 0 {
        return height;
    }
    ((u64::from(height) * u64::from(to_width) + u64::from(width) / 2) / u64::from(width)).max(1)
        as u32
}

/// A picture as the library lists it, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Picture {
    /// The content's name: 32 hex digits of its SHA-256.
    pub name: String,
    pub format: PictureFormat,
    pub width: u32,
    pub height: u32,
    /// The size of the kept picture, after its metadata was taken out.
    pub bytes: i64,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
    /// The widths whose variants are ready, in both formats.
    pub ready_widths: Vec<u32>,
}

impl Picture {
    /// Whether every variant this picture should have is made.
    pub fn variants_ready(&self) -> bool {
        variant_widths(self.width)
            .iter()
            .all(|w| self.ready_widths.contains(w))
    }
}

/// A new picture to keep: its cleaned bytes and what is known of it.
#[derive(Debug, Clone)]
pub struct NewPicture {
    pub name: String,
    pub format: PictureFormat,
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub uploaded_by: String,
}

/// The words of a picture a person may edit in the library.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PictureText {
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

/// A story that shows a picture, as hero or in its body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PictureUse {
    pub slug: String,
    pub headline: String,
}

/// What asking to delete a picture came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PictureDeletion {
    Deleted,
    NotFound,
    /// Kept, because these stories show it.
    InUse(Vec<PictureUse>),
}

/// Whether `name` is a picture's content name (32 lowercase hex digits).
pub fn is_picture_name(name: &str) -> bool {
    name.len() == 32 && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wide_picture_gets_every_standard_width_and_no_upscale() {
        assert_eq!(variant_widths(4000), vec![320, 640, 960, 1280, 1920]);
        assert_eq!(variant_widths(1000), vec![320, 640, 960, 1000]);
        assert_eq!(variant_widths(1920), vec![320, 640, 960, 1280, 1920]);
        assert_eq!(variant_widths(200), vec![200]);
    }

    #[test]
    fn a_variant_keeps_the_pictures_proportions() {
        assert_eq!(scaled_height(4000, 3000, 320), 240);
        assert_eq!(scaled_height(3, 1000, 1), 333);
        assert_eq!(scaled_height(1000, 1, 320), 1);
    }

    #[test]
    fn only_lowercase_hex_of_32_digits_names_a_picture() {
        assert!(is_picture_name("0123456789abcdef0123456789abcdef"));
        assert!(!is_picture_name("0123456789ABCDEF0123456789abcdef"));
        assert!(!is_picture_name("harbour"));
    }
}
