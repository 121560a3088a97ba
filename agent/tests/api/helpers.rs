//! `spawn_app()`: the real service on 127.0.0.1:0 with a fresh data directory, the shared demo warehouse and a
//! `wiremock` server standing in for Ollama.

use std::path::{Path, PathBuf};

use agent::config::{AgentConfig, AuthConfig, Config, Environment, IndexConfig, LogFormat};
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
    /// The app store's URL (SQLite in the data directory, or a fresh PostgreSQL database).
    pub store_url: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    /// Resolves when the server has stopped.
    pub stopped: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

impl TestApp {
    /// Sends `GET path`.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.address)).send().await.expect("request reaches the server")
    }

    /// Sends `method path` with an optional bearer token and JSON body.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> reqwest::Response {
        let mut request = self.client.request(method, format!("{}{path}", self.address));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("request reaches the server")
    }

    /// Signs in; returns the token (panics on failure).
    pub async fn login(&self, username: &str, password: &str) -> String {
        let response = self
            .call(
                reqwest::Method::POST,
                "/api/v1/auth/login",
                None,
                Some(serde_json::json!({"username": username, "password": password})),
            )
            .await;
        assert_eq!(response.status(), 200, "login of {username}");
        let body: schemas::auth::TokenResponse = response.json().await.expect("token body");
        body.access_token
    }

    /// Returns a token of the first admin.
    pub async fn admin_token(&self) -> String {
        self.login("admin", ADMIN_PASSWORD).await
    }

    /// Creates a user with `role` through the admin API and returns their token.
    pub async fn user_token(&self, username: &str, role: schemas::auth::Role) -> String {
        let admin = self.admin_token().await;
        let response = self
            .call(
                reqwest::Method::POST,
                "/api/v1/users",
                Some(&admin),
                Some(serde_json::json!({"username": username, "password": USER_PASSWORD, "role": role})),
            )
            .await;
        assert_eq!(response.status(), 201, "create {username}: {:?}", response.text().await);
        self.login(username, USER_PASSWORD).await
    }

    /// Returns the audit rows of `action`, newest first.
    pub async fn audit_rows(&self, action: &str) -> Vec<schemas::admin::AuditEntry> {
        let admin = self.admin_token().await;
        let response = self
            .call(reqwest::Method::GET, &format!("/api/v1/audit?action={action}&per_page=500"), Some(&admin), None)
            .await;
        assert_eq!(response.status(), 200);
        let page: schemas::admin::AuditPage = response.json().await.expect("audit page");
        page.entries
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
        llm_backends: Vec::new(),
        openai_api_key: None,
        ollama_model: "ministral-3:3b".to_owned(),
        console_dir: data_dir.join("no-console"),
        log_format: LogFormat::Text,
        index: IndexConfig {
            assets_dir: None,
            no_embeddings: false,
            embed_threads: 1,
            reindex_cron: String::new(),
            warehouse_schemas: Vec::new(),
            docs_dir: None,
            sample_max_distinct: 250,
            sensitive_patterns: agent::config::DEFAULT_SENSITIVE_PATTERNS.split(',').map(str::to_owned).collect(),
            schema_budget_tokens: 1000,
            stable_schema_tokens: 0,
            max_documents: 2,
            max_tables: 5,
        },
        auth: AuthConfig {
            secret_key: Some(SecretString::from(TEST_SECRET.to_owned())),
            seed_secret_key: None,
            environment: Environment::Development,
            token_ttl_minutes: 60,
            admin_password: Some(SecretString::from(ADMIN_PASSWORD.to_owned())),
            open_registration: false,
            metrics_token: Some(SecretString::from("scrape-token-for-tests".to_owned())),
            trusted_proxies: Vec::new(),
        },
        agent: AgentConfig {
            max_history_messages: 10,
            max_repairs: 2,
            row_limit: 1000,
            export_row_limit: 50_000,
            query_timeout_secs: 30,
            llm_concurrency: 1,
            max_questions_per_user: 4,
            // The warm-up's own model call would take a canned answer meant for a question: its test turns it on.
            warm_up: false,
            llm_timeout_secs: 120,
            sql_dialect: None,
            sensitive_clearance: agent::permissions::Clearance::Steward,
        },
    }
}

/// The signing key of test services.
pub const TEST_SECRET: &str = "test-secret-key-0123456789abcdef-0123456789";

/// The first admin's password in test services.
pub const ADMIN_PASSWORD: &str = "admin-password-for-tests";

/// A password good enough for test accounts.
pub const USER_PASSWORD: &str = "une phrase de passe";

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

/// Whether this run puts every test service's store on PostgreSQL (`PSTRAL_TEST_STORE=postgres`, as `make test`'s
/// second pass does) instead of SQLite.
pub fn postgres_store_run() -> bool {
    std::env::var("PSTRAL_TEST_STORE").is_ok_and(|store| store == "postgres")
}

