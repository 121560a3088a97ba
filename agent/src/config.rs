//! The `pstral` command line and its configuration: every setting is a flag and an environment variable.
//!
//! This is the only module that reads the environment. The seed's variable names (`SECRET_KEY`,
//! `OLLAMA_BASE_URL`, `OLLAMA_MODEL`, `ORACLE_DSN`, `ORACLE_USER`, `ORACLE_PASSWORD`) keep working beside ours:
//! each is a hidden flag that [`Config::resolve`] folds into the `PSTRAL_…` setting it stands for.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use secrecy::SecretString;

/// Pstral: questions in French or English become safe, validated Oracle SQL, with a small local model.
#[derive(Debug, Parser)]
#[command(name = "pstral", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Settings of `serve`, accepted without the subcommand too.
    #[command(flatten)]
    pub serve: Config,
}

/// The subcommands of `pstral`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Runs the service: API, console and scheduled re-index (the default).
    Serve(Config),
    /// Builds the schema index once, with a progress bar (for an external cron), then exits.
    Index(Config),
    /// Measures Pstral on a question set through the service's own answer path (`--questions`, `--demo`), or
    /// retrieval and generation on a Spider-layout dataset (`--dataset`).
    Eval(EvalArgs),
    /// Prints performance figures.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Checks SQL statements with the guard: one JSON object per line in (`{"sql": "…"}`), one verdict per line out.
    Guard(GuardArgs),
}

/// Arguments of `pstral guard`.
#[derive(Debug, Clone, clap::Args)]
pub struct GuardArgs {
    /// Dialect the statements are written in (default: the warehouse's, else oracle).
    #[arg(long, value_enum)]
    pub dialect: Option<crate::guard::Dialect>,
    /// File of JSON lines (`{"sql": "..."}`); `-` for standard input.
    #[arg(long)]
    pub jsonl: PathBuf,
    /// Warehouse whose catalog the statements are checked against (`sqlite://…`, `postgres://…`, `oracle://…`),
    /// read from its data dictionary: a table it does not have is then refused, as in the agent. Without it, table
    /// existence is not checked.
    #[arg(long)]
    pub warehouse: Option<String>,
}

/// Arguments of `pstral eval`.
#[derive(Debug, Clone, clap::Args)]
#[command(group(clap::ArgGroup::new("set").required(true).args(["dataset", "questions", "demo"])))]
pub struct EvalArgs {
    /// Dataset folder in Spider's layout: `dev.json` and `database/<db_id>/<db_id>.sqlite`.
    #[arg(long)]
    pub dataset: Option<PathBuf>,
    /// Question files (JSON lines, see `docs/eval/demo/README.md`) asked through the service's answer path, on
    /// `--warehouse` with `--docs`, else on the demo.
    #[arg(long, num_args = 1.., conflicts_with = "dataset")]
    pub questions: Vec<PathBuf>,
    /// The product benchmark: the bundled demo warehouse, its documents and its question set
    /// (`docs/eval/demo/<split>.jsonl`), in `--dialect`.
    #[arg(long, conflicts_with_all = ["dataset", "warehouse"])]
    pub demo: bool,
    /// With `--demo`: which part of the set (`dev` to tune on, `test` to report).
    #[arg(long, value_enum, default_value = "dev")]
    pub split: EvalSplit,
    /// With `--questions`: the warehouse (`sqlite://…`, `postgres://…`, `oracle://…`; a read-only account);
    /// default: the bundled demo in `--dialect`.
    #[arg(long, hide_env_values = true)]
    pub warehouse: Option<String>,
    /// With `--warehouse`: the internal documents indexed with the warehouse.
    #[arg(long)]
    pub docs: Option<PathBuf>,
    /// SQL dialect the model writes and the guard checks (default: the warehouse's). On the demo: `sqlite` (the
    /// demo file, the default), `postgres` (the demo loaded into a fresh database on `--pg-url`), or `oracle` (the
    /// same, with the orafce extension standing in for Oracle: see docs/eval/demo/README.md).
    #[arg(long, value_enum)]
    pub dialect: Option<crate::guard::Dialect>,
    /// On the demo in `postgres` or `oracle`: the PostgreSQL server on which a fresh database is created, loaded
    /// with the demo, and dropped at the end.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres", hide_env_values = true)]
    pub pg_url: String,
    /// Where the product benchmark's service keeps its data (store, index); default: a temporary folder.
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// `none` to measure retrieval only (Spider), or the model server: an Ollama URL (`http://127.0.0.1:11434`),
    /// or `ollama=URL` / `openai=URL` as in PSTRAL_LLM_BACKENDS.
    #[arg(long, default_value = "none")]
    pub llm: String,
    /// Model to ask with `--llm`.
    #[arg(long, env = "OLLAMA_MODEL", default_value = "ministral-3:3b")]
    pub model: String,
    /// Baseline of the execution run: the same model and loop with the whole schema in the prompt.
    #[arg(long, value_enum, default_value = "full-schema")]
    pub baseline: EvalBaseline,
    /// Where to write the per-question JSON report.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Only the first N questions (after --ids).
    #[arg(long)]
    pub limit: Option<usize>,
    /// File of question positions in dev.json (0-based, one per line) to evaluate.
    #[arg(long)]
    pub ids: Option<PathBuf>,
    /// Where per-database indexes are cached between runs (default: a temporary folder).
    #[arg(long)]
    pub cache_dir: Option<PathBuf>,

