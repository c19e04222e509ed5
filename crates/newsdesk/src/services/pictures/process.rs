//! What happens to an uploaded picture's bytes: its real format found from its content, its
//! size checked before it is decoded, the camera's rotation applied, its metadata (camera,
//! place) left behind by re-encoding only the pixels, and its resized variants made.
//!
//! Everything here is blocking work: callers run it on the blocking pool, never on the
//! threads that answer requests.

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::gif::GifEncoder;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use newsdesk_core::media::{scaled_height, variant_widths, PictureFormat};
use std::io::Cursor;

const JPEG_QUALITY: u8 = 84;
/// The longest side WebP (and so every variant) can hold.
pub const MAX_SIDE: u32 = 16_383;
const WEBP_QUALITY: f32 = 80.0;

/// Why a file was not taken as a picture; its text is what the uploader is told.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PictureError {
    #[error("is not a JPEG, PNG, WebP or GIF picture")]
    NotAPicture,
    #[error("says it is {declared} but its content is {found}")]
    WrongType {
        declared: &'static str,
        found: &'static str,
    },
    #[error("is {width}×{height} pixels; the most taken is {max} megapixels")]
    TooManyPixels { width: u32, height: u32, max: u64 },
    #[error("is {width}×{height} pixels; no side may be longer than {MAX_SIDE} pixels")]
    TooLong { width: u32, height: u32 },
    #[error("could not be read as a picture: {0}")]
    Broken(String),
}

/// A picture made fit to keep: upright, without metadata, in its original format.
pub struct Cleaned {
    pub format: PictureFormat,
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
    /// The pixels, kept to make the variants from without decoding again.
    pub image: DynamicImage,
}

/// One resized copy, ready to keep.
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub format: PictureFormat,
    pub data: Vec<u8>,
}

fn format_of(f: ImageFormat) -> Option<PictureFormat> {
    match f {
        ImageFormat::Jpeg => Some(PictureFormat::Jpeg),
        ImageFormat::Png => Some(PictureFormat::Png),
        ImageFormat::Gif => Some(PictureFormat::Gif),
        ImageFormat::WebP => Some(PictureFormat::Webp),
        _ => None,
    }
}

