//! `pstral eval`: measures retrieval, and with `--llm URL` execution accuracy, on a dataset in Spider's layout.
//! For each question, the database is introspected and indexed (once per database), the question retrieved within
//! the prompt budget, and scored: table recall is 1 when every table of the gold SQL (parsed with sqlparser) is
//! among the retrieved ones. A vector-only top-k baseline runs in the same pass. With a model, the agent loop runs
//! with retrieval and with the full schema (`--baseline full-schema`), see [`super::execution`].

use std::collections::{BTreeMap, BTreeSet};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use indexer::catalog::Overrides;
use indexer::index::{RetrieveOptions, SchemaIndex, Strategy};
use indexer::pipeline::{ReindexOptions, collect};
use indexer::source::{Warehouse, WarehouseLimits, WarehouseUrl};
use serde::{Deserialize, Serialize};

use super::execution::{self, Attempt, ExecutionSummary};
use crate::config::EvalArgs;
use crate::indexing::load_embedder_or_warn;
use crate::llm::LlmClient;

#[derive(Debug, Deserialize)]
struct Example {
    db_id: String,
    question: String,
    query: String,
}

/// One question's outcome.
#[derive(Debug, Serialize)]
struct Record {
    position: usize,
    db_id: String,
    question: String,
    gold_tables: Vec<String>,
    retrieved_tables: Vec<String>,
    /// Why each retrieved table was kept (keyword and meaning ranks, linked values, join paths), in the same order.
    retrieved_reasons: Vec<Vec<String>>,
    table_recall: bool,
    /// Tables of other databases (`--distractors`) in the prompt.
    distractors_shown: usize,
    schema_tokens: usize,
    baseline_tables: Vec<String>,
    baseline_recall: bool,
    baseline_schema_tokens: usize,
    retrieval_ms: f64,
    /// With a model: the agent (retrieval) and the full-schema baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    agent: Option<Attempt>,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_schema: Option<Attempt>,
}

/// Execution accuracy of both strategies.
#[derive(Debug, Serialize)]
struct Execution {
    model: String,
    llm: String,
    agent: ExecutionSummary,
    full_schema: ExecutionSummary,
    /// Questions whose gold query failed or returned more than the row cap (not scored).
    gold_failed: usize,
}

/// Aggregates of one strategy.
#[derive(Debug, Serialize)]
struct Summary {
    table_recall: f64,
    schema_tokens_median: usize,
    schema_tokens_mean: f64,
}

#[derive(Debug, Serialize)]
struct Report {
    dataset: String,
    questions: usize,
    skipped: usize,
    skipped_reasons: BTreeMap<String, usize>,
    strategy: String,
    budget_tokens: usize,
    embeddings: bool,
    table_recall: f64,
    /// Mean number of distractor tables in a prompt (`--distractors`).
    distractors_per_prompt: f64,
    schema_tokens_median: usize,
    schema_tokens_mean: f64,
    baseline: Summary,
    retrieval_ms_p50: f64,
    retrieval_ms_p95: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    execution: Option<Execution>,
    records: Vec<Record>,
}

/// Runs the evaluation and prints its summary; the last line sums it up. A question set (`--questions`,
/// `--demo`) goes through the service's answer path ([`super::product`]); a Spider dataset is measured here.
pub async fn run(args: EvalArgs) -> anyhow::Result<()> {
    match args.dataset.clone() {
        Some(dataset) => run_spider(args, dataset).await,
        None => super::product::run(args).await,
    }
}

