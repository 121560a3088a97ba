//! The PostgreSQL and Oracle sources against real servers (PostgreSQL always; Oracle only when one is configured).
// The warehouse's own tests call `Warehouse::{explain, run}` directly, with statements written here (the agent
// may only call them through its guarded door).
#![allow(clippy::disallowed_methods)]

use indexer::ErrorKind;
use indexer::source::explain::DryRun;
use indexer::source::run::{QueryLimits, RunOutcome};
use indexer::source::{SamplingOptions, Warehouse, WarehouseLimits, WarehouseUrl};

fn pg_url() -> String {
    std::env::var("PSTRAL_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

#[tokio::test]
async fn postgres_introspection_reads_the_demo_schema_with_comments_keys_and_values() {
    let url = pg_url();
    let admin = sqlx::PgPool::connect(&url)
        .await
        .unwrap_or_else(|error| panic!("PostgreSQL must run at {url} (set PSTRAL_TEST_PG_URL): {error}"));
    let schema = format!("pstral_src_{}", std::process::id());
    indexer::demo::load_postgres(&admin, &schema).await.expect("demo loads into postgres");
    let warehouse =
        Warehouse::open(&WarehouseUrl::parse(&url).expect("url"), WarehouseLimits::default()).expect("opens");
    let mut catalog = warehouse.introspect(std::slice::from_ref(&schema)).await.expect("introspects");
    warehouse.sample_values(&mut catalog, &SamplingOptions::default(), &|_, _| {}).await;
    let checks = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        assert!(catalog.tables.len() >= 15, "{} tables", catalog.tables.len());
        let contrats = catalog.table(Some(&schema), "contrats").expect("contrats");
        assert!(contrats.comment.is_some(), "COMMENT ON TABLE read back");
        assert!(contrats.columns.iter().any(|column| column.comment.is_some()), "COMMENT ON COLUMN read back");
        assert_eq!(contrats.primary_key.len(), 1);
        let key = contrats.foreign_keys.iter().find(|key| key.referenced_table == "clients").expect("FK to clients");
        assert_eq!(key.referenced_schema.as_deref(), Some(schema.as_str()));
        let ville = catalog
            .tables
            .iter()
            .flat_map(|table| &table.columns)
            .find(|column| column.name == "ville" && !column.sample_values.is_empty())
            .expect("a sampled city column");
        assert!(ville.sample_values.iter().any(|value| value == "Paris"), "{:?}", ville.sample_values);
    }));
    let planned = warehouse.explain(&format!("SELECT count(*) FROM {schema}.clients")).await;
    let refused = warehouse.explain(&format!("SELECT montant FROM {schema}.clients")).await;
    let limits = QueryLimits { max_rows: 5, ..QueryLimits::default() };
    let typed = warehouse
        .run(
            &format!("SELECT id_contrat, mt_prime_ttc, dt_eff, cd_statut FROM {schema}.contrats ORDER BY id_contrat"),
            &limits,
        )
        .await;
    let write = warehouse.run(&format!("DELETE FROM {schema}.reglements"), &limits).await;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE"))).execute(&admin).await.expect("drop");
    assert!(matches!(planned, Ok(DryRun::Plan(ref plan)) if plan.contains("Aggregate")), "{planned:?}");
    match refused.expect("postgres answers") {
        DryRun::Refused(error) => {
            assert_eq!(error.code.as_deref(), Some("42703"));
            assert!(error.hint.contains("column montant does not exist"), "{error:?}");
        }
        DryRun::Plan(plan) => panic!("a missing column was planned: {plan}"),
    }
    let RunOutcome::Rows(rows) = typed.expect("runs") else { panic!("refused") };
    let types: Vec<String> = rows.batch.schema().fields().iter().map(|field| field.data_type().to_string()).collect();
    assert_eq!(types, ["Int64", "Float64", "Date32", "Utf8"]);
    assert!(rows.truncated && rows.batch.num_rows() == 5);
    match write.expect("postgres answers") {
        RunOutcome::Refused(error) => assert!(error.message.contains("read-only"), "{error:?}"),
        RunOutcome::Rows(_) => panic!("a DELETE ran on the warehouse"),
    }
    if let Err(panic) = checks {
        std::panic::resume_unwind(panic);
    }
}

#[tokio::test]
async fn an_oracle_without_its_client_library_is_reported_unavailable_not_a_crash() {
    let url = WarehouseUrl::parse("oracle://reader:secret@127.0.0.1:1/NOPE").expect("url");
    let warehouse = Warehouse::open(&url, WarehouseLimits::default()).expect("opens lazily");
    let error = warehouse.ping().await.expect_err("no oracle here");
    assert_eq!(error.kind(), ErrorKind::Unavailable, "{error}");
    assert!(!error.to_string().contains("secret"), "the password leaked: {error}");
}

/// Runs only against a live Oracle (`PSTRAL_TEST_ORACLE_URL=oracle://user:pass@host:1521/service`, a schema with
/// at least one commented table); without one it says so and checks nothing.
#[tokio::test]
async fn a_live_oracle_dictionary_is_introspected_when_one_is_configured() {
    let Ok(url) = std::env::var("PSTRAL_TEST_ORACLE_URL") else {
        eprintln!("PSTRAL_TEST_ORACLE_URL is not set: the live Oracle introspection test did not run");
        return;
    };
    let warehouse =
        Warehouse::open(&WarehouseUrl::parse(&url).expect("url"), WarehouseLimits::default()).expect("opens");
    warehouse.ping().await.expect("oracle answers");
    let mut catalog = warehouse.introspect(&[]).await.expect("dictionary read");
    assert!(!catalog.tables.is_empty(), "the user's schema has tables");
    assert!(catalog.tables.iter().any(|table| table.comment.is_some()), "ALL_TAB_COMMENTS read");
    warehouse.sample_values(&mut catalog, &SamplingOptions::default(), &|_, _| {}).await;
}