    /// Tables of the dataset's other databases added to each database's catalog (their schema and sampled
    /// values, not their rows): a warehouse larger than the prompt budget, where retrieval has to choose.
    #[arg(long, default_value_t = 0)]
    pub distractors: usize,
    #[command(flatten)]
    pub index: IndexConfig,
}

/// Parts of the product benchmark's question set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalSplit {
    /// The part the developers tune on.
    Dev,
    /// The part only reported, never tuned on.
    Test,
    /// Both parts.
    All,
}

/// Baselines `pstral eval --llm` compares the agent with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalBaseline {
    /// Every table of the database in the prompt, no retrieval.
    FullSchema,
}

/// `pstral bench …` subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum BenchCommand {
    /// Builds, re-builds and queries the index of a synthetic catalog; prints build times, retrieval p50/p95, RSS.
    Index(BenchIndexArgs),
    /// Times what a question costs outside the LLM (retrieve, prompt, guard, dry-run) on a synthetic catalog.
    Overhead(BenchIndexArgs),
    /// Load test on loopback: cheap endpoints under concurrent connections, then many simultaneous chat streams.
    Load(BenchLoadArgs),
}

/// Arguments of `pstral bench index`.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchIndexArgs {
    /// Tables in the synthetic catalog.
    #[arg(long, default_value_t = 10_000)]
    pub tables: usize,
    /// Columns per table.
    #[arg(long, default_value_t = 15)]
    pub columns: usize,
    /// Retrieval queries timed.
    #[arg(long, default_value_t = 300)]
    pub queries: usize,
    #[command(flatten)]
    pub index: IndexConfig,
}

