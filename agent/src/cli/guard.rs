//! `pstral guard --dialect D --jsonl FILE [--warehouse URL]`: the guard on a file of statements, for audits and
//! comparisons. With `--warehouse`, the statements are checked against that warehouse's catalog, read from its data
//! dictionary as the indexer reads it; without it, table existence is not checked and every other rule applies.

use std::io::{BufRead, Write};

use anyhow::Context;
use serde::{Deserialize, Serialize};

use indexer::catalog::Overrides;
use indexer::pipeline::{ReindexOptions, collect};
use indexer::source::{Warehouse, WarehouseLimits, WarehouseUrl};

use crate::config::GuardArgs;
use crate::guard::{self, Dialect, GuardPolicy};

#[derive(Debug, Deserialize)]
struct Input {
    sql: String,
}

#[derive(Debug, Serialize)]
struct Output<'a> {
    allowed: bool,
    rule: &'a str,
    message: &'a str,
}

/// Reads statements line by line and prints one verdict per line; the last line (stderr) counts them.
pub async fn run(args: &GuardArgs) -> anyhow::Result<()> {
    let policy = policy(args).await?;
    let reader: Box<dyn BufRead> = if args.jsonl.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file =
            std::fs::File::open(&args.jsonl).with_context(|| format!("failed to open {}", args.jsonl.display()))?;
        Box::new(std::io::BufReader::new(file))
    };
    let mut stdout = std::io::stdout().lock();
    let (mut allowed, mut refused) = (0usize, 0usize);
    for (number, line) in reader.lines().enumerate() {
        let line = line.context("failed to read a line")?;
        if line.trim().is_empty() {
            continue;
        }
        let input: Input =
            serde_json::from_str(&line).with_context(|| format!("line {}: expected {{\"sql\": \"…\"}}", number + 1))?;
        let verdict = guard::check(&input.sql, &policy);
        if verdict.allowed {
            allowed += 1;
        } else {
            refused += 1;
        }
        let output = Output { allowed: verdict.allowed, rule: verdict.rule.as_str(), message: &verdict.message };
        writeln!(stdout, "{}", serde_json::to_string(&output)?)?;
    }
    eprintln!("guard: {allowed} allowed, {refused} refused");
    Ok(())
}

/// The policy: `--dialect`'s rules, and with `--warehouse` its catalog's tables (and its dialect by default).
async fn policy(args: &GuardArgs) -> anyhow::Result<GuardPolicy> {
    let Some(url) = &args.warehouse else {
        return Ok(GuardPolicy::new(args.dialect.unwrap_or(Dialect::Oracle)));
    };
    let url = WarehouseUrl::parse(url).context("--warehouse")?;
    let warehouse = Warehouse::open(&url, WarehouseLimits::default())
        .with_context(|| format!("--warehouse {}: cannot open it", url.redacted()))?;
    let input = collect(&warehouse, &Overrides::default(), &ReindexOptions::default(), &|_| {})
        .await
        .with_context(|| format!("--warehouse {}: cannot read its catalog", url.redacted()))?;
    let dialect = args.dialect.or(input.catalog.engine.map(Dialect::from)).unwrap_or(Dialect::Oracle);
    eprintln!("guard: {} tables known from {}", input.catalog.tables.len(), url.redacted());
    Ok(GuardPolicy::new(dialect).with_catalog(&input.catalog))
}

#[cfg(test)]
mod tests {
    use sqlx::Connection;

    use super::*;

    fn args(warehouse: Option<String>) -> GuardArgs {
        GuardArgs { dialect: None, jsonl: "-".into(), warehouse }
    }

    #[tokio::test]
    async fn with_a_warehouse_its_tables_are_the_only_ones_allowed() {
        let directory = tempfile::TempDir::new().expect("a temporary folder");
        let file = directory.path().join("warehouse.sqlite");
        let mut connection =
            sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=rwc", file.display())).await.expect("opens");
        sqlx::query("CREATE TABLE clients (id INTEGER PRIMARY KEY, ville TEXT)")
            .execute(&mut connection)
            .await
            .expect("creates");
        connection.close().await.expect("closes");
        let known = policy(&args(Some(format!("sqlite://{}", file.display())))).await.expect("a policy");
        assert_eq!(known.dialect, Dialect::Sqlite, "the warehouse's dialect by default");
        assert!(guard::check("SELECT ville FROM clients", &known).allowed);
        let verdict = guard::check("SELECT * FROM salaries", &known);
        assert_eq!((verdict.allowed, verdict.rule.as_str()), (false, "unknown_table"), "{}", verdict.message);
        // Without a warehouse, table existence is not checked.
        let unchecked = policy(&args(None)).await.expect("a policy");
        assert!(guard::check("SELECT * FROM salaries", &unchecked).allowed);
        assert_eq!(unchecked.dialect, Dialect::Oracle);
        let missing = directory.path().join("missing").join("none.sqlite");
        let error = policy(&args(Some(format!("sqlite://{}", missing.display())))).await.expect_err("no warehouse");
        assert!(format!("{error:#}").contains("--warehouse"), "{error:#}");
    }
}
