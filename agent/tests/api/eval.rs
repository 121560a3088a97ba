//! The product benchmark's plumbing (`pstral eval --questions`) with the fake model, in the three dialects, and the
//! demo question set's gold queries on the real demo in SQLite and PostgreSQL.

use std::path::PathBuf;

use agent::cli::execution::{gold_result, same_result};
use agent::cli::product::set::{self, Question};
use clap::Parser;
use indexer::source::{Warehouse, WarehouseLimits, WarehouseUrl};
use wiremock::MockServer;

use crate::helpers::{demo_warehouse, fresh_pg_database, ollama_answers, ollama_has_models};

fn pg_server_url() -> String {
    std::env::var("PSTRAL_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

#[tokio::test]
async fn the_product_benchmark_scores_answers_in_sqlite_postgres_and_the_oracle_stand_in() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let questions = dir.path().join("set.jsonl");
    // The fake model answers the contracts by branch, most first: right for the first question, wrong for the second.
    let lines = [
        r#"{"id":"q1","question":"Nombre de contrats par branche, du plus grand au plus petit","lang":"fr","level":"easy","needs_docs":false,"sql":"SELECT CD_BRANCHE, COUNT(*) FROM CONTRATS GROUP BY CD_BRANCHE ORDER BY COUNT(*) DESC"}"#,
        r#"{"id":"q2","question":"How many clients?","lang":"en","level":"easy","needs_docs":false,"sql":"SELECT COUNT(*) FROM CLIENTS"}"#,
    ];
    std::fs::write(&questions, lines.join("\n")).expect("write the set");
    for dialect in ["sqlite", "postgres", "oracle"] {
        let ollama = MockServer::start().await;
        ollama_has_models(&ollama, &["ministral-3:3b"]).await;
        ollama_answers(&ollama, "chat_branches.ndjson", 2, std::time::Duration::ZERO).await;
        let json = dir.path().join(format!("{dialect}.json"));
        let data_dir = dir.path().join(dialect);
        let cli = agent::config::Cli::try_parse_from([
            "pstral",
            "eval",
            "--questions",
            questions.to_str().expect("utf-8 path"),
            "--llm",
            &ollama.uri(),
            "--dialect",
            dialect,
            "--pg-url",
            &pg_server_url(),
            "--data-dir",
            data_dir.to_str().expect("utf-8 path"),
            "--json",
            json.to_str().expect("utf-8 path"),
            "--no-embeddings",
        ])
        .expect("valid eval arguments");
        let Some(agent::config::Command::Eval(mut args)) = cli.command else { panic!("expected eval") };
        if dialect == "sqlite" {
            args.warehouse = Some(format!("sqlite://{}", demo_warehouse().await.display()));
            args.docs = None;
        }
        agent::cli::eval::run(args).await.unwrap_or_else(|error| panic!("{dialect}: {error:#}"));
        let report: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&json).expect("the JSON report")).expect("JSON");
        assert_eq!(report["questions"], 2, "{dialect}");
        assert_eq!(report["execution_accuracy"]["right"], 1, "{dialect}: {report:#}");
        let records = report["records"].as_array().expect("records");
        assert_eq!(records[0]["correct"], true, "{dialect}: {}", records[0]);
        assert_eq!(records[1]["correct"], false, "{dialect}");
        assert_eq!(records[0]["cold"], true);
        assert_eq!(records[1]["cold"], false);
        assert_eq!(records[0]["model_calls"], 1, "one model call, no repair");
        assert_eq!(records[0]["prompt_tokens"], 790, "the server's count");
        assert_eq!(report["error_codes"]["wrong_result"], 1);
        assert_eq!(report["by_language"]["fr"]["right"], 1);
        assert_eq!(report["by_language"]["en"]["right"], 0);
        assert_eq!(report["dialect"], dialect);
        if dialect == "oracle" {
            assert_eq!(report["oracle_invalid"], serde_json::json!([0, 2]), "FETCH-free GROUP BY is valid Oracle");
        } else {
            assert!(report["oracle_invalid"].is_null());
        }
    }
    // The databases made for the PostgreSQL runs are gone.
    let admin = sqlx::PgPool::connect(&pg_server_url()).await.expect("PostgreSQL");
    let left: Vec<(String,)> = sqlx::query_as("SELECT datname FROM pg_database WHERE datname LIKE 'pstral\\_eval\\_%'")
        .fetch_all(&admin)
        .await
        .expect("list databases");
    assert!(
        !left.iter().any(|(name,)| name.ends_with(&format!("_{}", std::process::id()))),
        "the run's databases are dropped: {left:?}"
    );
}

fn demo_set() -> Vec<Question> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    set::load(&set::demo_files(&root, agent::config::EvalSplit::All)).expect("the demo set reads")
}

#[test]
fn the_demo_set_has_the_counts_it_promises() {
    let questions = demo_set();
    let count = |keep: &dyn Fn(&Question) -> bool| questions.iter().filter(|question| keep(question)).count();
    assert!(questions.len() >= 120, "{} questions", questions.len());
    assert!(count(&|question| question.lang == "fr") >= 90);
    assert!(count(&|question| question.lang == "en") >= 30);
    assert!(count(&|question| question.id.starts_with("test-")) >= 40);
    assert!(count(&|question| question.needs_docs) >= questions.len() / 2);
    let mut texts: Vec<&str> = questions.iter().map(|question| question.question.as_str()).collect();
    texts.sort_unstable();
    texts.dedup();
    assert_eq!(texts.len(), questions.len(), "a question is asked twice");
}

#[tokio::test]
async fn every_gold_query_of_the_demo_set_returns_rows_and_agrees_on_sqlite_and_postgres() {
    let sqlite = Warehouse::open(&WarehouseUrl::sqlite(&demo_warehouse().await), WarehouseLimits::default())
        .expect("the demo SQLite");
    let url = fresh_pg_database().await;
    let pool = sqlx::PgPool::connect(&url).await.expect("the fresh database");
    indexer::demo::load_postgres(&pool, "public").await.expect("the demo loads into PostgreSQL");
    pool.close().await;
    let postgres = Warehouse::open(&WarehouseUrl::parse(&url).expect("url"), WarehouseLimits::default())
        .expect("the demo on PostgreSQL");
    let mut problems = Vec::new();
    for question in demo_set() {
        let on_sqlite = gold_result(&sqlite, question.gold_for(indexer::catalog::Engine::Sqlite)).await;
        let on_postgres = gold_result(&postgres, question.gold_for(indexer::catalog::Engine::Postgres)).await;
        let ordered = agent::cli::eval::gold_is_ordered(&question.sql);
        match (on_sqlite, on_postgres) {
            (Some(lite), Some(pg)) if lite.is_empty() => {
                problems.push(format!("{}: no rows ({})", question.id, pg.len()))
            }
            (Some(lite), Some(_)) if lite.len() > 1_000 => {
                problems.push(format!("{}: {} rows", question.id, lite.len()))
            }
            (Some(lite), Some(pg)) if !same_result(&lite, &pg, ordered) => problems.push(format!(
                "{}: SQLite and PostgreSQL differ: {:?} vs {:?}",
                question.id,
                lite.first(),
                pg.first()
            )),
            (Some(_), Some(_)) => {}
            (lite, pg) => problems.push(format!(
                "{}: runs on SQLite {}, PostgreSQL {}",
                question.id,
                lite.is_some(),
                pg.is_some()
            )),
        }
    }
    assert!(problems.is_empty(), "{} gold queries fail:\n{}", problems.len(), problems.join("\n"));
}