async fn run_spider(args: EvalArgs, dataset: PathBuf) -> anyhow::Result<()> {
    let llm = match args.llm.as_str() {
        "none" => None,
        url => {
            let client = LlmClient::new(url, &args.model)?;
            client.probe(std::time::Duration::from_secs(5)).await.with_context(|| format!("--llm {url}"))?;
            Some(client)
        }
    };
    let dev_path = dataset.join("dev.json");
    let examples: Vec<Example> = serde_json::from_slice(
        &std::fs::read(&dev_path).with_context(|| format!("failed to read {}", dev_path.display()))?,
    )
    .with_context(|| format!("{} is not a Spider dev.json", dev_path.display()))?;
    let positions = select(&args, examples.len())?;
    let embedder = load_embedder_or_warn(&args.index).await;
    let cache = match &args.cache_dir {
        Some(dir) => tempfile::TempDir::new_in(dir)?,
        None => tempfile::TempDir::new()?,
    };
    let mut by_database: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for &position in &positions {
        by_database.entry(examples[position].db_id.as_str()).or_default().push(position);
    }
    let others = if args.distractors > 0 { all_catalogs(&dataset).await? } else { Vec::new() };
    let hybrid = args.index.retrieve_options();
    let baseline = RetrieveOptions { strategy: Strategy::VectorOnly, ..hybrid };
    let mut records = Vec::new();
    // Which strategy meets the server's prompt cache warm alternates with each scored question, so each goes first
    // exactly as often (by dataset position it would not: the sample's positions are not half odd).
    let mut scored_so_far = 0usize;
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    for (database, questions) in by_database {
        let file = dataset.join("database").join(database).join(format!("{database}.sqlite"));
        if !file.is_file() {
            *skipped.entry(format!("database {database} missing")).or_default() += questions.len();
            continue;
        }
        let extra = distractors(&others, database, args.distractors);
        let extra_names: BTreeSet<String> = extra.iter().map(|table| table.name.to_uppercase()).collect();
        let (index, warehouse) = index_database(&file, &cache.path().join(database), embedder.clone(), extra).await?;
        for position in questions {
            let example = &examples[position];
            let Some(gold_tables) = gold_tables(&example.query) else {
                *skipped.entry("gold sql unparsable".to_owned()).or_default() += 1;
                continue;
            };
            let scored = match &llm {
                None => None,
                Some(llm) => {
                    let Some(gold) = execution::gold_result(&warehouse, &example.query).await else {
                        *skipped.entry("gold sql fails or is too large".to_owned()).or_default() += 1;
                        continue;
                    };
                    let ordered = gold_is_ordered(&example.query);
                    let agent_first = scored_so_far.is_multiple_of(2);
                    scored_so_far += 1;
                    let scored = execution::score_question(
                        agent_first,
                        llm,
                        &index,
                        &warehouse,
                        &example.question,
                        &Some(gold),
                        ordered,
                        hybrid,
                    )
                    .await;
                    eprintln!(
                        "#{position} {}: agent {} ({:.1} s), full schema {} ({:.1} s)",
                        example.db_id,
                        if scored.0.correct { "right" } else { "wrong" },
                        scored.0.seconds,
                        if scored.1.correct { "right" } else { "wrong" },
                        scored.1.seconds
                    );
                    Some(scored)
                }
            };
            let index = Arc::clone(&index);
            let question = example.question.clone();
            let started = Instant::now();
            let (ours, theirs) = tokio::task::spawn_blocking(move || {
                Ok::<_, indexer::IndexerError>((
                    index.retrieve(&question, &hybrid)?,
                    index.retrieve(&question, &baseline)?,
                ))
            })
            .await??;
            let retrieval_ms = started.elapsed().as_secs_f64() * 1000.0;
            let names = |tables: &[indexer::index::RetrievedTable]| -> Vec<String> {
                tables.iter().map(|table| table.name.to_uppercase()).collect()
            };
            let retrieved_tables = names(&ours.tables);
            let baseline_tables = names(&theirs.tables);
            records.push(Record {
                position,
                db_id: example.db_id.clone(),
                question: example.question.clone(),
                table_recall: gold_tables.iter().all(|table| retrieved_tables.contains(table)),
                distractors_shown: retrieved_tables.iter().filter(|table| extra_names.contains(*table)).count(),
                baseline_recall: gold_tables.iter().all(|table| baseline_tables.contains(table)),
                gold_tables: gold_tables.into_iter().collect(),
                retrieved_reasons: ours.tables.iter().map(|table| table.reasons.clone()).collect(),
                retrieved_tables,
                schema_tokens: ours.schema_tokens,
                baseline_tables,
                baseline_schema_tokens: theirs.schema_tokens,
                retrieval_ms,
                agent: scored.as_ref().map(|(agent, _)| agent.clone()),
                full_schema: scored.map(|(_, full)| full),
            });
        }
    }
    let mut report = summarise(&args, &dataset, records, skipped, embedder.is_some());
    if llm.is_some() {
        let agent: Vec<&Attempt> = report.records.iter().filter_map(|record| record.agent.as_ref()).collect();
        let full: Vec<&Attempt> = report.records.iter().filter_map(|record| record.full_schema.as_ref()).collect();
        report.execution = Some(Execution {
            model: args.model.clone(),
            llm: args.llm.clone(),
            agent: execution::summarise(&agent),
            full_schema: execution::summarise(&full),
            gold_failed: report.skipped_reasons.get("gold sql fails or is too large").copied().unwrap_or_default(),
        });
    }
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_vec_pretty(&report)?)
            .with_context(|| format!("failed to write {}", path.display()))?;
    }
    println!(
        "skipped: {} ({:?}); retrieval p50 {:.1} ms, p95 {:.1} ms",
        report.skipped, report.skipped_reasons, report.retrieval_ms_p50, report.retrieval_ms_p95
    );
    println!(
        "eval: {} questions, table recall {:.3} (vector-only top-{} {:.3}), distractor tables per prompt {:.2}, schema tokens median {} mean {:.0} (vector-only median {} mean {:.0}), embeddings {}",
        report.questions,
        report.table_recall,
        RetrieveOptions::default().max_tables,
        report.baseline.table_recall,
        report.distractors_per_prompt,
        report.schema_tokens_median,
        report.schema_tokens_mean,
        report.baseline.schema_tokens_median,
        report.baseline.schema_tokens_mean,
        if report.embeddings { "on" } else { "off" }
    );
    if let Some(execution) = &report.execution {
        println!(
            "eval: {} questions with {}: execution accuracy agent {:.3} vs full schema {:.3}; prompt tokens mean {:.0} vs {:.0}; seconds per question median {:.1} vs {:.1} (mean {:.1} vs {:.1}); repairs used {:?}",
            report.questions,
            execution.model,
            execution.agent.execution_accuracy,
            execution.full_schema.execution_accuracy,
            execution.agent.prompt_tokens_mean,
            execution.full_schema.prompt_tokens_mean,
            execution.agent.seconds_median,
            execution.full_schema.seconds_median,
            execution.agent.seconds_mean,
            execution.full_schema.seconds_mean,
            execution.agent.repairs
        );
    }
    Ok(())
}

