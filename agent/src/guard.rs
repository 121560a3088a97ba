//! The SQL guard: a read-only policy checked on sqlparser's syntax tree, in the warehouse's dialect.
//!
//! Allowed: exactly one query (SELECT, WITH … SELECT, set operations) and nothing else. Refused, each with the
//! rule that fired: anything unparsable, several statements, any other statement, SELECT INTO, FOR UPDATE, DML
//! hidden in a CTE or subquery, database links, calls to packages that act (DBMS_*, UTL_*, a configurable deny
//! list, sequences advanced by `NEXTVAL` / `nextval()` / `setval()`), tables unknown to the catalog or outside the
//! user's grant, and columns the user is not cleared for (`columns.rs`).
//! An allowed verdict carries the only [`CheckedStatement`] the warehouse door (`crate::warehouse`) accepts.
//! What it cannot see — a function's side effects — is why the warehouse account must be read-only.

mod checked;
mod columns;
mod policy;
mod walk;

use serde::{Deserialize, Serialize};
use sqlparser::dialect::{Dialect as ParserDialect, OracleDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;

pub use checked::CheckedStatement;
pub use policy::GuardPolicy;

/// The SQL dialect a statement is checked in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// Oracle Database.
    Oracle,
    /// PostgreSQL.
    Postgres,
    /// SQLite.
    Sqlite,
}

impl From<indexer::catalog::Engine> for Dialect {
    fn from(engine: indexer::catalog::Engine) -> Self {
        match engine {
            indexer::catalog::Engine::Oracle => Self::Oracle,
            indexer::catalog::Engine::Postgres => Self::Postgres,
            indexer::catalog::Engine::Sqlite => Self::Sqlite,
        }
    }
}

/// The rule a verdict rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Every rule passed.
    Allowed,
    /// There is no statement.
    Empty,
    /// The parser refused the text.
    Parse,
    /// More than one statement.
    SingleStatement,
    /// A statement other than a query (INSERT, DROP, GRANT, PL/SQL…).
    ReadOnly,
    /// `SELECT … INTO` creates or fills a table.
    SelectInto,
    /// `FOR UPDATE` / `FOR SHARE` takes row locks.
    ForUpdate,
    /// A data-changing statement inside a query (CTE, subquery).
    DmlInQuery,
    /// A database link (`table@link`).
    DbLink,
    /// A call to a denied function or package.
    DeniedFunction,
    /// A table the catalog does not know.
    UnknownTable,
    /// A table the user's role may not read.
    TableNotAllowed,
    /// A sensitive column the user is not cleared for.
    SensitiveColumn,
}

impl Rule {
    /// Returns the rule's stable name (`read_only`, `db_link`…).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allowed => "allowed",
            Self::Empty => "empty",
            Self::Parse => "parse",
            Self::SingleStatement => "single_statement",
            Self::ReadOnly => "read_only",
            Self::SelectInto => "select_into",
            Self::ForUpdate => "for_update",
            Self::DmlInQuery => "dml_in_query",
            Self::DbLink => "db_link",
            Self::DeniedFunction => "denied_function",
            Self::UnknownTable => "unknown_table",
            Self::TableNotAllowed => "table_not_allowed",
            Self::SensitiveColumn => "sensitive_column",
        }
    }
}

/// The guard's answer. Only the guard builds one (a private field), so an allowed verdict's [`CheckedStatement`]
/// always comes from a check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// Whether the statement may run.
    pub allowed: bool,
    /// The rule that decided.
    pub rule: Rule,
    /// What was wrong and what to do, or a summary when allowed.
    pub message: String,
    /// Tables the statement reads (upper-cased, as written), when it parsed.
    pub tables: Vec<String>,
    /// The statement to run: the input without a trailing semicolon or an `EXPLAIN PLAN FOR` prefix.
    pub statement: String,
    /// The table the catalog does not know, when that is why the statement was refused.
    pub unknown_table: Option<String>,
    /// The statement the warehouse door accepts, when allowed.
    #[serde(skip)]
    checked: Option<CheckedStatement>,
}

