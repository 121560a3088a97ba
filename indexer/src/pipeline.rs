//! One re-index, end to end: introspect the warehouse, layer the stewards' overrides, sample values (never from
//! sensitive columns), read the internal documents, then build and publish the index.

use std::path::PathBuf;
use std::sync::Arc;

use crate::IndexerError;
use crate::catalog::Overrides;
use crate::docs;
use crate::index::{BuildInput, BuildProgress, Manifest, SchemaIndex};
use crate::source::{SamplingOptions, Warehouse};
use crate::vocabulary;

/// What to read for one re-index.
#[derive(Debug, Clone, Default)]
pub struct ReindexOptions {
    /// Oracle owners or PostgreSQL schemas to read (default: the user's own / every non-system schema).
    pub schemas: Vec<String>,
    /// Limits of value sampling.
    pub sampling: SamplingOptions,
    /// Folder of internal documents (markdown, text), if any.
    pub documents_dir: Option<PathBuf>,
}

/// Steps of a re-index, for progress reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReindexProgress {
    /// Reading the data dictionary.
    Introspecting,
    /// Sampling values: tables done, of a total.
    Sampling(usize, usize),
    /// Building the index.
    Building(BuildProgress),
}

/// Re-indexes `warehouse` into `index`; on any failure the previous index keeps serving and the error is recorded
/// in the index status.
pub async fn reindex(
    warehouse: &Warehouse,
    index: &Arc<SchemaIndex>,
    overrides: &Overrides,
    options: &ReindexOptions,
    progress: Arc<dyn Fn(ReindexProgress) + Send + Sync>,
) -> Result<Manifest, IndexerError> {
    let result = collect(warehouse, overrides, options, progress.as_ref()).await;
    let input = match result {
        Ok(input) => input,
        Err(error) => {
            index.record_failure(&error);
            return Err(error);
        }
    };
    let index = Arc::clone(index);
    tokio::task::spawn_blocking(move || index.rebuild(&input, &|step| progress(ReindexProgress::Building(step))))
        .await
        .map_err(|join| IndexerError::Index(format!("the index build task failed: {join}")))?
}

/// Gathers everything a build needs, without touching the index.
pub async fn collect(
    warehouse: &Warehouse,
    overrides: &Overrides,
    options: &ReindexOptions,
    progress: &(dyn Fn(ReindexProgress) + Send + Sync),
) -> Result<BuildInput, IndexerError> {
    progress(ReindexProgress::Introspecting);
    let mut catalog = warehouse.introspect(&options.schemas).await?;
    catalog.apply(overrides);
    warehouse
        .sample_values(&mut catalog, &options.sampling, &|done, total| progress(ReindexProgress::Sampling(done, total)))
        .await;
    let documents = match &options.documents_dir {
        Some(dir) if dir.is_dir() => docs::load_dir(dir)?,
        Some(dir) => {
            tracing::warn!(dir = %dir.display(), "the documents folder does not exist: indexing without documents");
            Vec::new()
        }
        None => Vec::new(),
    };
    let coded = vocabulary::attach_codes(&mut catalog, &documents);
    let labelled = vocabulary::apply_steward_codes(&mut catalog, overrides);
    tracing::info!(columns = coded, steward_codes = labelled, "code lists read from the documents and the stewards");
    for refused in vocabulary::attach_terms(&mut catalog, &documents) {
        tracing::warn!(
            term = %refused.name,
            source = %refused.source,
            reason = %refused.reason,
            "a business term of the documents is refused: correct its definition"
        );
    }
    tracing::info!(terms = catalog.terms.len(), "business terms read from the documents");
    Ok(BuildInput {
        catalog,
        documents,
        verified_pairs: overrides.verified_pairs.clone(),
        past_queries: overrides.past_queries.clone(),
    })
}