/// Returns the question positions to evaluate: `--ids`, else all; then the first `--limit`.
fn select(args: &EvalArgs, available: usize) -> anyhow::Result<Vec<usize>> {
    let mut positions: Vec<usize> = match &args.ids {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("failed to read {}", path.display()))?
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(|line| line.parse::<usize>().with_context(|| format!("`{line}` in --ids is not a question position")))
            .collect::<anyhow::Result<_>>()?,
        None => (0..available).collect(),
    };
    if let Some(bad) = positions.iter().find(|&&position| position >= available) {
        anyhow::bail!("question position {bad} is out of range (dev.json has {available})");
    }
    if let Some(limit) = args.limit {
        positions.truncate(limit);
    }
    Ok(positions)
}

async fn index_database(
    file: &Path,
    dir: &Path,
    embedder: Option<Arc<indexer::embed::Embedder>>,
    extra: Vec<indexer::catalog::Table>,
) -> anyhow::Result<(Arc<SchemaIndex>, Warehouse)> {
    let warehouse = Warehouse::open(&WarehouseUrl::sqlite(file), WarehouseLimits::default())?;
    let mut input = collect(&warehouse, &Overrides::default(), &ReindexOptions::default(), &|_| {}).await?;
    for table in extra {
        if input.catalog.table(None, &table.name).is_none() {
            input.catalog.tables.push(table);
        }
    }
    let dir = dir.to_path_buf();
    let index = tokio::task::spawn_blocking(move || -> anyhow::Result<SchemaIndex> {
        let index = SchemaIndex::open(&dir, embedder)?;
        index.rebuild(&input, &|_| {})?;
        Ok(index)
    })
    .await??;
    Ok((Arc::new(index), warehouse))
}

/// Every database of the dataset with its catalog (sampled values included), by name.
async fn all_catalogs(dataset: &Path) -> anyhow::Result<Vec<(String, indexer::catalog::Catalog)>> {
    let mut names: Vec<String> = std::fs::read_dir(dataset.join("database"))?
        .filter_map(|entry| entry.ok().map(|entry| entry.file_name().to_string_lossy().to_string()))
        .collect();
    names.sort();
    let mut catalogs = Vec::new();
    for name in names {
        let file = dataset.join("database").join(&name).join(format!("{name}.sqlite"));
        if !file.is_file() {
            continue;
        }
        let warehouse = Warehouse::open(&WarehouseUrl::sqlite(&file), WarehouseLimits::default())?;
        let input = collect(&warehouse, &Overrides::default(), &ReindexOptions::default(), &|_| {}).await?;
        catalogs.push((name, input.catalog));
    }
    Ok(catalogs)
}

