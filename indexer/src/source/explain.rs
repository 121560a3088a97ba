//! Dry runs: the warehouse's own planner checks a statement without running it — SQLite `EXPLAIN QUERY PLAN`,
//! PostgreSQL `EXPLAIN` (in a read-only transaction), Oracle `EXPLAIN PLAN FOR` in its own transaction, rolled back,
//! with the plan read through DBMS_XPLAN. Errors come back with the engine's code and a hint for the repair prompt.

use serde::{Deserialize, Serialize};

use super::{Pool, Warehouse};
use crate::IndexerError;

/// The outcome of a dry run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DryRun {
    /// The warehouse accepted the statement; its plan, one step per line.
    Plan(String),
    /// The warehouse refused the statement.
    Refused(SqlError),
}

impl Warehouse {
    /// Asks the warehouse to plan `sql` without running it. `Err` means the warehouse could not be asked (down,
    /// timeout); a statement it refuses is `Ok(DryRun::Refused)`. Call it only with SQL the guard allowed.
    pub async fn explain(&self, sql: &str) -> Result<DryRun, IndexerError> {
        match &self.pool {
            Pool::Sqlite(pool) => {
                let rows: Result<Vec<(i64, i64, i64, String)>, sqlx::Error> =
                    sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}"))).fetch_all(pool).await;
                match rows {
                    Ok(rows) => Ok(DryRun::Plan(sqlite_plan(&rows))),
                    Err(error) => refused_or(error, "planning on sqlite"),
                }
            }
            Pool::Postgres(pool) => {
                let mut transaction = super::read_only_transaction(pool).await?;
                let rows: Result<Vec<(String,)>, sqlx::Error> =
                    sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN {sql}"))).fetch_all(&mut *transaction).await;
                let _rolled_back = transaction.rollback().await;
                match rows {
                    Ok(rows) => Ok(DryRun::Plan(rows.into_iter().map(|(line,)| line).collect::<Vec<_>>().join("\n"))),
                    Err(error) => refused_or(error, "planning on postgres"),
                }
            }
            Pool::Oracle(source) => source.explain(sql).await,
        }
    }
}

/// Indents SQLite's plan rows under their parents.
fn sqlite_plan(rows: &[(i64, i64, i64, String)]) -> String {
    let mut depth: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    let mut lines = Vec::with_capacity(rows.len());
    for (id, parent, _, detail) in rows {
        let level = depth.get(parent).map_or(0, |level| level + 1);
        depth.insert(*id, level);
        lines.push(format!("{}{detail}", "  ".repeat(level)));
    }
    lines.join("\n")
}

/// A database error is the statement's fault (a refusal); anything else is the connection's.
fn refused_or(error: sqlx::Error, action: &'static str) -> Result<DryRun, IndexerError> {
    match &error {
        sqlx::Error::Database(database) => {
            let code = database.code().map(|code| code.into_owned());
            let message = database.message().to_owned();
            let hint = repair_hint(code.as_deref(), &message);
            Ok(DryRun::Refused(SqlError { code, message, hint }))
        }
        _ => Err(IndexerError::Query { action, source: error }),
    }
}

/// A statement the warehouse refused at planning time, with what the model should change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SqlError {
    /// The engine's code (`ORA-00942`, `42P01`), when it gave one.
    pub code: Option<String>,
    /// The engine's message.
    pub message: String,
    /// What to change, worded for the model.
    pub hint: String,
}

/// Words a warehouse error as a repair hint for the model.
pub fn repair_hint(code: Option<&str>, message: &str) -> String {
    let lower = message.to_lowercase();
    let quoted = || message.split(['"', '\'']).nth(1).map(str::to_owned).unwrap_or_default();
    let after =
        |marker: &str| lower.find(marker).map(|at| message[at + marker.len()..].trim().to_owned()).unwrap_or_default();
    match code.unwrap_or_default() {
        "ORA-00942" | "42P01" => "a table does not exist: use only the tables of the schema above".to_owned(),
        "ORA-00904" | "42703" => {
            format!("column {} does not exist: use only the columns listed for each table", quoted())
        }
        "ORA-00918" | "42702" => "a column name is ambiguous: prefix every column with its table alias".to_owned(),
        "ORA-00979" | "42803" => "every selected column that is not aggregated must be in GROUP BY".to_owned(),
        "ORA-00933" | "ORA-00923" | "42601" => format!("the SQL syntax is wrong ({message}): write one valid SELECT"),
        "ORA-01722" | "22P02" => {
            "a text is compared with a number: compare columns with values of their type".to_owned()
        }
        _ if lower.contains("no such table") => {
            format!("table {} does not exist: use only the tables of the schema above", after("no such table:"))
        }
        _ if lower.contains("no such column") => {
            format!("column {} does not exist: use only the columns listed for each table", after("no such column:"))
        }
        _ if lower.contains("ambiguous column") => {
            "a column name is ambiguous: prefix every column with its table alias".to_owned()
        }
        _ => format!("the warehouse refused the query ({message}): correct it"),
    }
}

/// Splits `ORA-00942: table or view does not exist` into its code and message.
pub fn oracle_code(message: &str) -> Option<String> {
    let start = message.find("ORA-")?;
    let code: String = message[start..].chars().take(9).collect();
    (code.len() == 9 && code[4..].chars().all(|character| character.is_ascii_digit())).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oracle_and_postgres_codes_become_hints() {
        assert!(repair_hint(Some("ORA-00942"), "table or view does not exist").contains("does not exist"));
        assert!(repair_hint(Some("ORA-00904"), "\"MONTANT\": invalid identifier").contains("column MONTANT"));
        assert!(repair_hint(Some("42703"), "column \"montant\" does not exist").contains("column montant"));
        assert_eq!(oracle_code("ORA-00942: table or view does not exist"), Some("ORA-00942".to_owned()));
        assert_eq!(oracle_code("DPI-1047: no client"), None);
    }

    #[test]
    fn sqlite_messages_become_hints() {
        assert!(repair_hint(None, "no such column: T1.montant").contains("column T1.montant does not exist"));
        assert!(repair_hint(None, "no such table: CLIENT").contains("table CLIENT does not exist"));
        assert!(repair_hint(None, "near \"FORM\": syntax error").contains("refused the query"));
    }
}
