//! `spawn_app()`: the real service on 127.0.0.1:0 with a fresh data directory, the shared demo warehouse and a
//! `wiremock` server standing in for Ollama.

use std::path::{Path, PathBuf};

use agent::config::{Config, IndexConfig, LogFormat};
use agent::startup::Application;
use secrecy::SecretString;
use tempfile::TempDir;
use tokio::sync::OnceCell;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A running service and what the test needs to poke at it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// The fake Ollama.
    pub ollama: MockServer,
    /// The data directory (deleted when the test ends).
    pub data_dir: TempDir,
    /// A client without a cookie store or redirects.
    pub client: reqwest::Client,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    /// Resolves when the server has stopped.
    pub stopped: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

impl TestApp {
    /// Sends `GET path`.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.address)).send().await.expect("request reaches the server")
    }

    /// Asks the server to stop and waits for it.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(shutdown) = self.shutdown.take() {
            let _ignored = shutdown.send(());
        }
        self.stopped.take().expect("server task").await.expect("server task joins")
    }
}

/// Returns the settings every test starts from: fresh data dir, fake Ollama, shared demo warehouse.
pub async fn test_config(data_dir: &Path, ollama: &MockServer) -> Config {
    let warehouse = demo_warehouse().await;
    Config {
        bind: "127.0.0.1:0".parse().expect("valid address"),
        data_dir: data_dir.to_path_buf(),
        store_url: None,
        warehouse_url: Some(SecretString::from(format!("sqlite://{}", warehouse.display()))),
        oracle_dsn: None,
        oracle_user: None,
        oracle_password: None,
        ollama_url: Some(ollama.uri()),
        ollama_base_url: None,
        ollama_model: "ministral-3:3b".to_owned(),
        console_dir: data_dir.join("no-console"),
        log_format: LogFormat::Text,
        index: IndexConfig {
            assets_dir: None,
            no_embeddings: false,
            reindex_cron: String::new(),
            warehouse_schemas: Vec::new(),
            docs_dir: None,
            sample_max_distinct: 250,
            schema_budget_tokens: 1000,
        },
    }
}

/// Waits until the first index build is serving (at most a minute).
pub async fn wait_for_index(app: &TestApp) {
    for _ in 0..600 {
        let report: schemas::HealthResponse = app.get("/api/v1/health").await.json().await.expect("health body");
        let index = report.dependency("index").expect("index entry");
        if index.state == schemas::DependencyState::Ok {
            return;
        }
        assert_ne!(index.state, schemas::DependencyState::Unavailable, "the index build failed: {index:?}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the index was not built within a minute");
}

/// Starts the service with the default test settings.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the service after `adjust` has changed the default test settings.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    if std::env::var_os("TEST_LOG").is_some() {
        agent::telemetry::init(LogFormat::Text);
    }
    let ollama = MockServer::start().await;
    let data_dir = TempDir::new().expect("temp dir");
    let mut config = test_config(data_dir.path(), &ollama).await;
    adjust(&mut config);
    let application = Application::build(config).await.expect("the service builds");
    let address = format!("http://127.0.0.1:{}", application.port());
    let (shutdown, stop_signal) = tokio::sync::oneshot::channel::<()>();
    let stopped = tokio::spawn(application.run_until_stopped(async move {
        let _ignored = stop_signal.await;
    }));
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    TestApp { address, ollama, data_dir, client, shutdown: Some(shutdown), stopped: Some(stopped) }
}

/// Makes the fake Ollama list `models` on `/api/tags`.
pub async fn ollama_has_models(ollama: &MockServer, models: &[&str]) {
    let models: Vec<_> = models
        .iter()
        .map(|name| serde_json::json!({"name": name, "modified_at": "2026-11-01T00:00:00Z", "size": 1}))
        .collect();
    Mock::given(method("GET"))
        .and(path("/api/tags"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "models": models })))
        .mount(ollama)
        .await;
}

/// Returns the demo warehouse built once per test run under cargo's target tmp dir.
pub async fn demo_warehouse() -> PathBuf {
    static DEMO: OnceCell<PathBuf> = OnceCell::const_new();
    DEMO.get_or_init(|| async {
        let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("demo-{}.sqlite", std::process::id()));
        indexer::demo::build_sqlite(&path).await.expect("the demo warehouse builds");
        path
    })
    .await
    .clone()
}
