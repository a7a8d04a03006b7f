//! Output files named on the command line, checked before the work starts:
//! a resolution of a million records or an exact betweenness takes minutes,
//! and finding only at the end that `--pairs` names a missing folder throws
//! that time away.

use std::path::Path;

use anyhow::{Result, bail};

/// Fails, naming `flag` and the path, unless `path` can be written: its folder
/// exists, it is not a folder itself, and it can be opened for writing. An
/// existing file is opened without being truncated (a run that fails later
/// leaves the last run's results in place); a new file is created and removed.
pub fn check_writable(flag: &str, path: &Path) -> Result<()> {
    if path.is_dir() {
        bail!("{flag} {}: is a folder, not a file", path.display());
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        bail!("{flag} {}: the folder {} does not exist", path.display(), folder.display());
    }
    let opened = if path.exists() {
        std::fs::OpenOptions::new().append(true).open(path).map(drop)
    } else {
        std::fs::OpenOptions::new().write(true).create_new(true).open(path).and_then(|file| {
            drop(file);
            std::fs::remove_file(path)
        })
    };
    opened.map_err(|e| anyhow::anyhow!("{flag} {}: cannot be written: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_folder_or_a_folder_is_named_with_the_flag() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let missing = dir.path().join("no-such-folder").join("pairs.csv");
        let message = check_writable("--pairs", &missing).expect_err("missing folder").to_string();
        assert!(message.starts_with("--pairs ") && message.contains("does not exist"), "{message}");
        let message = check_writable("--out", dir.path()).expect_err("a folder").to_string();
        assert!(message.contains("is a folder"), "{message}");
    }

    #[test]
    fn a_writable_path_passes_and_an_existing_file_is_kept() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let new = dir.path().join("new.csv");
        check_writable("--pairs", &new).expect("writable");
        assert!(!new.exists(), "the probe leaves nothing behind");
        let old = dir.path().join("old.csv");
        std::fs::write(&old, "last run\n").expect("written");
        check_writable("--pairs", &old).expect("writable");
        assert_eq!(std::fs::read_to_string(&old).expect("read"), "last run\n");
    }
}
