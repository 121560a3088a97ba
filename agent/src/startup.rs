//! Start-up: turns the `Config` into components, builds the router and binds the listener.
//!
//! `main` and the integration tests both go through [`Application::build`], so tests run the real service.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use indexer::schedule::CronSchedule;
use indexer::source::{Warehouse, WarehouseLimits, WarehouseUrl};
use secrecy::SecretString;
use tokio::net::TcpListener;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::answer::{AnswerOptions, Answerer};
use crate::auth::AuthState;
use crate::config::{Config, WarehouseSetting};
use crate::indexing::Indexing;
use crate::llm::LlmPool;
use crate::queue::LlmQueue;
use crate::routes;
use crate::store::Store;

/// What every handler can reach: components built once at start-up, cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The app store.
    pub store: Store,
    /// The app store's location for the health report (no credentials).
    pub store_target: String,
    /// The warehouse questions are answered on (read-only).
    pub warehouse: Warehouse,
    /// The LLM server.
    pub llm: LlmPool,
    /// The schema index and its re-indexing.
    pub indexing: Arc<Indexing>,
    /// Token keys, login throttling, registration policy.
    pub auth: Arc<AuthState>,
    /// The agent loop (with the LLM queue).
    pub answerer: Answerer,
    /// Prometheus counters.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Where the model's warm-up stands.
    pub warm_up: Arc<crate::warmup::WarmUp>,
}

/// What every subcommand that touches data needs: the store, the warehouse and the documents folder.
pub struct Core {
    /// The app store, migrated.
    pub store: Store,
    /// The store's location for the health report (no credentials).
    pub store_target: String,
    /// The warehouse, opened read-only (lazily).
    pub warehouse: Warehouse,
    /// The internal documents to index, if any.
    pub documents_dir: Option<PathBuf>,
}

impl Core {
    /// Creates the data directory, opens the store, and opens the warehouse (building the demo on first start).
    pub async fn prepare(config: &Config) -> anyhow::Result<Self> {
        tokio::fs::create_dir_all(&config.data_dir)
            .await
            .with_context(|| format!("failed to create the data directory {}", config.data_dir.display()))?;
        let (store_url, store_target) = store_url(config);
        let store = Store::connect(&store_url).await?;
        let (warehouse_url, documents_dir) = match config.resolved_warehouse()? {
            WarehouseSetting::Url(url) => (url, config.index.docs_dir.clone()),
            WarehouseSetting::Demo => {
                let (url, demo_docs) = prepare_demo(&config.data_dir).await?;
                (url, config.index.docs_dir.clone().or(Some(demo_docs)))
            }
        };
        let warehouse = Warehouse::open(&warehouse_url, WarehouseLimits::default())?;
        Ok(Self { store, store_target, warehouse, documents_dir })
    }

    /// Opens the schema index in the data directory.
    pub async fn open_indexing(&self, config: &Config) -> anyhow::Result<Indexing> {
        let index_dir = config.data_dir.join("index");
        Indexing::open(&config.index, index_dir, self.documents_dir.clone(), self.warehouse.clone(), self.store.clone())
            .await
    }
}

/// The service, built and bound, not yet serving.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    /// The warm-up's watch of the serving build, stopped with the server.
    warm_task: Option<tokio::task::JoinHandle<()>>,
}

