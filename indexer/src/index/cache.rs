//! The embedding cache: vectors keyed by the SHA-256 of (model, text), kept beside the builds, so an unchanged
//! catalog re-indexes without calling the model.
//!
//! File format: `PSTRALEMB1`, then per entry 32 key bytes and `DIMENSION` little-endian f32.

use std::collections::HashMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::IndexerError;
use crate::embed::DIMENSION;
use crate::index::layout::write_atomically;

const MAGIC: &[u8] = b"PSTRALEMB1";
const ENTRY_BYTES: usize = 32 + DIMENSION * 4;

/// Vectors by content hash.
#[derive(Debug, Default)]
pub(crate) struct EmbeddingCache {
    entries: HashMap<[u8; 32], Vec<f32>>,
}

/// Returns the cache key of `text` embedded by `model`.
pub(crate) fn key(model: &str, text: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(model.as_bytes());
    hasher.update([0]);
    hasher.update(text.as_bytes());
    hasher.finalize().into()
}

impl EmbeddingCache {
    /// Loads the cache at `path`; a missing or corrupt file gives an empty cache.
    pub fn load(path: &Path) -> Self {
        let Ok(bytes) = std::fs::read(path) else { return Self::default() };
        let Some(body) = bytes.strip_prefix(MAGIC) else { return Self::default() };
        if body.len() % ENTRY_BYTES != 0 {
            tracing::warn!(path = %path.display(), "the embedding cache is truncated: starting afresh");
            return Self::default();
        }
        let entries = body
            .chunks_exact(ENTRY_BYTES)
            .map(|entry| {
                let mut key = [0u8; 32];
                key.copy_from_slice(&entry[..32]);
                let vector = entry[32..]
                    .chunks_exact(4)
                    .map(|bytes| f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
                    .collect();
                (key, vector)
            })
            .collect();
        Self { entries }
    }

    /// Returns the cached vector for `key`.
    pub fn get(&self, key: &[u8; 32]) -> Option<&Vec<f32>> {
        self.entries.get(key)
    }

    /// Saves exactly the entries of `keys` that have vectors (stale entries are dropped).
    pub fn save_subset(
        &self,
        path: &Path,
        keys: &[[u8; 32]],
        fresh: &HashMap<[u8; 32], Vec<f32>>,
    ) -> Result<(), IndexerError> {
        let mut bytes = Vec::with_capacity(MAGIC.len() + keys.len() * ENTRY_BYTES);
        bytes.extend_from_slice(MAGIC);
        let mut written = std::collections::HashSet::new();
        for key in keys {
            let Some(vector) = fresh.get(key).or_else(|| self.entries.get(key)) else { continue };
            if vector.len() != DIMENSION || !written.insert(*key) {
                continue;
            }
            bytes.extend_from_slice(key);
            for value in vector {
                bytes.extend_from_slice(&value.to_le_bytes());
            }
        }
        write_atomically(path, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_entries_load_back_and_stale_ones_are_dropped() {
        let dir = tempfile::TempDir::new().expect("temp dir");
        let path = dir.path().join("embeddings.cache");
        let (kept, stale) = (key("m", "kept"), key("m", "stale"));
        let mut fresh = HashMap::new();
        fresh.insert(kept, vec![0.5; DIMENSION]);
        fresh.insert(stale, vec![0.25; DIMENSION]);
        EmbeddingCache::default().save_subset(&path, &[kept], &fresh).expect("save");
        let cache = EmbeddingCache::load(&path);
        assert_eq!(cache.get(&kept).map(|vector| vector[0]), Some(0.5));
        assert!(cache.get(&stale).is_none());
        assert_ne!(key("m", "a"), key("n", "a"), "the model is part of the key");
    }

    #[test]
    fn a_corrupt_cache_is_ignored() {
        let dir = tempfile::TempDir::new().expect("temp dir");
        let path = dir.path().join("embeddings.cache");
        std::fs::write(&path, b"PSTRALEMB1garbage").expect("write");
        assert!(EmbeddingCache::load(&path).entries.is_empty());
    }
}
