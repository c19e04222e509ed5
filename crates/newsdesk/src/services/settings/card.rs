//! The picture a story without a hero shares with when no sharing picture is set: a card
//! with the site's name, drawn with a bitmap font that ships inside `embedded-graphics`,
//! made once per name and kept.

use embedded_graphics::mono_font::ascii::FONT_10X20;
use embedded_graphics::mono_font::MonoTextStyle;
use embedded_graphics::pixelcolor::Rgb888;
use embedded_graphics::prelude::*;
use embedded_graphics::text::Text;
use image::{imageops, Rgb, RgbImage};
use sha2::{Digest, Sha256};
use std::convert::Infallible;
use std::sync::Mutex;

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
const INK: Rgb<u8> = Rgb([255, 255, 255]);
const PAPER: Rgb<u8> = Rgb([23, 42, 58]);

/// An image the font draws into.
struct Canvas(RgbImage);

impl OriginDimensions for Canvas {
    fn size(&self) -> Size {
        Size::new(self.0.width(), self.0.height())
    }
}

impl DrawTarget for Canvas {
    type Color = Rgb888;
    type Error = Infallible;

    fn draw_iter<I: IntoIterator<Item = Pixel<Rgb888>>>(
        &mut self,
        pixels: I,
    ) -> Result<(), Infallible> {
        for Pixel(p, c) in pixels {
            if let (Ok(x), Ok(y)) = (u32::try_from(p.x), u32::try_from(p.y)) {
                if x < self.0.width() && y < self.0.height() {
                    self.0.put_pixel(x, y, Rgb([c.r(), c.g(), c.b()]));
                }
            }
        }
        Ok(())
    }
}

/// The name as the font can draw it: letters it lacks become '?', and a long name is cut.
fn drawable(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '?'
            }
        })
        .collect();
    if s.chars().count() > 40 {
        s = s.chars().take(39).collect::<String>() + "~";
    }
    s
}

/// The card for `name` as a PNG.
pub fn draw(name: &str) -> Vec<u8> {
    let text = drawable(name);
    let (cw, ch) = (10u32, 20u32);
    let mut small = Canvas(RgbImage::from_pixel(
        cw * text.len().max(1) as u32,
        ch,
        PAPER,
    ));
    let style = MonoTextStyle::new(&FONT_10X20, Rgb888::new(INK[0], INK[1], INK[2]));
    let _ = Text::with_baseline(
        &text,
        Point::zero(),
        style,
        embedded_graphics::text::Baseline::Top,
    )
    .draw(&mut small);
    // The largest whole scale that fits with a margin, so the letters stay crisp.
    let scale = ((WIDTH - 160) / small.0.width())
        .min((HEIGHT - 200) / ch)
        .clamp(1, 8);
    let big = imageops::resize(
        &small.0,
        small.0.width() * scale,
        ch * scale,
        imageops::FilterType::Nearest,
    );
    let mut card = RgbImage::from_pixel(WIDTH, HEIGHT, PAPER);
    let x = (WIDTH - big.width()) / 2;
    let y = (HEIGHT - big.height()) / 2;
    imageops::overlay(&mut card, &big, i64::from(x), i64::from(y));
    // A rule under the name, as a masthead has.
    for px in 80..WIDTH - 80 {
        for py in HEIGHT - 90..HEIGHT - 84 {
            card.put_pixel(px, py, INK);
        }
    }
    let mut out = Vec::new();
    let _ = card.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png);
    out
}

/// A short fingerprint of the name, so the card's address changes with it.
pub fn version(name: &str) -> String {
    hex::encode(&Sha256::digest(name.as_bytes())[..6])
}

static MADE: Mutex<Option<(String, Vec<u8>)>> = Mutex::new(None);

/// The card for `name`, made once and kept until the name changes.
pub fn for_name(name: &str) -> Vec<u8> {
    let mut made = MADE.lock().unwrap_or_else(|e| e.into_inner());
    match made.as_ref() {
        Some((n, png)) if n == name => png.clone(),
        _ => {
            let png = draw(name);
            *made = Some((name.to_string(), png.clone()));
            png
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_card_is_a_wide_png_with_the_name_in_ink() {
        let png = draw("The Avel Courier");
        let img = image::load_from_memory(&png).unwrap().to_rgb8();
        assert_eq!((img.width(), img.height()), (WIDTH, HEIGHT));
        let inked = img.pixels().filter(|p| **p == INK).count();
        assert!(inked > 20_000, "{inked} inked pixels");
    }

    #[test]
    fn letters_the_font_lacks_become_marks() {
        assert_eq!(drawable("Le Café"), "Le Caf?");
        assert_eq!(version("a"), version("a"));
        assert_ne!(version("a"), version("b"));
    }
}
