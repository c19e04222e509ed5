//! The data folder: created readable by its owner only (it holds the database, the secrets in
//! it and readers' pictures), with the SQLite files in it kept the same way.

use std::io;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::Path;

/// Creates the folder (and any missing parents) with mode 0700; one that exists is left as
/// its operator set it.
pub fn create_private(dir: &Path) -> io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

/// Makes the SQLite database and its journal files in `dir` readable by their owner only.
pub fn keep_database_private(dir: &Path) -> io::Result<()> {
    for name in ["newsdesk.db", "newsdesk.db-wal", "newsdesk.db-shm"] {
        let path = dir.join(name);
        if path.exists() {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_data_folder_and_its_database_are_the_owner_s_alone() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("site/data");
        create_private(&dir).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        std::fs::write(dir.join("newsdesk.db"), b"").unwrap();
        keep_database_private(&dir).unwrap();
        assert_eq!(mode(&dir.join("newsdesk.db")), 0o600);
    }
}