/// Starts the service after `adjust` has changed the default test settings. With `PSTRAL_TEST_STORE=postgres`
/// the store is a fresh PostgreSQL database unless `adjust` chooses one.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    if std::env::var_os("TEST_LOG").is_some() {
        agent::telemetry::init(LogFormat::Text);
    }
    let ollama = MockServer::start().await;
    let data_dir = TempDir::new().expect("temp dir");
    let mut config = test_config(data_dir.path(), &ollama).await;
    if postgres_store_run() {
        config.store_url = Some(SecretString::from(fresh_pg_database().await));
    }
    adjust(&mut config);
    let store_url = match &config.store_url {
        Some(url) => secrecy::ExposeSecret::expose_secret(url).to_owned(),
        None => format!("sqlite://{}", data_dir.path().join("pstral.db").display()),
    };
    let application = Application::build(config).await.expect("the service builds");
    let address = format!("http://127.0.0.1:{}", application.port());
    let (shutdown, stop_signal) = tokio::sync::oneshot::channel::<()>();
    let stopped = tokio::spawn(application.run_until_stopped(async move {
        let _ignored = stop_signal.await;
    }));
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    TestApp { address, ollama, data_dir, client, store_url, shutdown: Some(shutdown), stopped: Some(stopped) }
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

/// Returns a folder holding the demo's internal documents (code lists, glossary), written once per test run: the
/// tests of what the documents bring point `docs_dir` to it.
pub async fn demo_documents() -> PathBuf {
    static DOCS: OnceCell<PathBuf> = OnceCell::const_new();
    DOCS.get_or_init(|| async {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("demo-docs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a documents folder");
        for document in indexer::demo::documents() {
            std::fs::write(dir.join(document.file_name), document.content).expect("a demo document");
        }
        dir
    })
    .await
    .clone()
}

/// Creates a fresh PostgreSQL database on the test server and returns its URL. The first call of a test process
/// drops the databases earlier test processes left (named after their process id, which is no longer running).
pub async fn fresh_pg_database() -> String {
    static SWEPT: OnceCell<()> = OnceCell::const_new();
    let admin_url =
        std::env::var("PSTRAL_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let admin = sqlx::PgPool::connect(&admin_url)
        .await
        .unwrap_or_else(|error| panic!("PostgreSQL must run at {admin_url} (set PSTRAL_TEST_PG_URL): {error}"));
    SWEPT
        .get_or_init(|| async {
            let names: Vec<(String,)> =
                sqlx::query_as("SELECT datname FROM pg_database WHERE datname LIKE 'pstral\\_test\\_%'")
                    .fetch_all(&admin)
                    .await
                    .unwrap_or_default();
            for (name,) in names {
                let pid = name.split('_').nth(2).unwrap_or_default();
                if !pid.is_empty() && !Path::new(&format!("/proc/{pid}")).exists() {
                    let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ignored = sqlx::query(sqlx::AssertSqlSafe(drop)).execute(&admin).await;
                }
            }
        })
        .await;
    let database = format!("pstral_test_{}_{}", std::process::id(), uuid::Uuid::now_v7().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {database}"))).execute(&admin).await.expect("create db");
    admin.close().await;
    match admin_url.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{database}"),
        None => panic!("PSTRAL_TEST_PG_URL needs a database path"),
    }
}

/// Makes the fake Ollama answer `/api/chat` with the canned stream `fixture`, `times` times, after `delay`.
pub async fn ollama_answers(server: &MockServer, fixture: &str, times: u64, delay: std::time::Duration) {
    let body = std::fs::read_to_string(format!("{}/tests/fixtures/ollama/{fixture}", env!("CARGO_MANIFEST_DIR")))
        .expect("fixture");
    Mock::given(method("POST"))
        .and(path("/api/chat"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/x-ndjson").set_delay(delay))
        .up_to_n_times(times)
        .mount(server)
        .await;
}

/// Reads a Server-Sent Events response until it ends (or `limit` events), returning the events.
pub async fn read_events(response: reqwest::Response, limit: usize) -> Vec<schemas::ChatEvent> {
    use futures_util::StreamExt;
    let mut events = Vec::new();
    let mut buffer = String::new();
    let mut body = response.bytes_stream();
    while let Some(chunk) = body.next().await {
        buffer.push_str(&String::from_utf8_lossy(&chunk.expect("stream chunk")));
        while let Some(end) = buffer.find("\n\n") {
            let frame: String = buffer.drain(..end + 2).collect();
            for line in frame.lines() {
                if let Some(data) = line.strip_prefix("data: ").or_else(|| line.strip_prefix("data:")) {
                    events.push(serde_json::from_str(data).expect("an event"));
                }
            }
            if events.len() >= limit {
                return events;
            }
        }
    }
    events
}
