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
        sqlx::Error::Database(database) => Ok(DryRun::Refused(SqlError::from_engine(
            database.code().map(|code| code.into_owned()),
            database.message().to_owned(),
        ))),
        _ => Err(IndexerError::Query { action, source: error }),
    }
}

/// A statement the warehouse refused, with the kind of mistake and what the model should change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SqlError {
    /// The engine's code (`ORA-00942`, `42P01`), when it gave one.
    pub code: Option<String>,
    /// The engine's message.
    pub message: String,
    /// What to change, worded for the model.
    pub hint: String,
    /// The kind of mistake, read from the engine's code (or SQLite's message), with the name it concerns.
    #[serde(default)]
    pub kind: SqlErrorKind,
}

/// The kinds of mistakes the repairs act on; the engines' codes and messages are read here, once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SqlErrorKind {
    /// A column that does not exist, as the query wrote it (`T1.MONTANT`), without quotes.
    UnknownColumn {
        /// The reference.
        name: String,
    },
    /// A table that does not exist, as the query wrote it, when the engine names it.
    UnknownTable {
        /// The table.
        name: Option<String>,
    },
    /// A column name that several tables of the query hold.
    AmbiguousColumn,
    /// A selected column neither aggregated nor grouped.
    Grouping,
    /// A syntax error.
    Syntax,
    /// A text compared with a number.
    TypeMismatch,
    /// The engine's own statement timeout.
    Timeout,
    /// Anything else.
    #[default]
    Other,
}

impl SqlError {
    /// Classifies an engine's error and words its hint.
    pub fn from_engine(code: Option<String>, message: String) -> Self {
        let kind = SqlErrorKind::classify(code.as_deref(), &message);
        let hint = kind.hint(&message);
        Self { code, message, hint, kind }
    }
}

impl SqlErrorKind {
    /// Reads the kind from the engine's code (Oracle `ORA-`, PostgreSQL SQLSTATE) or SQLite's message.
    pub fn classify(code: Option<&str>, message: &str) -> Self {
        let lower = message.to_lowercase();
        // SQLite's messages are lower case already: the marker is looked up in the message itself, whose byte
        // offsets a lower-cased copy may not keep.
        let after = |marker: &str| message.find(marker).and_then(|at| name(&message[at + marker.len()..]));
        let column = |name: Option<String>| name.map_or(Self::Other, |name| Self::UnknownColumn { name });
        match code.unwrap_or_default() {
            "ORA-00942" | "42P01" => Self::UnknownTable { name: between(message, "relation ", " does not exist") },
            "ORA-00904" => column(
                message
                    .split(": invalid identifier")
                    .next()
                    .and_then(|text| name(text.rsplit("ORA-00904:").next().unwrap_or(text))),
            ),
            "42703" => column(between(message, "column ", " does not exist")),
            "ORA-00918" | "42702" => Self::AmbiguousColumn,
            "ORA-00979" | "42803" => Self::Grouping,
            "ORA-00933" | "ORA-00923" | "ORA-00936" | "42601" => Self::Syntax,
            "ORA-01722" | "22P02" | "42883" => Self::TypeMismatch,
            "ORA-01013" | "57014" => Self::Timeout,
            _ if lower.contains("no such table") => Self::UnknownTable { name: after("no such table:") },
            _ if lower.contains("no such column") => column(after("no such column:")),
            _ if lower.contains("ambiguous column") => Self::AmbiguousColumn,
            _ if lower.contains("syntax error") => Self::Syntax,
            _ if lower.contains("interrupted") => Self::Timeout,
            _ => Self::Other,
        }
    }

    /// The hint the model reads.
    pub fn hint(&self, message: &str) -> String {
        match self {
            Self::UnknownTable { name: Some(name) } => {
                format!("table {name} does not exist: use only the tables of the schema above")
            }
            Self::UnknownTable { name: None } => {
                "a table does not exist: use only the tables of the schema above".to_owned()
            }
            Self::UnknownColumn { name } => {
                format!("column {name} does not exist: use only the columns listed for each table")
            }
            Self::AmbiguousColumn => "a column name is ambiguous: prefix every column with its table alias".to_owned(),
            Self::Grouping => "every selected column that is not aggregated must be in GROUP BY".to_owned(),
            Self::Syntax => format!("the SQL syntax is wrong ({message}): write one valid SELECT"),
            Self::TypeMismatch => {
                "a text is compared with a number: compare columns with values of their type".to_owned()
            }
            Self::Timeout => {
                "the query ran too long: filter earlier, avoid correlated subqueries, aggregate once".to_owned()
            }
            Self::Other => format!("the warehouse refused the query ({message}): correct it"),
        }
    }
}

/// A name without its quotes and surrounding blanks (`"T1"."MONTANT"` → `T1.MONTANT`); `None` when empty or when
/// it has spaces (not a name).
fn name(text: &str) -> Option<String> {
    let name = text.replace(['"', '`', '\''], "").trim().trim_matches(':').trim().to_owned();
    (!name.is_empty() && !name.contains(' ')).then_some(name)
}

/// The name in `message` between `start` and `end`.
fn between(message: &str, start: &str, end: &str) -> Option<String> {
    let from = message.find(start)? + start.len();
    let to = message[from..].find(end)? + from;
    name(&message[from..to])
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
    fn oracle_and_postgres_codes_become_kinds_and_hints() {
        let oracle =
            SqlError::from_engine(Some("ORA-00904".into()), "ORA-00904: \"T1\".\"MONTANT\": invalid identifier".into());
        assert_eq!(oracle.kind, SqlErrorKind::UnknownColumn { name: "T1.MONTANT".into() });
        assert!(oracle.hint.contains("column T1.MONTANT does not exist"), "{}", oracle.hint);
        let postgres = SqlError::from_engine(Some("42703".into()), "column \"montant\" does not exist".into());
        assert_eq!(postgres.kind, SqlErrorKind::UnknownColumn { name: "montant".into() });
        let table = SqlError::from_engine(Some("42P01".into()), "relation \"clients_x\" does not exist".into());
        assert_eq!(table.kind, SqlErrorKind::UnknownTable { name: Some("clients_x".into()) });
        let missing = SqlError::from_engine(Some("ORA-00942".into()), "table or view does not exist".into());
        assert_eq!(missing.kind, SqlErrorKind::UnknownTable { name: None });
        assert_eq!(
            SqlErrorKind::classify(Some("57014"), "canceling statement due to statement timeout"),
            SqlErrorKind::Timeout
        );
        assert_eq!(
            SqlErrorKind::classify(Some("42702"), "column reference \"id\" is ambiguous"),
            SqlErrorKind::AmbiguousColumn
        );
        assert_eq!(oracle_code("ORA-00942: table or view does not exist"), Some("ORA-00942".to_owned()));
        assert_eq!(oracle_code("DPI-1047: no client"), None);
    }

    #[test]
    fn sqlite_messages_become_kinds_and_hints() {
        let column = SqlError::from_engine(None, "no such column: T1.montant".into());
        assert_eq!(column.kind, SqlErrorKind::UnknownColumn { name: "T1.montant".into() });
        assert!(column.hint.contains("column T1.montant does not exist"));
        let table = SqlError::from_engine(None, "no such table: CLIENT".into());
        assert_eq!(table.kind, SqlErrorKind::UnknownTable { name: Some("CLIENT".into()) });
        let syntax = SqlError::from_engine(None, "near \"FORM\": syntax error".into());
        assert_eq!(syntax.kind, SqlErrorKind::Syntax);
    }
}
