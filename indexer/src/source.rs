//! Warehouse sources: the only code that talks to a warehouse (Oracle, PostgreSQL, SQLite).
//!
//! Every connection opened here is read-only: SQLite files are opened read-only, PostgreSQL sessions default to
//! read-only transactions with a statement timeout, and Oracle accounts must be read-only by grant (the README says
//! which grants). This module must not know about HTTP, JWT or the agent's store.

pub mod explain;
mod oracle;
mod postgres;
pub mod run;
pub mod sample;
mod sqlite;
mod url;

use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{PgPool, SqlitePool};

use crate::IndexerError;
use crate::catalog::{Catalog, Engine};

pub use sample::SamplingOptions;
pub use url::{WarehouseKind, WarehouseUrl};

/// Opens a PostgreSQL transaction that cannot write, whatever the session's defaults.
async fn read_only_transaction(pool: &PgPool) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, IndexerError> {
    let mut transaction =
        pool.begin().await.map_err(|source| IndexerError::Query { action: "opening a transaction", source })?;
    sqlx::query("SET TRANSACTION READ ONLY")
        .execute(&mut *transaction)
        .await
        .map_err(|source| IndexerError::Query { action: "making the transaction read-only", source })?;
    Ok(transaction)
}

/// Limits applied to every warehouse connection.
#[derive(Debug, Clone, Copy)]
pub struct WarehouseLimits {
    /// Longest a statement may run before the warehouse cancels it.
    pub statement_timeout: Duration,
    /// Largest number of connections kept open.
    pub max_connections: u32,
}

impl Default for WarehouseLimits {
    fn default() -> Self {
        Self { statement_timeout: Duration::from_secs(30), max_connections: 4 }
    }
}

/// A connection pool to one warehouse, opened read-only.
#[derive(Debug, Clone)]
pub struct Warehouse {
    url: WarehouseUrl,
    pool: Pool,
}

/// The engine-specific pool behind a [`Warehouse`].
#[derive(Debug, Clone)]
enum Pool {
    /// A SQLite file, opened read-only.
    Sqlite(SqlitePool),
    /// A PostgreSQL database; sessions default to read-only transactions.
    Postgres(PgPool),
    /// An Oracle database, reached through Oracle's client library.
    Oracle(oracle::OracleSource),
}

impl Warehouse {
    /// Opens a lazy pool to the warehouse at `url`: nothing is contacted until the first query, so a warehouse
    /// that is down does not stop the service from starting.
    pub fn open(url: &WarehouseUrl, limits: WarehouseLimits) -> Result<Self, IndexerError> {
        let pool = match url.kind() {
            WarehouseKind::Sqlite => {
                let options = SqliteConnectOptions::new()
                    .filename(
                        url.sqlite_path().ok_or_else(|| IndexerError::Config("sqlite url without a path".into()))?,
                    )
                    .read_only(true)
                    .busy_timeout(limits.statement_timeout);
                let pool = SqlitePoolOptions::new()
                    .max_connections(limits.max_connections)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect_lazy_with(options);
                Pool::Sqlite(pool)
            }
            WarehouseKind::Postgres => {
                let options: PgConnectOptions = url.expose().parse().map_err(|error| {
                    IndexerError::Config(format!("invalid postgres url {}: {error}", url.redacted()))
                })?;
                let timeout_ms = limits.statement_timeout.as_millis().to_string();
                let options = options
                    .application_name("pstral")
                    .options([("default_transaction_read_only", "on"), ("statement_timeout", timeout_ms.as_str())]);
                let pool = PgPoolOptions::new()
                    .max_connections(limits.max_connections)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect_lazy_with(options);
                Pool::Postgres(pool)
            }
            WarehouseKind::Oracle => Pool::Oracle(oracle::OracleSource::new(url, limits)?),
        };
        Ok(Self { url: url.clone(), pool })
    }

    /// Returns the warehouse's location, password redacted.
    pub fn url(&self) -> &WarehouseUrl {
        &self.url
    }

    /// Reads the warehouse's tables, views, columns, keys and comments. `schemas` restricts Oracle owners and
    /// PostgreSQL schemas (Oracle: the connected user's schema when empty; PostgreSQL: every non-system schema).
    pub async fn introspect(&self, schemas: &[String]) -> Result<Catalog, IndexerError> {
        let tables = match &self.pool {
            Pool::Sqlite(pool) => sqlite::introspect(pool).await?,
            Pool::Postgres(pool) => postgres::introspect(pool, schemas).await?,
            Pool::Oracle(source) => source.introspect(schemas).await?,
        };
        Ok(Catalog { engine: Some(Engine::from(self.url.kind())), tables, terms: Vec::new() })
    }

    /// Fills `sample_values` of the low-cardinality text columns of every table (sensitive columns are skipped).
    /// A column that cannot be read keeps no values; the build goes on. `progress` gets (tables done, total).
    pub async fn sample_values(
        &self,
        catalog: &mut Catalog,
        options: &SamplingOptions,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) {
        let total = catalog.tables.len();
        if let Pool::Oracle(source) = &self.pool {
            let tables = std::mem::take(&mut catalog.tables);
            catalog.tables = source.sample_values(tables, *options).await;
            progress(total, total);
            return;
        }
        let fetch = options.max_distinct as i64 + 1;
        let scan = i64::try_from(options.scan_rows).unwrap_or(i64::MAX);
        for (done, table) in catalog.tables.iter_mut().enumerate() {
            for position in 0..table.columns.len() {
                if !sample::is_candidate(&table.columns[position]) {
                    continue;
                }
                let column = &table.columns[position];
                let rows: Result<Vec<(String, i64)>, sqlx::Error> = match &self.pool {
                    Pool::Sqlite(pool) => {
                        let sql = sample::standard_sql(table, column, false);
                        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(scan).bind(fetch).fetch_all(pool).await
                    }
                    Pool::Postgres(pool) => {
                        let sql = sample::standard_sql(table, column, true);
                        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(scan).bind(fetch).fetch_all(pool).await
                    }
                    Pool::Oracle(_) => Ok(Vec::new()),
                };
                match rows {
                    Ok(rows) => table.columns[position].sample_values = sample::keep_values(rows, options),
                    Err(source) => {
                        sample::skip(table, column, &IndexerError::Query { action: "sampling values", source })
                    }
                }
            }
            progress(done + 1, total);
        }
    }

    /// Checks that the warehouse answers a trivial query.
    pub async fn ping(&self) -> Result<(), IndexerError> {
        let result = match &self.pool {
            Pool::Sqlite(pool) => sqlx::query("SELECT 1").execute(pool).await.map(drop),
            Pool::Postgres(pool) => sqlx::query("SELECT 1").execute(pool).await.map(drop),
            Pool::Oracle(source) => return source.ping().await,
        };
        result.map_err(|source| IndexerError::Connect { target: self.url.redacted().to_owned(), source })
    }
}
