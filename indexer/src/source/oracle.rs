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