/// Arguments of `pstral bench load`.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchLoadArgs {
    /// Concurrent keep-alive connections on the cheap endpoints.
    #[arg(long, default_value_t = 200)]
    pub connections: usize,
    /// Seconds per cheap endpoint.
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// Chat streams opened at once.
    #[arg(long, default_value_t = 500)]
    pub streams: usize,
    /// Milliseconds between two tokens of the fake model.
    #[arg(long, default_value_t = 20)]
    pub token_ms: u64,
    /// Generations the service lets run at once (PSTRAL_LLM_CONCURRENCY of the service under test).
    #[arg(long, default_value_t = 16)]
    pub llm_concurrency: usize,
    /// Seconds of the mixed phase (analysts asking in a loop while the cheap endpoints are hammered); 0 skips it.
    #[arg(long, default_value_t = 60)]
    pub mixed_seconds: u64,
    /// Analyst accounts asking questions one after the other during the mixed phase.
    #[arg(long, default_value_t = 48)]
    pub analysts: usize,
    /// One more analyst in the mixed phase sends this many questions at once, and again when they are answered
    /// (0: none).
    #[arg(long, default_value_t = 20)]
    pub greedy: usize,
    /// PSTRAL_MAX_QUESTIONS_PER_USER of the service under test (0: no cap; the chat phase opens every stream as
    /// one user).
    #[arg(long, default_value_t = 0)]
    pub max_questions_per_user: usize,
    #[command(flatten)]
    pub index: IndexConfig,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Settings of `pstral serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Address and port the HTTP server listens on.
    #[arg(long, env = "PSTRAL_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// Directory for the app store, the demo warehouse and the index; created when missing.
    #[arg(long, env = "PSTRAL_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// App store URL (`sqlite://…` or `postgres://…`); default: `sqlite://DATA_DIR/pstral.db`.
    #[arg(long, env = "PSTRAL_STORE_URL", hide_env_values = true)]
    pub store_url: Option<SecretString>,

    /// Warehouse to answer questions on (`oracle://…`, `postgres://…`, `sqlite://…`); default: the bundled demo
    /// warehouse, built in DATA_DIR on first start. Use a read-only account.
    #[arg(long, env = "PSTRAL_WAREHOUSE_URL", hide_env_values = true)]
    pub warehouse_url: Option<SecretString>,

    /// Seed name: Oracle connect string (`host:port/service` or a TNS alias), used with ORACLE_USER and ORACLE_PASSWORD.
    #[arg(long, env = "ORACLE_DSN", hide = true)]
    pub oracle_dsn: Option<String>,

    /// Seed name: Oracle user for ORACLE_DSN.
    #[arg(long, env = "ORACLE_USER", hide = true)]
    pub oracle_user: Option<String>,

    /// Seed name: Oracle password for ORACLE_DSN.
    #[arg(long, env = "ORACLE_PASSWORD", hide = true, hide_env_values = true)]
    pub oracle_password: Option<SecretString>,

    /// Base URL of the Ollama server.
    #[arg(long, env = "OLLAMA_URL")]
    pub ollama_url: Option<String>,

    /// Seed name for OLLAMA_URL.
    #[arg(long, env = "OLLAMA_BASE_URL", hide = true)]
    pub ollama_base_url: Option<String>,

    /// Several LLM backends, comma-separated, each `ollama=URL` or `openai=URL` (an OpenAI-compatible API root such
    /// as `http://vllm:8000/v1`); each question goes to the least busy. Replaces OLLAMA_URL when set.
    #[arg(long, env = "PSTRAL_LLM_BACKENDS", value_delimiter = ',')]
    pub llm_backends: Vec<String>,

    /// Bearer key sent to OpenAI-compatible backends, if they need one.
    #[arg(long, env = "PSTRAL_OPENAI_API_KEY", hide_env_values = true)]
    pub openai_api_key: Option<SecretString>,

    /// Model Ollama serves for SQL generation.
    #[arg(long, env = "OLLAMA_MODEL", default_value = "ministral-3:3b")]
    pub ollama_model: String,

    /// Directory of the built web console (index.html and the wasm bundle).
    #[arg(long, env = "PSTRAL_CONSOLE_DIR", default_value = "console/dist")]
    pub console_dir: PathBuf,

    /// Log format.
    #[arg(long, env = "PSTRAL_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,

    #[command(flatten)]
    pub index: IndexConfig,

    #[command(flatten)]
    pub auth: AuthConfig,

    #[command(flatten)]
    pub agent: AgentConfig,
}

/// Where Pstral runs: production refuses weak secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Environment {
    /// A workstation or a test: a missing secret key is generated once into the data directory.
    Development,
    /// A server: a missing or weak secret key stops the start.
    Production,
}

/// Sessions, passwords and the first admin.
#[derive(Debug, Clone, clap::Args)]
pub struct AuthConfig {
    /// Key signing session tokens (32 characters or more). Required in production; in development a random key is
    /// generated once into DATA_DIR/secret.key.
    #[arg(long, env = "PSTRAL_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<SecretString>,

    /// Seed name for PSTRAL_SECRET_KEY.
    #[arg(long, env = "SECRET_KEY", hide = true, hide_env_values = true)]
    pub seed_secret_key: Option<SecretString>,

    /// `production` refuses to start without a strong secret key.
    #[arg(long = "env", env = "PSTRAL_ENV", value_enum, default_value = "development")]
    pub environment: Environment,

    /// Minutes a session token stays valid.
    #[arg(long, env = "PSTRAL_TOKEN_TTL_MINUTES", default_value_t = 480)]
    pub token_ttl_minutes: u64,

    /// Password of the first admin (user `admin`), created when the store has no user; when absent a random one is
    /// printed once to the log.
    #[arg(long, env = "PSTRAL_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<SecretString>,

    /// Bearer token a Prometheus scraper sends to read /metrics (admins' session tokens work too).
    #[arg(long, env = "PSTRAL_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<SecretString>,

    /// Let anyone create an analyst account with /api/v1/auth/register (by default only admins create users).
    #[arg(long, env = "PSTRAL_OPEN_REGISTRATION", value_parser = clap::builder::BoolishValueParser::new(), action = clap::ArgAction::SetTrue)]
    pub open_registration: bool,

    /// Networks whose proxies may pass the client's address in `X-Real-IP` (comma-separated, e.g. the compose
    /// network `172.30.0.0/24`); this machine always may.
    #[arg(long, env = "PSTRAL_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<String>,
}