impl Application {
    /// Prepares the data directory, the store, the warehouse and the LLM client, then binds `config.bind`.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let core = Core::prepare(&config).await?;
        let auth = Arc::new(AuthState::new(&config.auth, &config.data_dir)?);
        crate::auth::ensure_first_admin(&core.store, &config.auth).await?;
        let llm = LlmPool::new(config.llm_clients()?);
        for client in llm.clients() {
            if let Err(error) = client.probe(Duration::from_secs(2)).await {
                tracing::warn!(%error, "an LLM backend is unavailable: questions fail over to the others, if any");
            }
        }
        let backends = llm.clients().count();
        let indexing = Arc::new(core.open_indexing(&config).await?);
        indexing.spawn_first_build_if_needed();
        if !config.index.reindex_cron.trim().is_empty() {
            indexing.spawn_schedule(CronSchedule::parse(&config.index.reindex_cron)?);
        }
        let Core { store, store_target, warehouse, .. } = core;
        let answerer = Answerer::new(
            llm.clone(),
            Arc::clone(indexing.index()),
            warehouse.clone(),
            Arc::new(LlmQueue::new(
                config.agent.llm_concurrency.max(1) * backends,
                config.agent.max_questions_per_user,
            )),
            AnswerOptions::from_config(&config.agent, &config.index),
        );
        let metrics = Arc::new(crate::metrics::Metrics::default());
        let warm_up = Arc::new(crate::warmup::WarmUp::default());
        let warm_task = config.agent.warm_up.then(|| warm_up.spawn(answerer.clone(), store.clone()));
        let state = AppState { store, store_target, warehouse, llm, indexing, auth, answerer, metrics, warm_up };
        let router = routes::api(&state)
            .with_state(state.clone())
            .fallback_service(routes::console::service(&config.console_dir))
            .layer(axum::extract::DefaultBodyLimit::max(routes::MAX_BODY_BYTES))
            .layer(axum::middleware::from_fn_with_state(state.clone(), crate::metrics::track))
            .layer(axum::Extension(crate::auth::proxies::TrustedProxies::parse(&config.auth.trusted_proxies)?));
        let router = with_security_headers(router)
            .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
                let request_id =
                    request.headers().get("x-request-id").and_then(|value| value.to_str().ok()).unwrap_or("-");
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id)
            }))
            .layer(PropagateRequestIdLayer::x_request_id())
            .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid));
        let listener = TcpListener::bind(config.bind)
            .await
            .with_context(|| format!("failed to listen on {} (is another pstral running?)", config.bind))?;
        Ok(Self { listener, router, state, warm_task })
    }

    /// Returns the port the listener is bound to (useful with port 0).
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|address| address.port()).unwrap_or_default()
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish and closes the store.
    pub async fn run_until_stopped(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let address = self.listener.local_addr().context("failed to read the bound address")?;
        tracing::info!(%address, "pstral is listening: open http://{address}");
        let served =
            axum::serve(self.listener, self.router.into_make_service_with_connect_info::<std::net::SocketAddr>())
                .with_graceful_shutdown(shutdown)
                .await;
        if let Some(task) = &self.warm_task {
            task.abort();
        }
        served.context("the HTTP server failed")?;
        self.state.store.close().await;
        tracing::info!("pstral stopped");
        Ok(())
    }
}

/// Security headers on every response: no sniffing, no framing, no referrer, and a policy allowing only this
/// origin's files (the console's wasm needs `wasm-unsafe-eval`; its styles are inline in places).
fn with_security_headers(router: Router) -> Router {
    use axum::http::{HeaderName, HeaderValue};
    let header = |name: &'static str, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(HeaderName::from_static(name), HeaderValue::from_static(value))
    };
    router
        .layer(header("x-content-type-options", "nosniff"))
        .layer(header("x-frame-options", "DENY"))
        .layer(header("referrer-policy", "no-referrer"))
        .layer(header(
            "content-security-policy",
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ))
}

/// Resolves the store URL (default: a SQLite file in the data directory) and its credential-free description.
fn store_url(config: &Config) -> (SecretString, String) {
    match &config.store_url {
        Some(url) => {
            let target = indexer::source::WarehouseUrl::parse(secrecy::ExposeSecret::expose_secret(url))
                .map(|parsed| parsed.redacted().to_owned())
                .unwrap_or_else(|_| "configured store".to_owned());
            (url.clone(), target)
        }
        None => {
            let path = config.data_dir.join("pstral.db");
            let target = format!("sqlite://{}", path.display());
            (SecretString::from(format!("{target}?mode=rwc")), target)
        }
    }
}

/// Builds the demo warehouse and its documents in `data_dir/demo` when they are missing; returns the warehouse URL
/// and the documents folder.
async fn prepare_demo(data_dir: &Path) -> anyhow::Result<(WarehouseUrl, PathBuf)> {
    let demo_dir = data_dir.join("demo");
    let warehouse = demo_dir.join("warehouse.sqlite");
    if !tokio::fs::try_exists(&warehouse).await.unwrap_or(false) {
        tokio::fs::create_dir_all(&demo_dir)
            .await
            .with_context(|| format!("failed to create {}", demo_dir.display()))?;
        tracing::info!(path = %warehouse.display(), "building the demo warehouse (first start)");
        let summary = indexer::demo::build_sqlite(&warehouse).await.context("failed to build the demo warehouse")?;
        tracing::info!(rows = summary.total_rows, tables = summary.tables.len(), "demo warehouse ready");
    }
    let docs_dir = demo_dir.join("docs");
    tokio::fs::create_dir_all(&docs_dir).await.with_context(|| format!("failed to create {}", docs_dir.display()))?;
    for document in indexer::demo::documents() {
        let path = docs_dir.join(document.file_name);
        tokio::fs::write(&path, document.content)
            .await
            .with_context(|| format!("failed to write {}", path.display()))?;
    }
    Ok((WarehouseUrl::sqlite(&warehouse), docs_dir))
}
