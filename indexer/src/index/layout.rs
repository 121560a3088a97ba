//! The index directory: builds go into `builds/<id>/`, `CURRENT` names the one serving, swapped atomically
//! (write a temporary file, fsync, rename). A build that dies before the swap leaves `CURRENT` untouched; its
//! directory is removed by the next build.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::IndexerError;

const CURRENT: &str = "CURRENT";
const BUILDS: &str = "builds";
const STATUS: &str = "status.json";

/// What one finished build holds; written last into the build directory.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// When the build finished (RFC 3339).
    pub built_at: String,
    /// How long the build took, in milliseconds.
    pub duration_ms: u64,
    /// Tables and views indexed.
    pub tables: usize,
    /// Columns indexed.
    pub columns: usize,
    /// Sample values indexed for value linking.
    pub values: usize,
    /// Document chunks indexed.
    pub doc_chunks: usize,
    /// Verified question→SQL pairs indexed.
    pub verified_pairs: usize,
    /// The embedding model of the table vectors; `None` when the build had no embeddings (keywords only).
    pub embedding_model: Option<String>,
    /// Table vectors computed during this build (the rest came from the cache).
    pub embedded_now: usize,
}

/// The state of the index as the service reports it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IndexStatus {
    /// A build is running now.
    pub building: bool,
    /// When the last build started (RFC 3339).
    pub last_started_at: Option<String>,
    /// The last build's error, if it failed; the previous index keeps serving.
    pub last_error: Option<String>,
    /// The manifest of the index serving now.
    pub serving: Option<Manifest>,
}

/// Returns the directory of the build serving now, if any.
pub(crate) fn current(root: &Path) -> Option<PathBuf> {
    let name = std::fs::read_to_string(root.join(CURRENT)).ok()?;
    let dir = root.join(BUILDS).join(name.trim());
    dir.join("manifest.json").is_file().then_some(dir)
}

/// Creates a fresh build directory.
pub(crate) fn new_build_dir(root: &Path) -> Result<PathBuf, IndexerError> {
    let stamp = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    let dir = root.join(BUILDS).join(format!("{stamp}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|error| IndexerError::io("failed to create", &dir, error))?;
    Ok(dir)
}

/// Makes `build_dir` the serving build, atomically, then removes every other build but the previous one.
pub(crate) fn publish(root: &Path, build_dir: &Path) -> Result<(), IndexerError> {
    let name = build_dir
        .file_name()
        .and_then(|name| name.to_str())
        .ok_or_else(|| IndexerError::Index(format!("bad build directory {}", build_dir.display())))?;
    let previous = current(root);
    write_atomically(&root.join(CURRENT), name.as_bytes())?;
    collect_garbage(root, &[Some(build_dir.to_path_buf()), previous])
}

/// Removes build directories other than `keep` (orphans of killed builds, old indexes).
pub(crate) fn collect_garbage(root: &Path, keep: &[Option<PathBuf>]) -> Result<(), IndexerError> {
    let builds = root.join(BUILDS);
    let Ok(entries) = std::fs::read_dir(&builds) else { return Ok(()) };
    for entry in entries.flatten() {
        let path = entry.path();
        if keep.iter().flatten().any(|kept| *kept == path) {
            continue;
        }
        if let Err(error) = std::fs::remove_dir_all(&path) {
            tracing::warn!(path = %path.display(), %error, "could not remove an old index build");
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file, fsync and rename, so readers see the old or the new content.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), IndexerError> {
    let temporary = path.with_extension("tmp");
    let written = std::fs::File::create(&temporary)
        .map_err(|error| IndexerError::io("failed to create", &temporary, error))
        .and_then(|mut file| {
            file.write_all(bytes).map_err(|error| IndexerError::io("failed to write", &temporary, error))?;
            file.sync_all().map_err(|error| IndexerError::io("failed to sync", &temporary, error))
        })
        .and_then(|()| {
            std::fs::rename(&temporary, path).map_err(|error| IndexerError::io("failed to rename", path, error))
        });
    if let Err(error) = written {
        // A half-written temporary file would only hold space (the disk may be full).
        let _ignored = std::fs::remove_file(&temporary);
        return Err(error);
    }
    if let Some(parent) = path.parent().and_then(|parent| std::fs::File::open(parent).ok()) {
        let _ignored = parent.sync_all();
    }
    Ok(())
}

/// Writes `value` as pretty JSON, atomically.
pub(crate) fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<(), IndexerError> {
    let bytes =
        serde_json::to_vec_pretty(value).map_err(|error| IndexerError::Index(format!("cannot encode: {error}")))?;
    write_atomically(path, &bytes)
}

/// Reads a JSON file.
pub(crate) fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, IndexerError> {
    let bytes = std::fs::read(path).map_err(|error| IndexerError::io("failed to read", path, error))?;
    serde_json::from_slice(&bytes)
        .map_err(|error| IndexerError::Index(format!("{} is corrupt: {error}", path.display())))
}

/// Returns the last status written under `root`.
pub(crate) fn read_status(root: &Path) -> IndexStatus {
    read_json(&root.join(STATUS)).unwrap_or_default()
}

/// Saves the status under `root` (best effort: a status that cannot be written is logged, not fatal).
pub(crate) fn write_status(root: &Path, status: &IndexStatus) {
    if let Err(error) = std::fs::create_dir_all(root)
        .map_err(|error| IndexerError::io("failed to create", root, error))
        .and_then(|()| write_json(&root.join(STATUS), status))
    {
        tracing::warn!(%error, "could not save the index status");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_swaps_current_and_keeps_only_the_previous_build() {
        let root = tempfile::TempDir::new().expect("temp dir");
        let mut builds = Vec::new();
        for _ in 0..3 {
            let dir = new_build_dir(root.path()).expect("build dir");
            std::fs::write(dir.join("manifest.json"), "{}").expect("manifest");
            publish(root.path(), &dir).expect("publish");
            assert_eq!(current(root.path()).as_deref(), Some(dir.as_path()));
            builds.push(dir);
        }
        assert!(!builds[0].exists(), "the oldest build was collected");
        assert!(builds[1].exists() && builds[2].exists());
    }

    #[test]
    fn a_build_without_manifest_is_never_current() {
        let root = tempfile::TempDir::new().expect("temp dir");
        let dir = new_build_dir(root.path()).expect("build dir");
        write_atomically(&root.path().join(CURRENT), dir.file_name().expect("name").as_encoded_bytes()).expect("write");
        assert_eq!(current(root.path()), None);
    }
}
