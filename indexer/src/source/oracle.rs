//! The Oracle source, through the `oracle` crate (ODPI-C, which loads Oracle Instant Client at run time).
//!
//! The crate's calls block, so every call runs on tokio's blocking pool. Without Instant Client the connect fails
//! at once with DPI-1047; that error is reported as "unavailable", never as a crash.

mod dictionary;

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use super::{WarehouseLimits, WarehouseUrl};
use crate::IndexerError;

/// Credentials and limits for an Oracle warehouse; connections are opened per task.
#[derive(Debug, Clone)]
pub struct OracleSource {
    user: String,
    password: SecretString,
    connect_string: String,
    limits: WarehouseLimits,
}

impl OracleSource {
    /// Reads the user, password and connect string from `url`.
    pub(crate) fn new(url: &WarehouseUrl, limits: WarehouseLimits) -> Result<Self, IndexerError> {
        let (user, password, connect_string) = url.oracle_parts()?;
        Ok(Self { user, password, connect_string, limits })
    }

    /// Opens a connection with a call timeout, on the current (blocking) thread.
    pub(crate) fn connect_blocking(&self) -> Result<::oracle::Connection, IndexerError> {
        let connection = ::oracle::Connection::connect(&self.user, self.password.expose_secret(), &self.connect_string)
            .map_err(|source| IndexerError::Oracle { action: "connecting", source })?;
        connection
            .set_call_timeout(Some(self.limits.statement_timeout))
            .map_err(|source| IndexerError::Oracle { action: "setting the call timeout", source })?;
        Ok(connection)
    }

    /// Connects and pings the server.
    pub(crate) async fn ping(&self) -> Result<(), IndexerError> {
        let source = self.clone();
        let task = tokio::task::spawn_blocking(move || {
            let connection = source.connect_blocking()?;
            connection.ping().map_err(|source| IndexerError::Oracle { action: "pinging", source })
        });
        match tokio::time::timeout(Duration::from_secs(10), task).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(IndexerError::Config(format!("oracle ping task failed: {join}"))),
            Err(_) => Err(IndexerError::Timeout { action: "connecting to oracle", seconds: 10 }),
        }
    }
}

impl OracleSource {
    /// Reads the tables and views of `owners` (the connected user's own schema when empty) from the dictionary.
    pub(crate) async fn introspect(&self, owners: &[String]) -> Result<Vec<crate::catalog::Table>, IndexerError> {
        let source = self.clone();
        let owners = owners.to_vec();
        tokio::task::spawn_blocking(move || source.introspect_blocking(owners))
            .await
            .map_err(|join| IndexerError::Config(format!("oracle introspection task failed: {join}")))?
    }

    fn introspect_blocking(&self, owners: Vec<String>) -> Result<Vec<crate::catalog::Table>, IndexerError> {
        use ::oracle::sql_type::ToSql;
        let oracle_error = |action| move |source| IndexerError::Oracle { action, source };
        let connection = self.connect_blocking()?;
        let owners = if owners.is_empty() {
            vec![
                connection
                    .query_row_as::<String>("SELECT USER FROM DUAL", &[])
                    .map_err(oracle_error("reading USER"))?,
            ]
        } else {
            owners.into_iter().map(|owner| owner.to_uppercase()).collect()
        };
        let binds: Vec<&dyn ToSql> = owners.iter().map(|owner| owner as &dyn ToSql).collect();
        let relations = connection
            .query_as::<dictionary::RelationRow>(&dictionary::relations_sql(owners.len()), &binds)
            .map_err(oracle_error("reading ALL_TABLES and ALL_VIEWS"))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(oracle_error("reading ALL_TABLES and ALL_VIEWS"))?;
        let columns = connection
            .query_as::<dictionary::ColumnRow>(&dictionary::columns_sql(owners.len()), &binds)
            .map_err(oracle_error("reading ALL_TAB_COLUMNS"))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(oracle_error("reading ALL_TAB_COLUMNS"))?;
        let constraints = connection
            .query_as::<dictionary::ConstraintRow>(&dictionary::constraints_sql(owners.len()), &binds)
            .map_err(oracle_error("reading ALL_CONSTRAINTS"))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(oracle_error("reading ALL_CONSTRAINTS"))?;
        Ok(dictionary::assemble(relations, columns, constraints))
    }
}

impl OracleSource {
    /// Samples the values of every candidate column on one connection; failures leave a column without values.
    pub(crate) async fn sample_values(
        &self,
        tables: Vec<crate::catalog::Table>,
        options: super::SamplingOptions,
    ) -> Vec<crate::catalog::Table> {
        let source = self.clone();
        let fallback = tables.clone();
        let task = tokio::task::spawn_blocking(move || {
            let mut tables = tables;
            let connection = match source.connect_blocking() {
                Ok(connection) => connection,
                Err(error) => {
                    tracing::warn!(%error, "value sampling skipped: cannot connect to oracle");
                    return tables;
                }
            };
            let fetch = options.max_distinct as u64 + 1;
            for table in &mut tables {
                for position in 0..table.columns.len() {
                    if !super::sample::is_candidate(&table.columns[position]) {
                        continue;
                    }
                    let sql = super::sample::oracle_sql(table, &table.columns[position]);
                    let rows = connection
                        .query_as::<(String, i64)>(&sql, &[&options.scan_rows, &fetch])
                        .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
                    match rows {
                        Ok(rows) => table.columns[position].sample_values = super::sample::keep_values(rows, &options),
                        Err(source) => {
                            let error = IndexerError::Oracle { action: "sampling values", source };
                            super::sample::skip(table, &table.columns[position], &error);
                        }
                    }
                }
            }
            tables
        });
        task.await.unwrap_or(fallback)
    }
}