/// `count` tables of the databases other than `database`, taken in turn from each (the same ones every run).
fn distractors(
    others: &[(String, indexer::catalog::Catalog)],
    database: &str,
    count: usize,
) -> Vec<indexer::catalog::Table> {
    let pools: Vec<&[indexer::catalog::Table]> =
        others.iter().filter(|(name, _)| name != database).map(|(_, catalog)| catalog.tables.as_slice()).collect();
    let mut picked = Vec::new();
    for round in 0.. {
        let mut any = false;
        for pool in &pools {
            if let Some(table) = pool.get(round) {
                any = true;
                if picked.len() < count && !picked.iter().any(|t: &indexer::catalog::Table| t.name == table.name) {
                    picked.push(table.clone());
                }
            }
        }
        if !any || picked.len() >= count {
            break;
        }
    }
    picked
}

/// Returns whether the gold query's outermost query sorts its rows (then the row order is compared too).
pub fn gold_is_ordered(sql: &str) -> bool {
    let parsed = sqlparser::parser::Parser::parse_sql(&sqlparser::dialect::SQLiteDialect {}, sql);
    match parsed.as_deref() {
        Ok([sqlparser::ast::Statement::Query(query)]) => query.order_by.is_some(),
        _ => sql.to_uppercase().contains("ORDER BY"),
    }
}

/// Returns the upper-cased names of the tables a query reads, or `None` when sqlparser cannot parse it.
pub(crate) fn gold_tables(sql: &str) -> Option<BTreeSet<String>> {
    let statements = sqlparser::parser::Parser::parse_sql(&sqlparser::dialect::SQLiteDialect {}, sql)
        .or_else(|_| sqlparser::parser::Parser::parse_sql(&sqlparser::dialect::GenericDialect {}, sql))
        .ok()?;
    let mut tables = BTreeSet::new();
    let _flow: ControlFlow<()> = sqlparser::ast::visit_relations(&statements, |name| {
        if let Some(last) = name.0.last().and_then(|part| part.as_ident()) {
            tables.insert(last.value.to_uppercase());
        }
        ControlFlow::Continue(())
    });
    Some(tables)
}

fn summarise(
    args: &EvalArgs,
    dataset: &Path,
    records: Vec<Record>,
    skipped: BTreeMap<String, usize>,
    embeddings: bool,
) -> Report {
    let summary = |recall: &dyn Fn(&Record) -> bool, tokens: &dyn Fn(&Record) -> usize| {
        let mut all: Vec<usize> = records.iter().map(tokens).collect();
        all.sort_unstable();
        Summary {
            table_recall: ratio(records.iter().filter(|record| recall(record)).count(), records.len()),
            schema_tokens_median: all.get(all.len() / 2).copied().unwrap_or_default(),
            schema_tokens_mean: ratio(all.iter().sum(), all.len()),
        }
    };
    let ours = summary(&|record| record.table_recall, &|record| record.schema_tokens);
    let baseline = summary(&|record| record.baseline_recall, &|record| record.baseline_schema_tokens);
    let mut latencies: Vec<f64> = records.iter().map(|record| record.retrieval_ms).collect();
    latencies.sort_by(f64::total_cmp);
    let at = |percent: usize| {
        latencies
            .get((latencies.len() * percent / 100).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Report {
        dataset: dataset.display().to_string(),
        questions: records.len(),
        skipped: skipped.values().sum(),
        skipped_reasons: skipped,
        strategy: "hybrid".to_owned(),
        budget_tokens: args.index.schema_budget_tokens,
        embeddings,
        table_recall: ours.table_recall,
        distractors_per_prompt: ratio(records.iter().map(|record| record.distractors_shown).sum(), records.len()),
        schema_tokens_median: ours.schema_tokens_median,
        schema_tokens_mean: ours.schema_tokens_mean,
        baseline,
        retrieval_ms_p50: at(50),
        retrieval_ms_p95: at(95),
        execution: None,
        records,
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 / whole as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_tables_come_from_every_from_and_join() {
        let tables = gold_tables(
            "SELECT T1.name FROM singer AS T1 JOIN singer_in_concert AS T2 ON T1.singer_id = T2.singer_id \
             WHERE T2.concert_id IN (SELECT concert_id FROM concert WHERE year = 2014)",
        )
        .expect("parses");
        assert_eq!(tables.into_iter().collect::<Vec<_>>(), ["CONCERT", "SINGER", "SINGER_IN_CONCERT"]);
        assert!(gold_tables("SELEC nonsense FROM").is_none());
    }
}
