//! The schema index inside the service: first build, curated descriptions kept across re-indexes.

use agent::startup::Core;
use agent::store::{AuditRecord, Curation};
use indexer::index::RetrieveOptions;

use crate::helpers::{spawn_app, test_config, wait_for_index};

#[tokio::test]
async fn the_first_start_builds_the_index_and_health_reports_it() {
    let app = spawn_app().await;
    wait_for_index(&app).await;
    let report: schemas::HealthResponse = app.get("/api/v1/health").await.json().await.expect("health body");
    let index = report.dependency("index").expect("index entry");
    assert!(index.message.as_deref().unwrap_or_default().contains("tables"), "{index:?}");
    assert_eq!(report.dependency("embeddings").expect("embeddings entry").state, schemas::DependencyState::Ok);
}

#[tokio::test]
async fn steward_descriptions_survive_every_reindex() {
    let data_dir = tempfile::TempDir::new().expect("temp dir");
    let ollama = wiremock::MockServer::start().await;
    let config = test_config(data_dir.path(), &ollama).await;
    let core = Core::prepare(&config).await.expect("core");
    let indexing = core.open_indexing(&config).await.expect("indexing");
    // "sociétaires" appears nowhere in the dictionary: only the curated text can bring CLIENTS to that question.
    let curated = "Sociétaires : personnes assurées titulaires d'un contrat";
    core.store
        .upsert_curation(
            &Curation {
                table_schema: String::new(),
                table_name: "CLIENTS".into(),
                column_name: String::new(),
                description: Some(curated.into()),
                sensitive: false,
            },
            &AuditRecord { action: "catalog.curate".into(), status: "ok".into(), ..AuditRecord::default() },
        )
        .await
        .expect("curation saved");
    for round in 0..2 {
        indexing.reindex(std::sync::Arc::new(|_| {})).await.expect("re-index");
        let catalog = indexing.index().catalog().expect("an index serves");
        let clients = catalog.table(None, "CLIENTS").expect("CLIENTS");
        assert_eq!(clients.effective_description(), Some(curated), "round {round}");
        assert!(clients.comment.is_some(), "the dictionary comment is kept beside the curated one");
    }
    let stable = RetrieveOptions { stable_budget_tokens: 6000, ..RetrieveOptions::default() };
    let retrieval = indexing.index().retrieve("liste des sociétaires", &stable).expect("retrieves");
    assert_eq!(retrieval.tables.first().map(|table| table.name.as_str()), Some("CLIENTS"), "{:#?}", retrieval.tables);
    let stable = retrieval.stable.expect("the demo's stable part");
    assert!(stable.text.contains("Sociétaires"), "the curated text reaches the prompt");
}
