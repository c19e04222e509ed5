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

/// A copy of the index written but not yet kept: it reaches the disk and takes the kept
/// file's place in `keep`, which needs no hold on the index (flushing 100 MB to the disk can
/// take seconds, and new stories wait for the index meanwhile).
pub struct Written {
    tmp: PathBuf,
    file: File,
    path: PathBuf,
}

/// Writes the index into a file of its own beside `path` (two nodes may share a data folder).
pub fn write(index: &RelatedIndex, path: &Path) -> std::io::Result<Written> {
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
        out.into_inner().map_err(|e| e.into_error())
    })();
    match written {
        Ok(file) => Ok(Written {
            tmp,
            file,
            path: path.to_path_buf(),
        }),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

impl Written {
    /// Flushes the copy to disk and renames it over the kept file: the kept file is whole
    /// before and after, never half.
    pub fn keep(self) -> std::io::Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let kept = (|| {
            self.file.sync_all()?;
            std::fs::rename(&self.tmp, &self.path)?;
            File::open(dir)?.sync_all()
        })();
        if kept.is_err() {
            let _ = std::fs::remove_file(&self.tmp);
        }
        kept
    }
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