impl Verdict {
    fn refuse(rule: Rule, message: impl Into<String>, statement: &str) -> Self {
        Self {
            allowed: false,
            rule,
            message: message.into(),
            tables: Vec::new(),
            statement: statement.to_owned(),
            unknown_table: None,
            checked: None,
        }
    }

    /// The statement to hand to `crate::warehouse`, when the guard allowed it.
    pub fn checked(&self) -> Option<&CheckedStatement> {
        self.checked.as_ref()
    }
}

/// Parses `sql` with sqlparser's grammar for `dialect`.
pub fn parse(sql: &str, dialect: Dialect) -> Result<Vec<sqlparser::ast::Statement>, sqlparser::parser::ParserError> {
    Parser::parse_sql(grammar(dialect).as_ref(), sql)
}

/// sqlparser's grammar for `dialect`.
fn grammar(dialect: Dialect) -> Box<dyn ParserDialect> {
    match dialect {
        Dialect::Oracle => Box::new(OracleDialect {}),
        Dialect::Postgres => Box::new(PostgreSqlDialect {}),
        Dialect::Sqlite => Box::new(SQLiteDialect {}),
    }
}

/// Checks `sql` against `policy`.
pub fn check(sql: &str, policy: &GuardPolicy) -> Verdict {
    let statement = strip_wrappers(sql);
    if statement.trim().is_empty() {
        return Verdict::refuse(Rule::Empty, "there is no sql statement", &statement);
    }
    let parsed = match parse(&statement, policy.dialect) {
        Ok(parsed) => parsed,
        Err(error) => {
            return Verdict::refuse(
                Rule::Parse,
                format!("the statement does not parse as {:?} sql: {error}", policy.dialect),
                &statement,
            );
        }
    };
    match parsed.as_slice() {
        [] => Verdict::refuse(Rule::Empty, "there is no sql statement", &statement),
        [single] => {
            let verdict = walk::check_statement(single, policy, &statement);
            if !verdict.allowed {
                return verdict;
            }
            if let Err((rule, message)) = columns::check(single, &statement, &verdict.tables, policy) {
                return Verdict { tables: verdict.tables, ..Verdict::refuse(rule, message, &statement) };
            }
            let checked = CheckedStatement::new(&statement, &verdict.tables, policy);
            Verdict { checked: Some(checked), ..verdict }
        }
        several => Verdict::refuse(
            Rule::SingleStatement,
            format!("{} statements were given: only one query may run at a time", several.len()),
            &statement,
        ),
    }
}

/// Removes what surrounds a query without changing it: blank space, one trailing semicolon (or Oracle's `/`),
/// and an `EXPLAIN PLAN [SET STATEMENT_ID = '…'] FOR` or `EXPLAIN` prefix, which sqlparser cannot read for Oracle.
fn strip_wrappers(sql: &str) -> String {
    let mut text = sql.trim();
    for suffix in [";", "/"] {
        if let Some(stripped) = text.strip_suffix(suffix) {
            text = stripped.trim_end();
        }
    }
    let upper = text.to_ascii_uppercase();
    if upper.starts_with("EXPLAIN PLAN") {
        if let Some(position) = find_keyword(&upper, "FOR") {
            return text[position + 3..].trim().to_owned();
        }
    } else if let Some(rest) = upper.strip_prefix("EXPLAIN ").map(|_| &text[8..]) {
        return rest.trim().to_owned();
    }
    text.to_owned()
}

/// Finds `keyword` as a whole word outside quotes.
fn find_keyword(upper: &str, keyword: &str) -> Option<usize> {
    let bytes = upper.as_bytes();
    let mut in_quote = false;
    for (index, byte) in bytes.iter().enumerate() {
        if *byte == b'\'' {
            in_quote = !in_quote;
        }
        if in_quote || !upper[index..].starts_with(keyword) {
            continue;
        }
        let before = index == 0 || !bytes[index - 1].is_ascii_alphanumeric();
        let after = bytes.get(index + keyword.len()).is_none_or(|next| !next.is_ascii_alphanumeric() && *next != b'_');
        if before && after {
            return Some(index);
        }
    }
    None
}

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;
