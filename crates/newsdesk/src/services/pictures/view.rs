//! The kept pictures a page shows, loaded before it renders, and their addresses: the kept
//! picture at `/media/{name}.{ext}`, each variant at `/media/{name}-{width}.{ext}`.

use crate::http::error::AppError;
use crate::state::AppState;
use newsdesk_core::media::{is_picture_name, Picture, PictureFormat};
use newsdesk_core::Hero;
use std::collections::HashMap;

/// The library's pictures among those a page shows, by name.
#[derive(Default)]
pub struct Known(HashMap<String, Picture>);

impl Known {
    pub fn get(&self, url: &str) -> Option<&Picture> {
        self.0.get(&picture_name_in(url)?)
    }
}

/// Loads what the library knows of every picture among `heroes`, in one query.
pub async fn load<'a>(
    state: &AppState,
    heroes: impl IntoIterator<Item = Option<&'a Hero>>,
) -> Result<Known, AppError> {
    let mut names: Vec<String> = heroes
        .into_iter()
        .flatten()
        .filter_map(|h| picture_name_in(&h.url))
        .collect();
    names.sort();
    names.dedup();
    if names.is_empty() {
        return Ok(Known::default());
    }
    let found = state.store.pictures(&names).await?;
    Ok(Known(
        found.into_iter().map(|p| (p.name.clone(), p)).collect(),
    ))
}

/// The address link previews use: the largest ready variant up to 1280 pixels wide in the
/// picture's own format (what every preview reader takes), else the picture itself.
pub fn share_url(hero: &Hero, known: &Known) -> String {
    match known.get(&hero.url) {
        Some(p) => match p.ready_widths.iter().filter(|w| **w <= 1280).max() {
            Some(w) => variant_path(&p.name, *w, p.format),
            None => picture_path(&p.name, p.format),
        },
        None => hero.url.clone(),
    }
}

/// A kept picture's own address.
pub fn picture_path(name: &str, format: PictureFormat) -> String {
    crate::services::links::media_path(&format!("{name}.{}", format.extension()))
}

/// A variant's address.
pub fn variant_path(name: &str, width: u32, format: PictureFormat) -> String {
    crate::services::links::media_path(&format!("{name}-{width}.{}", format.extension()))
}

/// What a `/media/` file name asks for: the picture, the width (None: the kept picture) and
/// the format.
pub fn parse_media_name(file: &str) -> Option<(String, Option<u32>, PictureFormat)> {
    let (stem, ext) = file.rsplit_once('.')?;
    let format = PictureFormat::from_extension(ext)?;
    let (name, width) = match stem.split_once('-') {
        Some((name, w)) if !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()) => {
            (name, Some(w.parse().ok()?))
        }
        Some(_) => return None,
        None => (stem, None),
    };
    is_picture_name(name).then(|| (name.to_string(), width, format))
}

/// The library picture a hero's address names (on this site, absolute or not), if any.
pub fn picture_name_in(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next()?;
    let file = path.rsplit_once("/media/")?.1;
    parse_media_name(file).map(|(name, _, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const N: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn a_media_name_gives_the_picture_width_and_format() {
        assert_eq!(
            parse_media_name(&format!("{N}-640.webp")),
            Some((N.to_string(), Some(640), PictureFormat::Webp))
        );
        assert_eq!(
            parse_media_name(&format!("{N}.jpg")),
            Some((N.to_string(), None, PictureFormat::Jpeg))
        );
        assert_eq!(parse_media_name("harbour.svg"), None);
        assert_eq!(parse_media_name(&format!("{N}-x.jpg")), None);
        assert_eq!(parse_media_name(&format!("{N}-.jpg")), None);
    }

    #[test]
    fn a_hero_address_names_its_picture_wherever_the_site_is() {
        assert_eq!(
            picture_name_in(&format!("/media/{N}.png")).as_deref(),
            Some(N)
        );
        assert_eq!(
            picture_name_in(&format!("https://news.example/media/{N}-320.webp?x=1")).as_deref(),
            Some(N)
        );
        assert_eq!(picture_name_in("/media/harbour.svg"), None);
    }

    #[test]
    fn addresses_round_trip_through_the_parser() {
        let v = variant_path(N, 960, PictureFormat::Jpeg);
        assert_eq!(v, format!("/media/{N}-960.jpg"));
        assert_eq!(picture_name_in(&v).as_deref(), Some(N));
        assert_eq!(
            picture_path(N, PictureFormat::Gif),
            format!("/media/{N}.gif")
        );
    }
}
