//! `pstral bench overhead`: the time one question spends outside the model — retrieval (with the question's
//! embedding), prompt, guard, dry-run — on the synthetic catalog, its tables created empty in a SQLite warehouse so
//! the dry-run is real. The SQL a model would write is stood in by a grouping query on the question's table.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use indexer::catalog::{Catalog, Engine};
use indexer::index::{BuildInput, SchemaIndex};
use indexer::source::explain::DryRun;
use indexer::source::{Warehouse, WarehouseLimits, WarehouseUrl};
use schemas::ChatMode;
use sqlx::Connection;

use super::bench::{memory_kib, percentile};
use super::synthetic;
use crate::answer::prompt;
use crate::config::BenchIndexArgs;
use crate::guard::{self, Dialect, GuardPolicy};
use crate::indexing::load_embedder_or_warn;

/// Runs the benchmark and prints p50/p95 per step and in total.
pub async fn run(args: BenchIndexArgs) -> anyhow::Result<()> {
    let embedder = load_embedder_or_warn(&args.index).await;
    let directory = tempfile::TempDir::new()?;
    let mut catalog = synthetic::catalog(args.tables, args.columns);
    for table in &mut catalog.tables {
        table.schema = None;
        for key in &mut table.foreign_keys {
            key.referenced_schema = None;
        }
    }
    catalog.engine = Some(Engine::Sqlite);
    let questions = synthetic::questions(&catalog, args.queries);
    let warehouse_file = directory.path().join("warehouse.sqlite");
    let started = Instant::now();
    create_tables(&warehouse_file, &catalog).await?;
    println!("warehouse: {} empty tables created in {:.1} s", catalog.tables.len(), started.elapsed().as_secs_f64());
    let warehouse = Warehouse::open(&WarehouseUrl::sqlite(&warehouse_file), WarehouseLimits::default())?;
    let first_columns: Vec<(String, String)> = catalog
        .tables
        .iter()
        .map(|table| (table.name.clone(), table.columns.get(2).map(|column| column.name.clone()).unwrap_or_default()))
        .collect();
    let index_dir = directory.path().join("index");
    let index = tokio::task::spawn_blocking(move || -> anyhow::Result<SchemaIndex> {
        let index = SchemaIndex::open(&index_dir, embedder)?;
        index.rebuild(&BuildInput { catalog, ..BuildInput::default() }, &|_| {})?;
        Ok(index)
    })
    .await??;
    let index = Arc::new(index);
    let catalog = index.catalog().context("the index serves")?;
    let started = Instant::now();
    let policy = GuardPolicy::new(Dialect::Sqlite).with_catalog(&catalog);
    let policy_build = started.elapsed();
    let options = args.index.retrieve_options();
    let mut steps: [Vec<Duration>; 5] = Default::default();
    for (question, table) in &questions {
        let column = first_columns.iter().find(|(name, _)| name == table).map(|(_, column)| column.as_str());
        let sql = format!("SELECT \"{0}\", COUNT(*) AS N FROM \"{table}\" GROUP BY \"{0}\"", column.unwrap_or("*"));
        let total = Instant::now();
        let started = Instant::now();
        let retrieval = {
            let (index, question) = (Arc::clone(&index), question.clone());
            tokio::task::spawn_blocking(move || index.retrieve(&question, &options)).await??
        };
        steps[0].push(started.elapsed());
        let started = Instant::now();
        let messages = prompt::build(ChatMode::Sql, Dialect::Sqlite, &retrieval, &[], question);
        steps[1].push(started.elapsed());
        let started = Instant::now();
        let verdict = guard::check(&sql, &policy);
        steps[2].push(started.elapsed());
        anyhow::ensure!(verdict.allowed, "the stand-in query was refused: {}", verdict.message);
        let started = Instant::now();
        let checked = verdict.checked().context("an allowed verdict carries its checked statement")?;
        let plan = crate::warehouse::explain(&warehouse, checked).await?;
        steps[3].push(started.elapsed());
        anyhow::ensure!(matches!(plan, DryRun::Plan(_)), "the dry-run failed: {plan:?}");
        steps[4].push(total.elapsed());
        std::hint::black_box(messages);
    }
    for durations in &mut steps {
        durations.sort();
    }
    let show = |durations: &[Duration]| {
        format!(
            "p50 {:.2} ms p95 {:.2} ms",
            percentile(durations, 50).as_secs_f64() * 1000.0,
            percentile(durations, 95).as_secs_f64() * 1000.0
        )
    };
    println!(
        "steps: retrieve {}; prompt {}; guard {}; dry-run {}; guard policy built once per index in {:.1} ms",
        show(&steps[0]),
        show(&steps[1]),
        show(&steps[2]),
        show(&steps[3]),
        policy_build.as_secs_f64() * 1000.0
    );
    println!(
        "bench overhead: {} tables, {} questions, outside the LLM {}, RSS {} MB",
        args.tables,
        questions.len(),
        show(&steps[4]),
        memory_kib().0 / 1024
    );
    Ok(())
}

/// Creates the catalog's tables, empty, in a new SQLite file.
async fn create_tables(path: &std::path::Path, catalog: &Catalog) -> anyhow::Result<()> {
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let mut connection = sqlx::SqliteConnection::connect(&url).await?;
    let mut transaction = connection.begin().await?;
    for table in &catalog.tables {
        let mut columns: Vec<String> =
            table.columns.iter().map(|column| format!("\"{}\" {}", column.name, column.data_type)).collect();
        if !table.primary_key.is_empty() {
            columns.push(format!("PRIMARY KEY (\"{}\")", table.primary_key.join("\", \"")));
        }
        for key in &table.foreign_keys {
            columns.push(format!(
                "FOREIGN KEY (\"{}\") REFERENCES \"{}\" (\"{}\")",
                key.columns.join("\", \""),
                key.referenced_table,
                key.referenced_columns.join("\", \"")
            ));
        }
        let ddl = format!("CREATE TABLE \"{}\" ({})", table.name, columns.join(", "));
        sqlx::query(sqlx::AssertSqlSafe(ddl)).execute(&mut *transaction).await?;
    }
    transaction.commit().await?;
    connection.close().await?;
    Ok(())
}
