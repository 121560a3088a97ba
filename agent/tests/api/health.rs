//! `GET /api/v1/health`.

use schemas::{DependencyState, HealthResponse, ServiceStatus};

use crate::helpers::{ollama_has_models, spawn_app, spawn_app_with, wait_for_index};

async fn health(app: &crate::helpers::TestApp) -> HealthResponse {
    let response = app.get("/api/v1/health").await;
    assert_eq!(response.status(), 200, "health answers 200 even when degraded");
    response.json().await.expect("health body is a HealthResponse")
}

#[tokio::test]
async fn health_is_ok_when_every_dependency_answers() {
    let app = spawn_app().await;
    ollama_has_models(&app.ollama, &["ministral-3:3b"]).await;
    wait_for_index(&app).await;
    let report = health(&app).await;
    assert_eq!(report.status, ServiceStatus::Ok, "{report:#?}");
    let names: Vec<_> = report.dependencies.iter().map(|dependency| dependency.name.as_str()).collect();
    assert_eq!(names, ["app_store", "warehouse", "llm", "index", "embeddings"]);
    assert!(report.dependencies.iter().all(|dependency| dependency.state == DependencyState::Ok));
}

#[tokio::test]
async fn health_is_degraded_and_says_what_to_do_when_ollama_is_down() {
    let app = spawn_app_with(|config| config.ollama_url = Some("http://127.0.0.1:9".to_owned())).await;
    let report = health(&app).await;
    assert_eq!(report.status, ServiceStatus::Degraded);
    let llm = report.dependency("llm").expect("llm entry");
    assert_eq!(llm.state, DependencyState::Unavailable);
    let message = llm.message.as_deref().expect("a message");
    assert!(message.contains("does not answer") && message.contains("OLLAMA_URL"), "{message}");
    assert_eq!(report.dependency("app_store").expect("store").state, DependencyState::Ok);
}

#[tokio::test]
async fn health_names_the_pull_command_when_the_model_is_missing() {
    let app = spawn_app().await;
    ollama_has_models(&app.ollama, &["llama3:8b"]).await;
    let report = health(&app).await;
    let llm = report.dependency("llm").expect("llm entry");
    assert_eq!(llm.state, DependencyState::Unavailable);
    assert!(llm.message.as_deref().unwrap_or_default().contains("ollama pull ministral-3:3b"), "{llm:?}");
    assert!(llm.target.contains("ministral-3:3b"));
}

#[tokio::test]
async fn health_reports_an_unreachable_warehouse_without_leaking_its_password() {
    let app = spawn_app_with(|config| {
        config.warehouse_url = Some("postgres://reader:s3cret@127.0.0.1:9/dwh".to_owned().into());
    })
    .await;
    ollama_has_models(&app.ollama, &["ministral-3:3b"]).await;
    let report = health(&app).await;
    assert_eq!(report.status, ServiceStatus::Degraded);
    let warehouse = report.dependency("warehouse").expect("warehouse entry");
    assert_eq!(warehouse.state, DependencyState::Unavailable);
    assert_eq!(warehouse.target, "postgres://reader:***@127.0.0.1:9/dwh");
    let body = serde_json::to_string(&report).expect("serialises");
    assert!(!body.contains("s3cret"), "the password leaked: {body}");
}

#[tokio::test]
async fn the_default_warehouse_is_the_demo_built_in_the_data_directory() {
    let app = spawn_app_with(|config| config.warehouse_url = None).await;
    let warehouse = app.data_dir.path().join("demo").join("warehouse.sqlite");
    assert!(warehouse.is_file(), "the demo warehouse was built on first start");
    assert!(app.data_dir.path().join("demo/docs/glossaire.md").is_file(), "the demo documents were written");
    let report = health(&app).await;
    let entry = report.dependency("warehouse").expect("warehouse entry");
    assert_eq!(entry.state, DependencyState::Ok);
    assert!(entry.target.ends_with("demo/warehouse.sqlite"), "{}", entry.target);
}

#[tokio::test]
async fn the_server_stops_gracefully_when_asked() {
    let app = spawn_app().await;
    assert_eq!(app.get("/api/v1/health").await.status(), 200);
    let address = app.address.clone();
    app.stop().await.expect("clean shutdown");
    let after = reqwest::get(format!("{address}/api/v1/health")).await;
    assert!(after.is_err(), "nothing listens after shutdown");
}
