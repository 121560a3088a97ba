//! `pstral bench …`: performance figures printed by the binary itself, never asserted in tests.

use std::sync::Arc;
use std::time::{Duration, Instant};

use indexer::index::{BuildInput, BuildProgress, RetrieveOptions, SchemaIndex};

use super::progress::ProgressBar;
use super::synthetic;
use crate::config::{BenchCommand, BenchIndexArgs};
use crate::indexing::load_embedder_or_warn;

/// How long the allocator takes to give freed memory back (`dirty_decay_ms` in `.cargo/config.toml`), with margin.
const ALLOCATOR_DECAY: Duration = Duration::from_secs(3);

/// Runs one benchmark.
pub async fn run(command: BenchCommand) -> anyhow::Result<()> {
    match command {
        BenchCommand::Index(args) => bench_index(args).await,
        BenchCommand::Overhead(args) => super::overhead::run(args).await,
        BenchCommand::Load(args) => super::load::run(args).await,
    }
}

async fn bench_index(args: BenchIndexArgs) -> anyhow::Result<()> {
    let before_model = memory_kib().0;
    let embedder = load_embedder_or_warn(&args.index).await;
    let budget_tokens = args.index.schema_budget_tokens;
    tokio::task::spawn_blocking(move || bench_index_blocking(&args, embedder, budget_tokens, before_model)).await?
}

fn bench_index_blocking(
    args: &BenchIndexArgs,
    embedder: Option<Arc<indexer::embed::Embedder>>,
    budget_tokens: usize,
    before_model: u64,
) -> anyhow::Result<()> {
    let directory = tempfile::TempDir::new()?;
    let after_model = memory_kib().0;
    let catalog = synthetic::catalog(args.tables, args.columns);
    let questions = synthetic::questions(&catalog, args.queries);
    println!("catalog: {} tables, {} columns (synthetic)", catalog.tables.len(), catalog.column_count());
    let input = BuildInput { catalog, ..BuildInput::default() };
    let index = SchemaIndex::open(directory.path(), embedder.clone())?;
    let bar = ProgressBar::default();
    let progress = |step: BuildProgress| match step {
        BuildProgress::Indexing(done, total) => bar.update("keywords", done, total),
        BuildProgress::Embedding(done, total) => bar.update("embeddings", done, total),
        BuildProgress::Publishing => {}
    };
    let started = Instant::now();
    let first = index.rebuild(&input, &progress)?;
    let full_build = started.elapsed();
    let started = Instant::now();
    let second = index.rebuild(&input, &progress)?;
    let unchanged_build = started.elapsed();
    let after_builds = memory_kib().0;
    // Retrieval is measured as a restarted service would serve: the index reopened from disk, the model loaded,
    // nothing of the build kept.
    drop((input, index));
    std::thread::sleep(ALLOCATOR_DECAY);
    let index = SchemaIndex::open(directory.path(), embedder)?;
    println!(
        "build: full {:.1} s ({} vectors computed), unchanged catalog {:.1} s ({} vectors computed)",
        full_build.as_secs_f64(),
        first.embedded_now,
        unchanged_build.as_secs_f64(),
        second.embedded_now
    );
    let options = RetrieveOptions { budget_tokens, ..RetrieveOptions::default() };
    let mut latencies = Vec::with_capacity(questions.len());
    let mut found = 0;
    let mut tokens = Vec::with_capacity(questions.len());
    for (question, table) in &questions {
        let started = Instant::now();
        let retrieval = index.retrieve(question, &options)?;
        latencies.push(started.elapsed());
        found += usize::from(retrieval.tables.iter().any(|retrieved| retrieved.name == *table));
        tokens.push(retrieval.schema_tokens);
    }
    latencies.sort();
    tokens.sort_unstable();
    let (rss, peak) = memory_kib();
    println!(
        "retrieval: {} queries, p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms, target table found {:.3}, median schema tokens {}",
        latencies.len(),
        millis(percentile(&latencies, 50)),
        millis(percentile(&latencies, 95)),
        millis(latencies.last().copied().unwrap_or_default()),
        found as f64 / questions.len().max(1) as f64,
        tokens.get(tokens.len() / 2).copied().unwrap_or_default()
    );
    println!(
        "bench index: {} tables, full build {:.1} s, unchanged re-index {:.1} s, retrieval p50 {:.1} ms p95 {:.1} ms, RSS {} MB (peak {} MB)",
        args.tables,
        full_build.as_secs_f64(),
        unchanged_build.as_secs_f64(),
        millis(percentile(&latencies, 50)),
        millis(percentile(&latencies, 95)),
        rss / 1024,
        peak / 1024
    );
    println!(
        "memory: {} MB before the model, {} MB after loading it, {} MB after the builds, {} MB serving",
        before_model / 1024,
        after_model / 1024,
        after_builds / 1024,
        rss / 1024
    );
    Ok(())
}

/// Returns the `percent`-th percentile of sorted durations.
pub(crate) fn percentile(sorted: &[Duration], percent: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (sorted.len() * percent).div_ceil(100).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Returns this process's resident memory and its peak, in KiB, from /proc (zero where /proc is absent).
pub(crate) fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|value| value.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_picks_the_nearest_rank() {
        let sorted: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&sorted, 50), Duration::from_millis(50));
        assert_eq!(percentile(&sorted, 95), Duration::from_millis(95));
        assert_eq!(percentile(&[], 95), Duration::ZERO);
    }
}