impl AuthConfig {
    /// Returns the configured secret key: PSTRAL_SECRET_KEY, else the seed's SECRET_KEY.
    pub fn resolved_secret_key(&self) -> Option<SecretString> {
        self.secret_key.clone().or_else(|| self.seed_secret_key.clone())
    }
}

/// Settings of the agent loop and of the queries it runs.
#[derive(Debug, Clone, clap::Args)]
pub struct AgentConfig {
    /// Earlier messages of a conversation given to the model.
    #[arg(long, env = "MAX_HISTORY_MESSAGES", default_value_t = 10)]
    pub max_history_messages: usize,

    /// Repairs after the first attempt when the SQL is refused or fails its dry-run.
    #[arg(long, env = "PSTRAL_MAX_REPAIRS", default_value_t = 2)]
    pub max_repairs: usize,

    /// Most rows a query returns (the result says when more existed).
    #[arg(long, env = "PSTRAL_ROW_LIMIT", default_value_t = 1000)]
    pub row_limit: usize,

    /// Most rows an export (CSV, XLSX, JSON of a result) holds.
    #[arg(long, env = "PSTRAL_EXPORT_ROW_LIMIT", default_value_t = 50_000)]
    pub export_row_limit: usize,

    /// Longest a query may run on the warehouse, in seconds.
    #[arg(long, env = "PSTRAL_QUERY_TIMEOUT_SECS", default_value_t = 30)]
    pub query_timeout_secs: u64,

    /// Questions the LLM server works on at once; the others wait in a queue that serves users in turn, and see
    /// their position.
    #[arg(long, env = "PSTRAL_LLM_CONCURRENCY", default_value_t = 1)]
    pub llm_concurrency: usize,

    /// Questions one user may have in flight (waiting for the model or being answered); one more is refused at
    /// once with `too_many_questions`. 0: no cap.
    #[arg(long, env = "PSTRAL_MAX_QUESTIONS_PER_USER", default_value_t = 4)]
    pub max_questions_per_user: usize,

    /// Sends the prompt's stable part to every model backend each time an index build is published, so that its
    /// prompt cache holds it before the first question (`false` to leave the model idle until one comes).
    #[arg(long, env = "PSTRAL_WARM_UP", value_parser = clap::builder::BoolishValueParser::new(), action = clap::ArgAction::Set, default_value_t = true)]
    pub warm_up: bool,

    /// Longest the model may stay silent (before its answer starts, or between two pieces of it), in seconds.
    #[arg(long, env = "PSTRAL_LLM_TIMEOUT_SECS", default_value_t = 120)]
    pub llm_timeout_secs: u64,

    /// SQL dialect the model writes and the guard checks (default: the warehouse's). `oracle` on a PostgreSQL
    /// warehouse with the orafce extension is the benchmark's Oracle stand-in.
    #[arg(long, env = "PSTRAL_SQL_DIALECT", value_enum)]
    pub sql_dialect: Option<crate::guard::Dialect>,

    /// Lowest role that may read sensitive columns: `steward` (stewards and admins), `admin`, or `none`. Analysts
    /// never may.
    #[arg(long, env = "PSTRAL_SENSITIVE_CLEARANCE", value_enum, default_value_t = crate::permissions::Clearance::Steward)]
    pub sensitive_clearance: crate::permissions::Clearance,
}

/// Personal data by column name: e-mail, phone, bank account, birth date, social-security number, passwords.
pub const DEFAULT_SENSITIVE_PATTERNS: &str = "*EMAIL*,*E_MAIL*,*COURRIEL*,TEL,TEL_*,*_TEL,*_TEL_*,*TELEPHONE*,*PHONE*,\
MOBILE,MOBILE_*,*_MOBILE,*PORTABLE*,*IBAN*,BIC,BIC_*,*_BIC,RIB,RIB_*,*_RIB,*NAISSANCE*,DT_NAISS*,*BIRTH*,NIR,NIR_*,\
*_NIR,*NUM_SECU*,*SECU_SOC*,SSN,*_SSN,*PASSWORD*,*PASSWD*,*MOT_DE_PASSE*";

/// Settings of the schema index, shared by `serve`, `index` and `eval`.
#[derive(Debug, Clone, clap::Args)]
pub struct IndexConfig {
    /// Where `scripts/assets.sh` put ONNX Runtime and the embedding model (default: ~/.cache/pstral/assets).
    #[arg(long, env = "PSTRAL_ASSETS_DIR")]
    pub assets_dir: Option<PathBuf>,