/// The format a client said the file is in, from a MIME type or a file name; `None` when it
/// said nothing useful (no type, or a generic one).
pub fn declared_format(
    content_type: Option<&str>,
    file_name: Option<&str>,
) -> Option<PictureFormat> {
    let from_type = content_type
        .map(|t| {
            t.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .and_then(|t| match t.as_str() {
            "image/jpeg" | "image/jpg" | "image/pjpeg" => Some(PictureFormat::Jpeg),
            "image/png" => Some(PictureFormat::Png),
            "image/gif" => Some(PictureFormat::Gif),
            "image/webp" => Some(PictureFormat::Webp),
            _ => None,
        });
    from_type.or_else(|| {
        let ext = file_name?.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "jpeg" | "jpe" => Some(PictureFormat::Jpeg),
            other => PictureFormat::from_extension(other),
        }
    })
}

/// Whether a client's declared type is one a picture could have at all (a file sent as
/// `text/html` is refused even if its bytes are a picture's).
pub fn declared_as_non_picture(content_type: Option<&str>) -> bool {
    content_type
        .map(|t| {
            t.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .is_some_and(|t| {
            !t.is_empty()
                && !t.starts_with("image/")
                && t != "application/octet-stream"
                && t != "multipart/form-data"
        })
}

/// Reads, checks and cleans an upload. `declared` is what the client said it is.
pub fn clean(
    bytes: &[u8],
    declared: Option<PictureFormat>,
    max_pixels: u64,
) -> Result<Cleaned, PictureError> {
    let found = image::guess_format(bytes)
        .ok()
        .and_then(format_of)
        .ok_or(PictureError::NotAPicture)?;
    if let Some(d) = declared.filter(|d| *d != found) {
        return Err(PictureError::WrongType {
            declared: d.mime(),
            found: found.mime(),
        });
    }
    let image_format = match found {
        PictureFormat::Jpeg => ImageFormat::Jpeg,
        PictureFormat::Png => ImageFormat::Png,
        PictureFormat::Gif => ImageFormat::Gif,
        PictureFormat::Webp => ImageFormat::WebP,
    };
    let reader = || ImageReader::with_format(Cursor::new(bytes), image_format);
    // The size is read from the header first: a small file claiming a huge picture (a
    // decompression bomb) is refused before any pixel is decoded.
    let (w, h) = reader()
        .into_dimensions()
        .map_err(|e| PictureError::Broken(e.to_string()))?;
    if w > MAX_SIDE || h > MAX_SIDE {
        return Err(PictureError::TooLong {
            width: w,
            height: h,
        });
    }
    if u64::from(w) * u64::from(h) > max_pixels {
        return Err(PictureError::TooManyPixels {
            width: w,
            height: h,
            max: max_pixels / 1_000_000,
        });
    }
    let mut limited = reader();
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(w);
    limits.max_image_height = Some(h);
    limits.max_alloc = Some(max_pixels.saturating_mul(8).max(64 << 20));
    limited.limits(limits);
    let mut decoder = limited
        .into_decoder()
        .map_err(|e| PictureError::Broken(e.to_string()))?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image =
        DynamicImage::from_decoder(decoder).map_err(|e| PictureError::Broken(e.to_string()))?;
    image.apply_orientation(orientation);
    let image = normalized(image);
    let data = encode(&image, found).map_err(PictureError::Broken)?;
    Ok(Cleaned {
        format: found,
        width: image.width(),
        height: image.height(),
        data,
        image,
    })
}

/// 8-bit RGB, or RGBA when the picture has transparency: what every encoder here takes.
fn normalized(image: DynamicImage) -> DynamicImage {
    if image.color().has_alpha() {
        DynamicImage::ImageRgba8(image.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.into_rgb8())
    }
}

/// Encodes pixels alone: no EXIF, XMP or text chunks are written by any of these encoders.
pub fn encode(image: &DynamicImage, format: PictureFormat) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    match format {
        PictureFormat::Jpeg => {
            let rgb = image.to_rgb8();
            JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
                .encode_image(&rgb)
                .map_err(|e| e.to_string())?;
        }
        PictureFormat::Png => image
            .write_with_encoder(PngEncoder::new(&mut out))
            .map_err(|e| e.to_string())?,
        PictureFormat::Gif => {
            let rgba = image.to_rgba8();
            GifEncoder::new(&mut out)
                .encode(
                    rgba.as_raw(),
                    rgba.width(),
                    rgba.height(),
                    image::ExtendedColorType::Rgba8,
                )
                .map_err(|e| e.to_string())?;
        }
        PictureFormat::Webp => {
            let encoded = match image {
                DynamicImage::ImageRgba8(p) => {
                    webp::Encoder::from_rgba(p.as_raw(), p.width(), p.height()).encode(WEBP_QUALITY)
                }
                other => {
                    let rgb = other.to_rgb8();
                    webp::Encoder::from_rgb(rgb.as_raw(), rgb.width(), rgb.height())
                        .encode(WEBP_QUALITY)
                }
            };
            out.extend_from_slice(&encoded);
        }
    }
    Ok(out)
}

/// Every variant a picture should have: each of its widths, in its own format and in WebP.
pub fn variants(image: &DynamicImage, own: PictureFormat) -> Result<Vec<Variant>, String> {
    let image = normalized(image.clone());
    let mut resizer = Resizer::new();
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    let mut out = Vec::new();
    for width in variant_widths(image.width()) {
        let height = scaled_height(image.width(), image.height(), width);
        let resized = if width == image.width() {
            image.clone()
        } else {
            let mut dst = DynamicImage::new(width, height, image.color());
            resizer
                .resize(&image, &mut dst, &options)
                .map_err(|e| e.to_string())?;
            dst
        };
        let mut formats = vec![own];
        if own != PictureFormat::Webp {
            formats.push(PictureFormat::Webp);
        }
        for format in formats {
            out.push(Variant {
                width,
                height,
                format,
                data: encode(&resized, format)?,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, _| {
            Rgb([(x % 256) as u8, 90, 200])
        }));
        encode(&img, PictureFormat::Jpeg).unwrap()
    }

    #[test]
    fn a_jpeg_is_found_by_its_content_and_kept_at_its_size() {
        let c = clean(&jpeg(640, 480), None, 50_000_000).unwrap();
        assert_eq!(
            (c.format, c.width, c.height),
            (PictureFormat::Jpeg, 640, 480)
        );
    }

    #[test]
    fn text_is_not_a_picture_whatever_it_is_called() {
        let e = clean(b"<html>hello</html>", Some(PictureFormat::Png), 1_000).err();
        assert_eq!(e, Some(PictureError::NotAPicture));
    }

    #[test]
    fn a_jpeg_sent_as_a_png_is_refused_as_lying() {
        let e = clean(&jpeg(8, 8), Some(PictureFormat::Png), 1_000).err();
        assert!(matches!(e, Some(PictureError::WrongType { .. })), "{e:?}");
    }

    #[test]
    fn a_side_longer_than_webp_holds_is_refused() {
        let tall = DynamicImage::ImageRgb8(RgbImage::new(4, 17_000));
        let png = encode(&tall, PictureFormat::Png).unwrap();
        let e = clean(&png, None, 100_000_000).err();
        assert!(matches!(e, Some(PictureError::TooLong { .. })), "{e:?}");
    }

    #[test]
    fn a_picture_over_the_pixel_limit_is_refused_before_decoding() {
        let e = clean(&jpeg(200, 100), None, 10_000).err();
        assert!(
            matches!(e, Some(PictureError::TooManyPixels { width: 200, .. })),
            "{e:?}"
        );
    }

    #[test]
    fn variants_come_in_the_own_format_and_webp_at_each_width() {
        let c = clean(&jpeg(1000, 500), None, 50_000_000).unwrap();
        let v = variants(&c.image, c.format).unwrap();
        let got: Vec<(u32, u32, PictureFormat)> =
            v.iter().map(|v| (v.width, v.height, v.format)).collect();
        assert_eq!(got.len(), 8);
        assert!(got.contains(&(320, 160, PictureFormat::Jpeg)));
        assert!(got.contains(&(1000, 500, PictureFormat::Webp)));
        let webp = v.iter().find(|v| v.format == PictureFormat::Webp).unwrap();
        assert_eq!(
            image::guess_format(&webp.data).ok(),
            Some(ImageFormat::WebP)
        );
    }

    #[test]
    fn a_declared_type_is_read_from_the_mime_type_then_the_file_name() {
        assert_eq!(
            declared_format(Some("image/JPEG"), None),
            Some(PictureFormat::Jpeg)
        );
        assert_eq!(
            declared_format(Some("application/octet-stream"), Some("a.PNG")),
            Some(PictureFormat::Png)
        );
        assert_eq!(
            declared_format(None, Some("photo.jpeg")),
            Some(PictureFormat::Jpeg)
        );
        assert_eq!(declared_format(None, None), None);
        assert!(declared_as_non_picture(Some("text/html")));
        assert!(!declared_as_non_picture(Some("image/heic")));
    }
}
