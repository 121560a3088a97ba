//! The nightly re-index: a cron expression (`PSTRAL_REINDEX_CRON`, seconds first, e.g. `0 0 2 * * *`) evaluated in
//! local time, and a loop that sleeps until the next run. DST-correct because each next run is recomputed.

use std::future::Future;
use std::str::FromStr;

use crate::IndexerError;

/// A parsed cron schedule.
#[derive(Debug, Clone)]
pub struct CronSchedule {
    schedule: cron::Schedule,
    expression: String,
}

impl CronSchedule {
    /// Parses a six- or seven-field cron expression (seconds first).
    pub fn parse(expression: &str) -> Result<Self, IndexerError> {
        let schedule = cron::Schedule::from_str(expression).map_err(|error| {
            IndexerError::Config(format!(
                "PSTRAL_REINDEX_CRON `{expression}` is not a cron expression (sec min hour day month weekday): {error}"
            ))
        })?;
        Ok(Self { schedule, expression: expression.to_owned() })
    }

    /// Returns the expression as given.
    pub fn expression(&self) -> &str {
        &self.expression
    }

    /// Returns how long to wait from now until the next run, if there is one.
    pub fn until_next(&self) -> Option<std::time::Duration> {
        let next = self.schedule.upcoming(chrono::Local).next()?;
        (next - chrono::Local::now()).to_std().ok()
    }

    /// Runs `job` at every occurrence, forever (until the future is dropped).
    pub async fn run<F, Fut>(&self, mut job: F)
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = ()>,
    {
        while let Some(wait) = self.until_next() {
            tracing::info!(cron = %self.expression, in_seconds = wait.as_secs(), "next scheduled re-index");
            tokio::time::sleep(wait).await;
            job().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nightly_expression_parses_and_fires_within_a_day() {
        let schedule = CronSchedule::parse("0 0 2 * * *").expect("valid");
        let wait = schedule.until_next().expect("a next run");
        assert!(wait <= std::time::Duration::from_secs(24 * 3600 + 3600));
    }

    #[test]
    fn a_bad_expression_names_the_variable() {
        let error = CronSchedule::parse("every night").expect_err("invalid");
        assert!(error.to_string().contains("PSTRAL_REINDEX_CRON"));
    }
}
