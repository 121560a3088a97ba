//! The schema index: tantivy (BM25, French and English analysis) plus table vectors, built into a new directory
//! and swapped in atomically, so a failed or killed build leaves the previous index serving.
//!
//! [`SchemaIndex`] is the handle the agent keeps: it answers retrievals from the build loaded in memory and
//! reloads when a new build is published. It must not know about HTTP or the agent's store.

mod build;
mod cache;
mod fields;
mod graph;
pub mod layout;
mod link;
mod render;
mod search;
mod stable;
pub mod text;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

pub use build::{BuildInput, BuildProgress};
pub use layout::{IndexStatus, Manifest};
pub use search::{LinkedValue, Retrieval, RetrieveOptions, RetrievedTable, Strategy};
pub use stable::StableSchema;

use crate::IndexerError;
use crate::catalog::{Catalog, Visibility};
use crate::embed::Embedder;
use search::LoadedIndex;

/// The index under one root directory, shared by every request.
pub struct SchemaIndex {
    root: PathBuf,
    embedder: Option<Arc<Embedder>>,
    loaded: RwLock<Option<Arc<LoadedIndex>>>,
    status: Mutex<IndexStatus>,
}

impl std::fmt::Debug for SchemaIndex {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("SchemaIndex").field("root", &self.root).finish_non_exhaustive()
    }
}

impl SchemaIndex {
    /// Opens the index under `root` (created when missing) and loads the serving build, if there is one.
    /// Without an embedder, retrieval uses keywords and value links only.
    pub fn open(root: &Path, embedder: Option<Arc<Embedder>>) -> Result<Self, IndexerError> {
        std::fs::create_dir_all(root).map_err(|error| IndexerError::io("failed to create", root, error))?;
        let mut status = layout::read_status(root);
        status.building = false;
        let index = Self { root: root.to_path_buf(), embedder, loaded: RwLock::new(None), status: Mutex::new(status) };
        if let Err(error) = index.reload() {
            tracing::warn!(%error, "the schema index could not be loaded; it will be rebuilt");
        }
        Ok(index)
    }

    /// Returns the root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Returns whether embeddings are available.
    pub fn has_embedder(&self) -> bool {
        self.embedder.is_some()
    }

    /// Loads the serving build from disk (after a build published by another process, for instance).
    pub fn reload(&self) -> Result<(), IndexerError> {
        let loaded = match layout::current(&self.root) {
            Some(dir) => Some(Arc::new(LoadedIndex::open(&dir)?)),
            None => None,
        };
        let manifest = loaded.as_ref().map(|loaded| loaded.manifest.clone());
        *self.loaded.write().map_err(|_| poisoned())? = loaded;
        self.update_status(|status| status.serving = manifest);
        Ok(())
    }

    /// Returns the current status (serving build, last error, whether a build runs).
    pub fn status(&self) -> IndexStatus {
        self.status.lock().map(|status| status.clone()).unwrap_or_default()
    }

    /// Returns the catalog of the serving build (shared, not copied: it is read on every question).
    pub fn catalog(&self) -> Option<Arc<Catalog>> {
        self.current().map(|loaded| Arc::clone(&loaded.catalog))
    }

    /// Builds a new index from `input`, publishes it and loads it. On failure the previous build keeps serving and
    /// the error is recorded in the status. Blocking: run it on a blocking thread.
    pub fn rebuild(&self, input: &BuildInput, progress: &dyn Fn(BuildProgress)) -> Result<Manifest, IndexerError> {
        self.update_status(|status| {
            status.building = true;
            status.last_started_at = Some(build::now_rfc3339());
        });
        let result = build::build(&self.root, input, self.embedder.as_deref(), progress).and_then(|manifest| {
            self.reload()?;
            Ok(manifest)
        });
        self.update_status(|status| {
            status.building = false;
            status.last_error = result.as_ref().err().map(ToString::to_string);
        });
        result
    }

    /// Marks a build as failed before it reached the index (introspection errors, for instance).
    pub fn record_failure(&self, error: &IndexerError) {
        self.update_status(|status| {
            status.building = false;
            status.last_error = Some(error.to_string());
        });
    }

    /// Retrieves what the model needs for `question`. Blocking (it may embed the question).
    pub fn retrieve(&self, question: &str, options: &RetrieveOptions) -> Result<Retrieval, IndexerError> {
        self.retrieve_for(question, options, &Visibility::default())
    }

    /// [`Self::retrieve`] for a reader who sees only what `visibility` shows.
    pub fn retrieve_for(
        &self,
        question: &str,
        options: &RetrieveOptions,
        visibility: &Visibility,
    ) -> Result<Retrieval, IndexerError> {
        let loaded = self.current().ok_or_else(|| {
            IndexerError::Index(
                "the schema index is not built yet: wait for the first build or run `pstral index`".into(),
            )
        })?;
        let vector = if loaded.has_vectors() && options.strategy != Strategy::FullSchema {
            search::question_vector(self.embedder.as_deref(), question)?
        } else {
            None
        };
        loaded.retrieve(question, vector.as_deref(), options, visibility)
    }

    /// The stable schema of the serving build for readers who see what `visibility` shows (see
    /// [`StableSchema`]); `None` before the first build or with a budget of 0. The same text retrieval puts in
    /// front of every question of this build.
    pub fn stable_schema(&self, visibility: &Visibility, budget_tokens: usize) -> Option<Arc<StableSchema>> {
        let loaded = self.current()?;
        (budget_tokens > 0).then(|| loaded.stable_schema(&visibility.shared(), budget_tokens))
    }

    fn current(&self) -> Option<Arc<LoadedIndex>> {
        self.loaded.read().ok().and_then(|loaded| loaded.clone())
    }

    fn update_status(&self, change: impl FnOnce(&mut IndexStatus)) {
        if let Ok(mut status) = self.status.lock() {
            change(&mut status);
            layout::write_status(&self.root, &status);
        }
    }
}

fn poisoned() -> IndexerError {
    IndexerError::Index("BUG: the index lock was poisoned".into())
}
