//! `pstral index`: one re-index with a progress bar, for installs that schedule it from an external cron.

use std::sync::Arc;

use indexer::index::BuildProgress;
use indexer::pipeline::ReindexProgress;

use super::progress::ProgressBar;
use crate::config::Config;
use crate::startup::Core;

/// Builds the index once and prints what it holds.
pub async fn run(config: Config) -> anyhow::Result<()> {
    let core = Core::prepare(&config).await?;
    let indexing = core.open_indexing(&config).await?;
    if let Some(problem) = indexing.embeddings_problem() {
        eprintln!("warning: {problem}");
    }
    let bar = Arc::new(ProgressBar::default());
    let reporter = Arc::clone(&bar);
    let progress = Arc::new(move |step: ReindexProgress| match step {
        ReindexProgress::Introspecting => reporter.step("reading the data dictionary"),
        ReindexProgress::Sampling(done, total) => reporter.update("sampling", done, total),
        ReindexProgress::Building(BuildProgress::Indexing(done, total)) => reporter.update("keywords", done, total),
        ReindexProgress::Building(BuildProgress::Embedding(done, total)) => reporter.update("embeddings", done, total),
        ReindexProgress::Building(BuildProgress::Publishing) => reporter.step("publishing"),
    });
    let manifest = indexing.reindex(progress).await.map_err(|error| anyhow::anyhow!("{error}"))?;
    println!(
        "index: {} tables, {} columns, {} values, {} document chunks, {} verified pairs, {} vectors computed, {} ms",
        manifest.tables,
        manifest.columns,
        manifest.values,
        manifest.doc_chunks,
        manifest.verified_pairs,
        manifest.embedded_now,
        manifest.duration_ms
    );
    core.store.close().await;
    Ok(())
}