    /// Turn embeddings off: retrieval uses keywords and value links only.
    #[arg(long, env = "PSTRAL_NO_EMBEDDINGS", value_parser = clap::builder::BoolishValueParser::new(), action = clap::ArgAction::SetTrue)]
    pub no_embeddings: bool,

    /// Threads the embedding model uses for one question (or one indexing batch); they sleep when idle.
    #[arg(long, env = "PSTRAL_EMBED_THREADS", default_value_t = 2)]
    pub embed_threads: usize,

    /// When to re-index, as a cron expression with seconds (local time); empty to disable.
    #[arg(long, env = "PSTRAL_REINDEX_CRON", default_value = "0 0 2 * * *")]
    pub reindex_cron: String,

    /// Oracle owners or PostgreSQL schemas to index, comma-separated (default: the user's own / all non-system).
    #[arg(long, env = "PSTRAL_WAREHOUSE_SCHEMAS", value_delimiter = ',')]
    pub warehouse_schemas: Vec<String>,

    /// Folder of internal documents (markdown, text) to index; default: the demo's documents with the demo.
    #[arg(long, env = "PSTRAL_DOCS_DIR")]
    pub docs_dir: Option<PathBuf>,

    /// A text column with more distinct values than this keeps no sample values.
    #[arg(long, env = "PSTRAL_SAMPLE_MAX_DISTINCT", default_value_t = 250)]
    pub sample_max_distinct: usize,

    /// Column-name patterns (comma-separated, `*` for any text, case-insensitive) that flag a column sensitive
    /// until a steward reviews it: never sampled, hidden from roles without clearance.
    #[arg(long, env = "PSTRAL_SENSITIVE_PATTERNS", value_delimiter = ',', default_value = DEFAULT_SENSITIVE_PATTERNS)]
    pub sensitive_patterns: Vec<String>,

    /// Largest schema text put with one question, in estimated tokens: the detail of the tables a catalog too big
    /// for the stable part leaves out (or the whole schema chosen for the question, with a stable budget of 0).
    #[arg(long, env = "PSTRAL_SCHEMA_BUDGET_TOKENS", default_value_t = 1000)]
    pub schema_budget_tokens: usize,

    /// Largest stable schema, in estimated tokens: the catalog part of the prompt that every question of a build
    /// shares byte for byte, so the model server keeps it in its prompt cache (a catalog within it goes whole, a
    /// bigger one as a core plus the other tables' names). 0 sends the schema chosen for each question instead.
    /// The model's context (`num_ctx`) must hold it plus a question and its repairs. Off by default: on the demo
    /// with the 1.5B stand-in it cut the tokens read per question from ~1,040 to ~84 but lost accuracy (0.14 vs
    /// 0.36 on the test part), see docs/eval/demo/README.md.
    #[arg(long, env = "PSTRAL_STABLE_SCHEMA_TOKENS", default_value_t = 0)]
    pub stable_schema_tokens: usize,

    /// Most internal-document passages put with one question (each costs its tokens on every question).
    #[arg(long, env = "PSTRAL_MAX_DOCUMENTS", default_value_t = 2)]
    pub max_documents: usize,

    /// Most tables retrieval ranks into a prompt (the tables their joins go through come on top).
    #[arg(long, env = "PSTRAL_MAX_TABLES", default_value_t = 5)]
    pub max_tables: usize,
}

impl IndexConfig {
    /// Retrieval settings from this configuration (hybrid strategy).
    pub fn retrieve_options(&self) -> indexer::index::RetrieveOptions {
        indexer::index::RetrieveOptions {
            budget_tokens: self.schema_budget_tokens,
            max_tables: self.max_tables.max(1),
            stable_budget_tokens: self.stable_schema_tokens,
            max_documents: self.max_documents,
            ..indexer::index::RetrieveOptions::default()
        }
    }

    /// Returns the assets directory: the configured one, else ~/.cache/pstral/assets.
    pub fn resolved_assets_dir(&self) -> PathBuf {
        self.assets_dir.clone().unwrap_or_else(|| {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("."))
                .join(".cache/pstral/assets")
        })
    }
}

/// Where the warehouse is, once the seed's variables are folded in.
#[derive(Debug, Clone)]
pub enum WarehouseSetting {
    /// The bundled demo warehouse, built in the data directory on first start.
    Demo,
    /// A warehouse given by URL.
    Url(indexer::source::WarehouseUrl),
}

