//! Where the product benchmark asks its questions: the user's own warehouse and documents (`--warehouse`,
//! `--docs`), else the bundled demo in one of three dialects (`--dialect`):
//!
//! - `sqlite`: the demo file the service builds on first start (the embedded default, as `make run` has it);
//! - `postgres`: the demo loaded into a fresh PostgreSQL database, dropped at the end;
//! - `oracle`: the same database with the orafce extension (NVL, DECODE, ADD_MONTHS, TRUNC of dates, DUAL…) and
//!   the agent prompting and guarding in Oracle dialect. It is a stand-in, not Oracle: PostgreSQL accepts some
//!   things Oracle refuses (`LIMIT`, `AS` before a table alias) and refuses some Oracle syntax (`ROWNUM`, `MINUS`,
//!   `SYSDATE` without parentheses); [`super::oracle_check`] counts the statements Oracle would refuse.

use std::path::{Path, PathBuf};

use anyhow::Context;
use sqlx::{AssertSqlSafe, Connection, PgConnection};

use crate::config::EvalArgs;
use crate::guard::Dialect;

/// The warehouse and documents one run uses.
pub struct Target {
    /// Warehouse URL for the service; `None` lets the service build its embedded demo.
    pub warehouse_url: Option<String>,
    /// Documents folder for the service; `None` with the embedded demo (the service writes the demo's).
    pub docs_dir: Option<PathBuf>,
    /// Dialect the agent writes; `None` is the warehouse's own.
    pub dialect: Option<Dialect>,
    /// Schemas the service indexes (the demo's `public` on PostgreSQL).
    pub schemas: Vec<String>,
    /// What the run is, in words, for the report.
    pub description: String,
    /// A database created for the run, dropped by [`Target::finish`].
    created: Option<CreatedDatabase>,
}

struct CreatedDatabase {
    server_url: String,
    name: String,
}

/// Prepares what the arguments ask for.
pub async fn prepare(args: &EvalArgs, data_dir: &Path) -> anyhow::Result<Target> {
    if let Some(warehouse) = args.warehouse.clone() {
        let description = indexer::source::WarehouseUrl::parse(&warehouse)?.redacted().to_owned();
        return Ok(Target {
            warehouse_url: Some(warehouse),
            docs_dir: args.docs.clone(),
            dialect: args.dialect,
            schemas: args.index.warehouse_schemas.clone(),
            description,
            created: None,
        });
    }
    match args.dialect.unwrap_or(Dialect::Sqlite) {
        Dialect::Sqlite => Ok(Target {
            warehouse_url: None,
            docs_dir: None,
            dialect: None,
            schemas: Vec::new(),
            description: "demo on SQLite".to_owned(),
            created: None,
        }),
        dialect => {
            let oracle = dialect == Dialect::Oracle;
            let name = format!("pstral_eval_{}_{}", if oracle { "oracle" } else { "postgres" }, std::process::id());
            let url = create_demo_database(&args.pg_url, &name, oracle).await?;
            let docs_dir = write_demo_documents(data_dir)?;
            let description = if oracle {
                "demo in Oracle dialect on PostgreSQL with orafce (a stand-in for Oracle, not Oracle)".to_owned()
            } else {
                "demo on PostgreSQL".to_owned()
            };
            Ok(Target {
                warehouse_url: Some(url),
                docs_dir: Some(docs_dir),
                dialect: Some(dialect),
                schemas: vec!["public".to_owned()],
                description,
                created: Some(CreatedDatabase { server_url: args.pg_url.clone(), name }),
            })
        }
    }
}

impl Target {
    /// Drops the database created for the run, if any.
    pub async fn finish(self) -> anyhow::Result<()> {
        let Some(created) = self.created else { return Ok(()) };
        let mut connection = PgConnection::connect(&created.server_url).await.with_context(|| {
            format!("failed to connect to {} to drop {}", redacted(&created.server_url), created.name)
        })?;
        sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", created.name)))
            .execute(&mut connection)
            .await
            .with_context(|| format!("failed to drop the database {}", created.name))?;
        Ok(())
    }
}

/// Creates the database `name` on the server of `server_url`, loads the demo into its `public` schema (with
/// orafce and a search path reaching it when `oracle`), and returns its URL.
async fn create_demo_database(server_url: &str, name: &str, oracle: bool) -> anyhow::Result<String> {
    let mut server = PgConnection::connect(server_url).await.with_context(|| {
        format!("failed to connect to PostgreSQL at {} (--pg-url): is it running?", redacted(server_url))
    })?;
    // `name` is built from a fixed prefix and the process id: a plain identifier, never user text.
    // Two statements: DROP DATABASE cannot run in the transaction a multi-statement string runs in.
    for statement in [format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"), format!("CREATE DATABASE {name}")] {
        sqlx::raw_sql(AssertSqlSafe(statement))
            .execute(&mut server)
            .await
            .with_context(|| format!("failed to create the database {name} (does the role have CREATEDB?)"))?;
    }
    let mut url = reqwest::Url::parse(server_url).context("--pg-url is not a URL")?;
    url.set_path(&format!("/{name}"));
    let url = url.to_string();
    let mut database = PgConnection::connect(&url).await.with_context(|| format!("failed to connect to {name}"))?;
    if oracle {
        sqlx::raw_sql(AssertSqlSafe(format!(
            "CREATE EXTENSION IF NOT EXISTS orafce; ALTER DATABASE {name} SET search_path = \"$user\", public, oracle"
        )))
        .execute(&mut database)
        .await
        .context(
            "failed to create the orafce extension: install it (Debian: apt-get install postgresql-15-orafce, \
             as `make test` does)",
        )?;
    }
    database.close().await.ok();
    let pool = sqlx::PgPool::connect(&url).await.with_context(|| format!("failed to connect to {name}"))?;
    indexer::demo::load_postgres(&pool, "public").await.context("failed to load the demo into PostgreSQL")?;
    pool.close().await;
    Ok(url)
}

/// Writes the demo's internal documents into `data_dir/demo-docs` and returns that folder.
fn write_demo_documents(data_dir: &Path) -> anyhow::Result<PathBuf> {
    let dir = data_dir.join("demo-docs");
    std::fs::create_dir_all(&dir).with_context(|| format!("failed to create {}", dir.display()))?;
    for document in indexer::demo::documents() {
        std::fs::write(dir.join(document.file_name), document.content)
            .with_context(|| format!("failed to write {}", document.file_name))?;
    }
    Ok(dir)
}

/// A PostgreSQL URL with its password hidden.
fn redacted(url: &str) -> String {
    indexer::source::WarehouseUrl::parse(url).map(|url| url.redacted().to_owned()).unwrap_or_else(|_| "--pg-url".into())
}
