//! `pstral eval --demo` / `--questions`: the product benchmark. The real service is started in this process on
//! loopback, exactly as `pstral serve` builds it (store, index of the warehouse's dictionary, sampled values and
//! internal documents, with the curations and verified pairs its store holds: none in a fresh data folder), and
//! each question is asked through `POST /api/v1/chat` as the console asks it: retrieval, prompt, model, guard,
//! dry-run, repairs, run. Each answer is scored by execution against the question's gold query on the same
//! warehouse ([`super::execution`]).
//!
//! The first question of a run meets a model server whose prompt cache holds nothing of Pstral's (cold); the
//! others are warm. Token counts are the server's: prompt tokens sent, and, when the server says how many it took
//! from its cache (OpenAI-compatible servers such as llama.cpp and vLLM), the ones it had to evaluate.

mod oracle_check;
mod report;
pub mod set;
mod target;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use futures_util::StreamExt;
use indexer::catalog::Engine;
use indexer::source::{Warehouse, WarehouseKind, WarehouseLimits, WarehouseUrl};
use schemas::ChatEvent;

use self::report::{Record, Report};
use self::set::Question;
use super::execution::{self, Rows};
use crate::config::{Cli, EvalArgs};
use crate::guard::Dialect;
use crate::startup::Application;

const PASSWORD: &str = "mot de passe du banc de mesure";

/// Runs the question set and prints the figures; the last line sums them up.
pub async fn run(args: EvalArgs) -> anyhow::Result<()> {
    let files = if args.demo { set::demo_files(&repository_root(), args.split) } else { args.questions.clone() };
    let mut questions = set::load(&files)?;
    if let Some(limit) = args.limit {
        questions.truncate(limit);
    }
    anyhow::ensure!(args.llm != "none", "the product benchmark needs a model: --llm http://127.0.0.1:11434");
    let temporary = tempfile::TempDir::new()?;
    let data_dir = args.data_dir.clone().unwrap_or_else(|| temporary.path().to_path_buf());
    std::fs::create_dir_all(&data_dir).with_context(|| format!("failed to create {}", data_dir.display()))?;
    let target = target::prepare(&args, &data_dir).await?;
    let outcome = measure(&args, &questions, &target, &data_dir).await;
    let finished = target.finish().await;
    let report = outcome?;
    finished?;
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_vec_pretty(&report)?)
            .with_context(|| format!("failed to write {}", path.display()))?;
    }
    report.print();
    Ok(())
}

/// Starts the service on the target, asks every question, and scores the answers.
async fn measure(
    args: &EvalArgs,
    questions: &[Question],
    target: &target::Target,
    data_dir: &std::path::Path,
) -> anyhow::Result<Report> {
    let mut config = Cli::try_parse_from(["pstral"])?.serve;
    config.bind = "127.0.0.1:0".parse()?;
    config.data_dir = data_dir.to_path_buf();
    config.warehouse_url = target.warehouse_url.clone().map(Into::into);
    config.index = args.index.clone();
    config.index.reindex_cron = String::new();
    config.index.docs_dir = target.docs_dir.clone();
    config.index.warehouse_schemas = target.schemas.clone();
    config.auth.admin_password = Some(PASSWORD.to_owned().into());
    config.agent.sql_dialect = target.dialect;
    config.ollama_model = args.model.clone();
    if args.llm.starts_with("ollama=") || args.llm.starts_with("openai=") {
        config.llm_backends = vec![args.llm.clone()];
    } else {
        config.ollama_url = Some(args.llm.clone());
    }
    let application = Application::build(config).await?;
    let base = format!("http://127.0.0.1:{}", application.port());
    let server = tokio::spawn(application.run_until_stopped(std::future::pending()));
    let outcome = ask_all(args, questions, target, data_dir, &base).await;
    server.abort();
    outcome
}

async fn ask_all(
    args: &EvalArgs,
    questions: &[Question],
    target: &target::Target,
    data_dir: &std::path::Path,
    base: &str,
) -> anyhow::Result<Report> {
    let client = reqwest::Client::new();
    super::load::wait_until_indexed(&client, base).await?;
    // The service warms the model only when the prompt has a stable schema to warm it with.
    if args.index.stable_schema_tokens > 0 {
        wait_until_warm(&client, base).await?;
    }
    let token = super::load::login(&client, base, "admin", PASSWORD).await?;
    let warehouse_url = match &target.warehouse_url {
        Some(url) => WarehouseUrl::parse(url)?,
        None => WarehouseUrl::sqlite(&data_dir.join("demo").join("warehouse.sqlite")),
    };
    let engine = match warehouse_url.kind() {
        WarehouseKind::Oracle => Engine::Oracle,
        WarehouseKind::Postgres => Engine::Postgres,
        WarehouseKind::Sqlite => Engine::Sqlite,
    };
    let warehouse = Warehouse::open(&warehouse_url, WarehouseLimits::default())?;
    let dialect = target.dialect.unwrap_or(Dialect::from(engine));
    eprintln!(
        "{}: {} questions, dialect {dialect:?}, model {} at {}",
        target.description,
        questions.len(),
        args.model,
        args.llm
    );
    let mut records = Vec::with_capacity(questions.len());
    for (position, question) in questions.iter().enumerate() {
        let gold_sql = question.gold_for(engine);
        let gold = execution::gold_result(&warehouse, gold_sql).await;
        let answer = ask(&client, base, &token, &question.question).await;
        let correct = match (&gold, &answer.rows) {
            (Some(gold), Some(rows)) => execution::same_result(gold, rows, super::eval::gold_is_ordered(gold_sql)),
            _ => false,
        };
        let record = Record::new(question, position == 0, gold.is_some(), correct, answer, dialect);
        eprintln!(
            "{} {} {:.1} s{}",
            question.id,
            if record.correct { "right" } else { "wrong" },
            record.seconds,
            record.error_code.as_deref().map(|code| format!(" ({code})")).unwrap_or_default()
        );
        records.push(record);
    }
    Ok(Report::new(target.description.clone(), dialect, args, records))
}

