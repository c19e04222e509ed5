//! Pictures from a copy of `wp-content/uploads`: each address under `/wp-content/uploads/`
//! found there (the original rather than a size WordPress made of it) goes through the picture
//! pipeline and is shown from this site; without the folder, addresses stay as they were.

use crate::services::pictures;
use newsdesk_core::media::PictureText;
use newsdesk_core::Store;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const UPLOADS: &str = "/wp-content/uploads/";

pub struct Uploads<'a> {
    pub dir: Option<PathBuf>,
    pub store: &'a dyn Store,
    pub key: Vec<u8>,
    pub max_pixels: u64,
    pub dry_run: bool,
    /// Address → this site's address, or the reason it stays as it was.
    done: HashMap<String, Result<String, String>>,
    pub taken: usize,
}

impl<'a> Uploads<'a> {
    pub fn new(
        dir: Option<PathBuf>,
        store: &'a dyn Store,
        key: Vec<u8>,
        max_pixels: u64,
        dry_run: bool,
    ) -> Self {
        Uploads {
            dir,
            store,
            key,
            max_pixels,
            dry_run,
            done: HashMap::new(),
            taken: 0,
        }
    }

    /// Every old picture address taken, with its address here.
    pub fn moved(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .done
            .iter()
            .filter_map(|(old, new)| new.as_ref().ok().map(|n| (old.clone(), n.clone())))
            .collect();
        out.sort();
        out
    }

    /// This site's address for a picture at `url`; `Err` says why it keeps its old address
    /// (`None` reason when no uploads folder was given or the address is elsewhere).
    pub async fn local(&mut self, url: &str, alt: &str) -> Result<String, Option<String>> {
        let Some(dir) = self.dir.clone() else {
            return Err(None);
        };
        let Some(relative) = relative_path(url) else {
            return Err(None);
        };
        if let Some(done) = self.done.get(url) {
            return done.clone().map_err(Some);
        }
        let result = match find_file(&dir, &relative) {
            None => Err(format!("{relative} is not in the uploads folder")),
            Some(file) => match std::fs::read(&file) {
                Err(e) => Err(format!("{}: {e}", file.display())),
                Ok(bytes) => {
                    let text = PictureText {
                        alt: alt.chars().take(300).collect(),
                        ..Default::default()
                    };
                    pictures::keep_file(
                        self.store,
                        &self.key,
                        bytes,
                        text,
                        self.max_pixels,
                        "import:wordpress",
                        self.dry_run,
                    )
                    .await
                    .map_err(|e| format!("{relative}: {e}"))
                }
            },
        };
        if result.is_ok() {
            self.taken += 1;
        }
        self.done.insert(url.to_string(), result.clone());
        result.map_err(Some)
    }
}

/// The part of an address below `wp-content/uploads/`, decoded, if it is a plain relative path.
fn relative_path(url: &str) -> Option<String> {
    let at = url.find(UPLOADS)? + UPLOADS.len();
    let rest = url[at..].split(['?', '#']).next()?;
    let decoded = percent_encoding::percent_decode_str(rest)
        .decode_utf8()
        .ok()?
        .into_owned();
    let safe = !decoded.is_empty()
        && Path::new(&decoded)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    safe.then_some(decoded)
}

/// The file for a relative path: the original when the path names a size WordPress made of it
/// (`photo-300x200.jpg` for `photo.jpg`), else the file itself.
fn find_file(dir: &Path, relative: &str) -> Option<PathBuf> {
    let path = dir.join(relative);
    let found = match original_of(&path) {
        Some(original) if original.is_file() => original,
        _ => path.is_file().then_some(path)?,
    };
    // A link inside the folder must not lead out of it.
    let inside = found.canonicalize().ok()?;
    inside
        .starts_with(dir.canonicalize().ok()?)
        .then_some(inside)
}

fn original_of(path: &Path) -> Option<PathBuf> {
    let stem = path.file_stem()?.to_str()?;
    let ext = path.extension()?.to_str()?;
    if let Some(base) = stem.strip_suffix("-scaled") {
        return Some(path.with_file_name(format!("{base}.{ext}")));
    }
    let (base, size) = stem.rsplit_once('-')?;
    let (w, h) = size.split_once('x')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(w) && digits(h)).then(|| path.with_file_name(format!("{base}.{ext}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_uploads_address_names_a_safe_relative_path() {
        assert_eq!(
            relative_path("http://x.example/wp-content/uploads/2026/05/caf%C3%A9.jpg").as_deref(),
            Some("2026/05/café.jpg")
        );
        assert_eq!(
            relative_path("http://x.example/wp-content/uploads/../../etc/passwd"),
            None
        );
        assert_eq!(relative_path("http://x.example/images/a.jpg"), None);
    }

    #[test]
    fn a_link_inside_the_uploads_folder_cannot_lead_out_of_it() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.jpg"), b"x").unwrap();
        std::fs::write(dir.path().join("ok.jpg"), b"x").unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("out")).unwrap();
        assert!(find_file(dir.path(), "ok.jpg").is_some());
        assert_eq!(find_file(dir.path(), "out/secret.jpg"), None);
    }

    #[test]
    fn a_size_wordpress_made_leads_to_its_original() {
        assert_eq!(
            original_of(Path::new("/u/2026/05/quay-300x200.jpg")),
            Some(PathBuf::from("/u/2026/05/quay.jpg"))
        );
        assert_eq!(original_of(Path::new("/u/2026/05/quay-front.jpg")), None);
    }
}