impl Config {
    /// Returns the Ollama base URL: OLLAMA_URL, else the seed's OLLAMA_BASE_URL, else the local default.
    pub fn resolved_ollama_url(&self) -> String {
        self.ollama_url
            .clone()
            .or_else(|| self.ollama_base_url.clone())
            .unwrap_or_else(|| "http://127.0.0.1:11434".to_owned())
    }

    /// Returns the LLM backends: PSTRAL_LLM_BACKENDS, else the one Ollama of OLLAMA_URL.
    pub fn llm_clients(&self) -> anyhow::Result<Vec<crate::llm::LlmClient>> {
        use crate::llm::LlmClient;
        use secrecy::ExposeSecret;
        if self.llm_backends.iter().all(|backend| backend.trim().is_empty()) {
            return Ok(vec![LlmClient::new(&self.resolved_ollama_url(), &self.ollama_model)?]);
        }
        let key = self.openai_api_key.as_ref().map(|key| key.expose_secret().to_owned());
        self.llm_backends
            .iter()
            .map(|backend| backend.trim())
            .filter(|backend| !backend.is_empty())
            .map(|backend| match backend.split_once('=') {
                Some(("ollama", url)) => Ok(LlmClient::new(url, &self.ollama_model)?),
                Some(("openai", url)) => Ok(LlmClient::openai(url, &self.ollama_model, key.clone())?),
                _ => anyhow::bail!("PSTRAL_LLM_BACKENDS entry `{backend}` must be `ollama=URL` or `openai=URL`"),
            })
            .collect()
    }

    /// Returns the warehouse to use: PSTRAL_WAREHOUSE_URL, else the seed's ORACLE_* triple, else the demo.
    pub fn resolved_warehouse(&self) -> anyhow::Result<WarehouseSetting> {
        use secrecy::ExposeSecret;
        if let Some(url) = &self.warehouse_url {
            return Ok(WarehouseSetting::Url(indexer::source::WarehouseUrl::parse(url.expose_secret())?));
        }
        match (&self.oracle_dsn, &self.oracle_user, &self.oracle_password) {
            (Some(dsn), Some(user), Some(password)) => {
                Ok(WarehouseSetting::Url(indexer::source::WarehouseUrl::oracle(user, password, dsn)))
            }
            (None, None, None) => Ok(WarehouseSetting::Demo),
            _ => anyhow::bail!("ORACLE_DSN, ORACLE_USER and ORACLE_PASSWORD go together: set all three or none"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Cli {
        Cli::try_parse_from(args).expect("valid command line")
    }

    #[test]
    fn no_subcommand_means_serve_with_defaults() {
        let cli = parse(&["pstral"]);
        assert!(cli.command.is_none());
        assert_eq!(cli.serve.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(cli.serve.ollama_model, "ministral-3:3b");
    }

    #[test]
    fn seed_ollama_base_url_is_used_when_ollama_url_is_absent() {
        let cli = parse(&["pstral", "--ollama-base-url", "http://ollama:11434"]);
        assert_eq!(cli.serve.resolved_ollama_url(), "http://ollama:11434");
        let cli = parse(&["pstral", "--ollama-base-url", "http://old:1", "--ollama-url", "http://new:2"]);
        assert_eq!(cli.serve.resolved_ollama_url(), "http://new:2");
    }

    #[test]
    fn seed_oracle_triple_becomes_an_oracle_warehouse() {
        let cli = parse(&["pstral", "--oracle-dsn", "db:1521/PDB", "--oracle-user", "R", "--oracle-password", "x"]);
        match cli.serve.resolved_warehouse().expect("valid") {
            WarehouseSetting::Url(url) => assert_eq!(url.redacted(), "oracle://R:***@db:1521/PDB"),
            WarehouseSetting::Demo => panic!("expected an oracle warehouse"),
        }
    }

    #[test]
    fn an_incomplete_oracle_triple_is_refused() {
        let cli = parse(&["pstral", "--oracle-dsn", "db:1521/PDB"]);
        let error = cli.serve.resolved_warehouse().expect_err("incomplete triple");
        assert!(error.to_string().contains("go together"));
    }

    #[test]
    fn no_warehouse_setting_means_the_demo() {
        let cli = parse(&["pstral", "serve"]);
        let Some(Command::Serve(config)) = cli.command else { panic!("expected serve") };
        assert!(matches!(config.resolved_warehouse().expect("valid"), WarehouseSetting::Demo));
    }
}
