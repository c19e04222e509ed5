//! The related-stories index kept in `DATA/related.idx`, so a restarted node relates stories by
//! content within moments instead of reading and weighing the whole archive again. The file
//! is only a head start: on loading, every story whose change stamp differs from the store's
//! is indexed again, and a missing, old or damaged file means a build from the stories.

use newsdesk_core::related::{RelatedIndex, Snapshot};
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

pub fn path_in(data_dir: &Path) -> PathBuf {
    data_dir.join("related.idx")
}

/// The index kept at `path`, or `None` (with the reason logged) when there is none to use.
pub fn load(path: &Path) -> Option<RelatedIndex> {
    remove_abandoned(path);
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "cannot read the kept related-stories index; building it again");
            return None;
        }
    };
    // Read as a stream, not whole: at 100,000 stories the file is some 100 MB, which a
    // starting node would otherwise hold beside the index it decodes (its peak memory).
    let mut scratch = vec![0u8; 64 * 1024];
    let index = postcard::from_io::<Snapshot, _>((BufReader::new(file), &mut scratch))
        .map(|(snapshot, _)| snapshot)
        .map_err(|e| e.to_string())
        .and_then(|s| RelatedIndex::from_snapshot(s).map_err(|e| e.to_string()));
    match index {
        Ok(index) => Some(index),
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "the kept related-stories index cannot be used; building it again");
            None
        }
    }
}

/// Writes the index to `path` whole or not at all: into a file of its own beside it (two
/// nodes may share a data folder), flushed to disk, then renamed over the old one.
pub fn save(index: &RelatedIndex, path: &Path) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".related.idx.{}.{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    let written = (|| {
        let mut out = BufWriter::new(owner_only(&tmp)?);
        postcard::to_io(&index.snapshot(), &mut out).map_err(std::io::Error::other)?;
        out.flush()?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)?;
        File::open(dir)?.sync_all()
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

fn owner_only(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Removes half-written copies a process left when it died while writing (another node's
/// copy being written now is younger than this).
fn remove_abandoned(path: &Path) {
    let Some(dir) = path.parent() else { return };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > std::time::Duration::from_secs(600));
        if old
            && entry
                .file_name()
                .to_string_lossy()
                .starts_with(".related.idx.")
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