/// Waits until the service has warmed the model with the new build's stable prompt part, as it does after every
/// publish, so the first question is the first after a re-index on a warmed model; says how long it took.
async fn wait_until_warm(client: &reqwest::Client, base: &str) -> anyhow::Result<()> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(1_800) {
        let report: schemas::HealthResponse = client.get(format!("{base}/api/v1/health")).send().await?.json().await?;
        let message = report.dependency("llm").and_then(|llm| llm.message.clone()).unwrap_or_default();
        if message.contains("warm: holds") || message.contains("the last warm-up failed") {
            eprintln!("warm-up after the index build: {:.1} s ({message})", started.elapsed().as_secs_f64());
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    anyhow::bail!("the model was not warmed within 30 minutes")
}

/// What one question's answer stream held.
#[derive(Debug, Default)]
pub(crate) struct Answer {
    pub(crate) sql: Option<String>,
    pub(crate) rows: Option<Rows>,
    pub(crate) truncated: bool,
    pub(crate) retrieved_tables: Vec<String>,
    pub(crate) documents: Vec<String>,
    pub(crate) vocabulary: Vec<String>,
    pub(crate) repairs: usize,
    pub(crate) error_code: Option<String>,
    pub(crate) error_message: Option<String>,
    pub(crate) prompt_tokens: u64,
    pub(crate) prompt_evaluated_tokens: Option<u64>,
    pub(crate) completion_tokens: u64,
    pub(crate) model_calls: u32,
    pub(crate) seconds: f64,
}

/// Asks one question through `POST /api/v1/chat` and reads its event stream to the end.
async fn ask(client: &reqwest::Client, base: &str, token: &str, question: &str) -> Answer {
    let started = Instant::now();
    let mut answer = Answer::default();
    let body = serde_json::json!({"question": question});
    let response = client
        .post(format!("{base}/api/v1/chat"))
        .bearer_auth(token)
        .timeout(Duration::from_secs(1_800))
        .json(&body)
        .send()
        .await;
    match response {
        Ok(response) if response.status().is_success() => {
            let mut stream = response.bytes_stream();
            let mut buffer = String::new();
            while let Some(Ok(chunk)) = stream.next().await {
                buffer.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buffer.find('\n') {
                    let line: String = buffer.drain(..=end).collect();
                    if let Some(event) =
                        line.trim().strip_prefix("data:").and_then(|data| serde_json::from_str(data.trim()).ok())
                    {
                        apply(&mut answer, event);
                    }
                }
            }
        }
        Ok(response) => {
            answer.error_code = Some(format!("http_{}", response.status().as_u16()));
            answer.error_message = response.text().await.ok();
        }
        Err(error) => {
            answer.error_code = Some("http".to_owned());
            answer.error_message = Some(error.to_string());
        }
    }
    if answer.error_code.is_none() && answer.rows.is_none() {
        answer.error_code = Some("no_result".to_owned());
    }
    answer.seconds = started.elapsed().as_secs_f64();
    answer
}

fn apply(answer: &mut Answer, event: ChatEvent) {
    match event {
        ChatEvent::Retrieved { tables, documents, vocabulary, .. } => {
            answer.retrieved_tables = tables.into_iter().map(|table| table.name.to_uppercase()).collect();
            answer.documents = documents;
            answer.vocabulary = vocabulary;
        }
        ChatEvent::Sql { sql, .. } => answer.sql = Some(sql),
        ChatEvent::Repair { attempt, .. } => answer.repairs = attempt,
        ChatEvent::Rows { columns, truncated, .. } => {
            answer.rows = Some(execution::normalise(&columns));
            answer.truncated = truncated;
        }
        ChatEvent::Error { code, message, prompt_tokens, completion_tokens, prompt_evaluated_tokens, model_calls } => {
            answer.error_code = Some(code);
            answer.error_message = Some(message);
            (answer.prompt_tokens, answer.completion_tokens) = (prompt_tokens, completion_tokens);
            (answer.prompt_evaluated_tokens, answer.model_calls) = (prompt_evaluated_tokens, model_calls);
        }
        ChatEvent::Done { prompt_tokens, completion_tokens, prompt_evaluated_tokens, model_calls, .. } => {
            (answer.prompt_tokens, answer.completion_tokens) = (prompt_tokens, completion_tokens);
            (answer.prompt_evaluated_tokens, answer.model_calls) = (prompt_evaluated_tokens, model_calls);
        }
        _ => {}
    }
}

/// The repository holding `docs/eval/demo/`: the working directory when it has it, else the one this binary was
/// built from.
fn repository_root() -> PathBuf {
    let here = PathBuf::from(".");
    if here.join("docs/eval/demo").is_dir() {
        return here;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}
