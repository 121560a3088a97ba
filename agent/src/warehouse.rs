//! The only door from the agent to the warehouse for a statement: it accepts a [`CheckedStatement`], which only the
//! guard produces, for the user whose policy it passed. Calling `indexer::source::Warehouse::{explain, run}` anywhere
//! else is refused by clippy (`clippy.toml`, `disallowed-methods`), so a path that forgets the guard does not build.

use indexer::IndexerError;
use indexer::source::Warehouse;
use indexer::source::explain::DryRun;
use indexer::source::run::{QueryLimits, RunOutcome};

use crate::guard::CheckedStatement;

/// Plans `statement` without running it (`EXPLAIN`).
#[allow(clippy::disallowed_methods)]
pub async fn explain(warehouse: &Warehouse, statement: &CheckedStatement) -> Result<DryRun, IndexerError> {
    warehouse.explain(statement.sql()).await
}

/// Runs `statement` read-only within `limits`.
#[allow(clippy::disallowed_methods)]
pub async fn run(
    warehouse: &Warehouse,
    statement: &CheckedStatement,
    limits: &QueryLimits,
) -> Result<RunOutcome, IndexerError> {
    tracing::debug!(subject = statement.subject(), tables = ?statement.tables(), "running a checked statement");
    warehouse.run(statement.sql(), limits).await
}