impl OracleSource {
    /// Runs `EXPLAIN PLAN FOR` in its own transaction, reads the plan with DBMS_XPLAN, then rolls back, so the
    /// PLAN_TABLE rows never persist.
    pub(crate) async fn explain(&self, sql: &str) -> Result<super::explain::DryRun, IndexerError> {
        use super::explain::{DryRun, SqlError, oracle_code};
        let source = self.clone();
        let sql = sql.to_owned();
        let task = tokio::task::spawn_blocking(move || -> Result<DryRun, IndexerError> {
            let connection = source.connect_blocking()?;
            let statement_id = format!("pstral-{}", std::process::id());
            let explained =
                connection.execute(&format!("EXPLAIN PLAN SET STATEMENT_ID = '{statement_id}' FOR {sql}"), &[]);
            let outcome = match explained {
                // An ORA- error is the statement's fault: a refusal the model can repair.
                Err(error) if error.db_error().is_some_and(|db| db.code() > 0 && !db.message().starts_with("DPI")) => {
                    let (code, message) =
                        error.db_error().map(|db| (db.code(), db.message().to_owned())).unwrap_or_default();
                    Ok(DryRun::Refused(SqlError::from_engine(oracle_code(&format!("ORA-{code:05}")), message)))
                }
                Err(source) => Err(IndexerError::Oracle { action: "running EXPLAIN PLAN", source }),
                Ok(_) => connection
                    .query_as::<String>(
                        "SELECT PLAN_TABLE_OUTPUT FROM TABLE(DBMS_XPLAN.DISPLAY('PLAN_TABLE', :1, 'BASIC +ROWS'))",
                        &[&statement_id],
                    )
                    .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
                    .map(|lines| DryRun::Plan(lines.join("\n")))
                    .map_err(|source| IndexerError::Oracle { action: "reading the plan", source }),
            };
            let _rolled_back = connection.rollback();
            outcome
        });
        task.await.map_err(|join| IndexerError::Config(format!("oracle explain task failed: {join}")))?
    }
}

/// What an Oracle fetch returns: column names and cells, or the statement's refusal.
type Fetched = Result<(Vec<String>, Vec<Vec<super::run::Cell>>), super::explain::SqlError>;

impl OracleSource {
    /// Runs `sql` in a read-only transaction and reads at most `cap` rows.
    pub(crate) async fn fetch(&self, sql: &str, cap: usize) -> Result<Fetched, IndexerError> {
        use super::explain::{SqlError, oracle_code};
        use super::run::Cell;
        use ::oracle::sql_type::OracleType;
        let source = self.clone();
        let sql = sql.to_owned();
        let task = tokio::task::spawn_blocking(move || -> Result<Fetched, IndexerError> {
            let connection = source.connect_blocking()?;
            connection
                .execute("SET TRANSACTION READ ONLY", &[])
                .map_err(|source| IndexerError::Oracle { action: "making the transaction read-only", source })?;
            let refusal = |error: &::oracle::Error| {
                error.db_error().filter(|db| !db.message().starts_with("DPI")).map(|db| {
                    SqlError::from_engine(oracle_code(&format!("ORA-{:05}", db.code())), db.message().to_owned())
                })
            };
            let result_set = match connection.query(&sql, &[]) {
                Ok(result_set) => result_set,
                Err(error) => {
                    let _rolled_back = connection.rollback();
                    return match refusal(&error) {
                        Some(refused) => Ok(Err(refused)),
                        None => Err(IndexerError::Oracle { action: "running the query", source: error }),
                    };
                }
            };
            let columns: Vec<(String, OracleType)> = result_set
                .column_info()
                .iter()
                .map(|info| (info.name().to_owned(), info.oracle_type().clone()))
                .collect();
            let mut rows = Vec::new();
            for row in result_set.take(cap) {
                let row = row.map_err(|source| IndexerError::Oracle { action: "reading rows", source })?;
                let cells = columns
                    .iter()
                    .enumerate()
                    .map(|(index, (_, oracle_type))| match oracle_type {
                        OracleType::Number(precision, 0) if *precision > 0 && *precision <= 18 => {
                            row.get::<usize, Option<i64>>(index).ok().flatten().map_or(Cell::Null, Cell::Int)
                        }
                        OracleType::Number(..)
                        | OracleType::Float(_)
                        | OracleType::BinaryDouble
                        | OracleType::BinaryFloat => {
                            row.get::<usize, Option<f64>>(index).ok().flatten().map_or(Cell::Null, Cell::Float)
                        }
                        _ => row.get::<usize, Option<String>>(index).ok().flatten().map_or(Cell::Null, Cell::Text),
                    })
                    .collect();
                rows.push(cells);
            }
            let _rolled_back = connection.rollback();
            Ok(Ok((columns.into_iter().map(|(name, _)| name).collect(), rows)))
        });
        task.await.map_err(|join| IndexerError::Config(format!("oracle query task failed: {join}")))?
    }
}
