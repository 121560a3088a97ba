//! The schema index inside the service: loads the embedding model (optional), opens the index, builds it on first
//! start and on the cron schedule, one build at a time. A failed build leaves the previous index serving.

use std::path::PathBuf;
use std::sync::Arc;

use indexer::embed::{Embedder, EmbedderConfig};
use indexer::index::{IndexStatus, Manifest, SchemaIndex};
use indexer::pipeline::{ReindexOptions, ReindexProgress};
use indexer::schedule::CronSchedule;
use indexer::source::{SamplingOptions, Warehouse};

use crate::config::IndexConfig;
use crate::error::ApiError;
use crate::store::Store;

/// The index and what re-indexing needs.
#[derive(Debug)]
pub struct Indexing {
    index: Arc<SchemaIndex>,
    warehouse: Warehouse,
    store: Store,
    options: ReindexOptions,
    /// Column-name patterns flagging sensitive columns (`PSTRAL_SENSITIVE_PATTERNS`).
    sensitive_patterns: Vec<String>,
    /// Why embeddings are off, when they are.
    embeddings_problem: Option<String>,
    single_flight: tokio::sync::Mutex<()>,
}

/// Loads the embedding model from the assets, or says why it cannot (the service then uses keywords only).
pub async fn load_embedder(config: &IndexConfig) -> Result<Arc<Embedder>, String> {
    if config.no_embeddings {
        return Err("embeddings are turned off (PSTRAL_NO_EMBEDDINGS): retrieval uses keywords only".to_owned());
    }
    let embedder_config = EmbedderConfig {
        threads: config.embed_threads,
        ..EmbedderConfig::from_assets_dir(&config.resolved_assets_dir())
    };
    match tokio::task::spawn_blocking(move || Embedder::load(&embedder_config)).await {
        Ok(Ok(embedder)) => Ok(Arc::new(embedder)),
        Ok(Err(error)) => Err(format!("{error}; retrieval uses keywords only")),
        Err(join) => Err(format!("the embedding model could not load ({join}); retrieval uses keywords only")),
    }
}

/// Loads the embedder for a command-line tool; without it, prints why and goes on with keywords only.
pub async fn load_embedder_or_warn(config: &IndexConfig) -> Option<Arc<Embedder>> {
    match load_embedder(config).await {
        Ok(embedder) => Some(embedder),
        Err(problem) => {
            eprintln!("warning: {problem}");
            None
        }
    }
}

impl Indexing {
    /// Opens the index under `index_dir` with the embedder, if it loaded.
    pub async fn open(
        config: &IndexConfig,
        index_dir: PathBuf,
        documents_dir: Option<PathBuf>,
        warehouse: Warehouse,
        store: Store,
    ) -> anyhow::Result<Self> {
        let embedder = load_embedder(config).await;
        let embeddings_problem = embedder.as_ref().err().cloned();
        if let Some(problem) = &embeddings_problem {
            tracing::warn!(%problem, "embeddings unavailable");
        }
        let index = tokio::task::spawn_blocking(move || SchemaIndex::open(&index_dir, embedder.ok())).await??;
        let options = ReindexOptions {
            schemas: config.warehouse_schemas.clone(),
            sampling: SamplingOptions { max_distinct: config.sample_max_distinct, ..SamplingOptions::default() },
            documents_dir,
        };
        Ok(Self {
            index: Arc::new(index),
            warehouse,
            store,
            options,
            sensitive_patterns: config.sensitive_patterns.clone(),
            embeddings_problem,
            single_flight: tokio::sync::Mutex::new(()),
        })
    }

    /// Returns the index.
    pub fn index(&self) -> &Arc<SchemaIndex> {
        &self.index
    }

    /// Returns why embeddings are unavailable, if they are.
    pub fn embeddings_problem(&self) -> Option<&str> {
        self.embeddings_problem.as_deref()
    }

    /// Returns the index status.
    pub fn status(&self) -> IndexStatus {
        self.index.status()
    }

    /// Re-indexes now with the stewards' current overrides. Refused while another re-index runs.
    pub async fn reindex(&self, progress: Arc<dyn Fn(ReindexProgress) + Send + Sync>) -> Result<Manifest, ApiError> {
        let _guard = self
            .single_flight
            .try_lock()
            .map_err(|_| ApiError::Conflict("a re-index is already running: wait for it to finish".to_owned()))?;
        let mut overrides = self.store.load_overrides().await?;
        overrides.sensitive_patterns = self.sensitive_patterns.clone();
        let manifest =
            indexer::pipeline::reindex(&self.warehouse, &self.index, &overrides, &self.options, progress).await?;
        tracing::info!(
            tables = manifest.tables,
            ms = manifest.duration_ms,
            embedded = manifest.embedded_now,
            "index published"
        );
        Ok(manifest)
    }

    /// Builds the index in the background when none is serving yet (first start).
    pub fn spawn_first_build_if_needed(self: &Arc<Self>) {
        if self.index.status().serving.is_some() {
            return;
        }
        let indexing = Arc::clone(self);
        tokio::spawn(async move {
            tracing::info!("building the schema index (first start)");
            if let Err(error) = indexing.reindex(Arc::new(|_| {})).await {
                tracing::error!(%error, "the first index build failed; retrying at the next scheduled re-index");
            }
        });
    }

    /// Runs the re-index on the cron schedule, in the background, for the life of the process.
    pub fn spawn_schedule(self: &Arc<Self>, schedule: CronSchedule) {
        let indexing = Arc::clone(self);
        tokio::spawn(async move {
            schedule
                .run(|| async {
                    if let Err(error) = indexing.reindex(Arc::new(|_| {})).await {
                        tracing::error!(%error, "the scheduled re-index failed; the previous index keeps serving");
                    }
                })
                .await;
        });
    }
}
