//! What the guard allows: the dialect, the tables that exist and those a user may read, the columns hidden from
//! them, the denied functions.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::Dialect;

/// Function and package prefixes refused in every dialect (upper case; a trailing `_` or `.` matches a prefix).
/// Oracle's acting packages are here too: PostgreSQL with the orafce extension has `UTL_FILE` and `DBMS_` ones
/// (found by the guard's property test). Sequences: Oracle's `seq.NEXTVAL` and PostgreSQL's `nextval('seq')` /
/// `setval(…)` advance a sequence — a write, whatever the account's grants.
const DENIED_EVERYWHERE: &[&str] =
    &["SLEEP", "BENCHMARK", "DBLINK", "DBLINK_EXEC", "DBMS_", "UTL_", "NEXTVAL", "SETVAL"];

/// Oracle packages that act (send mail, write files, run SQL, change the session) are refused whole.
const DENIED_ORACLE: &[&str] = &["DBMS_", "UTL_", "SYS.", "OWA_", "HTP.", "HTF.", "APEX_", "CTX_", "ORDSYS.", "XDB."];

/// PostgreSQL functions that read files, change state, sleep, or run SQL from a string.
const DENIED_POSTGRES: &[&str] = &[
    "PG_SLEEP",
    "PG_READ_FILE",
    "PG_READ_BINARY_FILE",
    "PG_LS_",
    "PG_STAT_FILE",
    "LO_",
    "PG_TERMINATE_BACKEND",
    "PG_CANCEL_BACKEND",
    "PG_RELOAD_CONF",
    "PG_ROTATE_LOGFILE",
    "SET_CONFIG",
    "PG_ADVISORY_",
    "PG_TRY_ADVISORY_",
    "QUERY_TO_XML",
    "QUERY_TO_XMLSCHEMA",
    "QUERY_TO_XML_AND_XMLSCHEMA",
    "CURSOR_TO_XML",
    "PG_NOTIFY",
    "TXID_CURRENT",
    "PG_CREATE_",
    "PG_DROP_",
    "PG_SWITCH_WAL",
    "PG_PROMOTE",
    // Found auditing what else a SELECT can change: statistics, the WAL, replication state, collations.
    "PG_STAT_RESET",
    "PG_LOGICAL_EMIT_MESSAGE",
    "PG_REPLICATION_",
    "PG_COPY_",
    "PG_IMPORT_SYSTEM_COLLATIONS",
    "PG_LOG_BACKEND_MEMORY_CONTEXTS",
];

/// SQLite functions that load code or touch files.
const DENIED_SQLITE: &[&str] = &["LOAD_EXTENSION", "WRITEFILE", "READFILE", "EDIT", "FTS3_TOKENIZER"];

/// The guard's configuration for one warehouse and one user.
#[derive(Debug, Clone)]
pub struct GuardPolicy {
    /// Dialect of the warehouse.
    pub dialect: Dialect,
    /// Tables that exist (upper-cased, `NAME` and `SCHEMA.NAME`); `None` skips the existence check. Shared: the
    /// set is built once per catalog, the policies of every user point to it.
    pub known_tables: Option<Arc<BTreeSet<String>>>,
    /// Tables the user may read (upper-cased, `NAME` or `SCHEMA.NAME`); `None` allows every known table.
    pub allowed_tables: Option<BTreeSet<String>>,
    /// Columns the user may not read (upper-cased), by table (`NAME` and `SCHEMA.NAME`, upper-cased).
    pub hidden_columns: BTreeMap<String, BTreeSet<String>>,
    /// Denied function names or prefixes (upper case), on top of the dialect's.
    pub denied_functions: Vec<String>,
    /// Whom the policy was built for (`alice (analyst)`), carried by each statement it allows; empty for tools.
    pub subject: String,
}

impl GuardPolicy {
    /// Returns a policy for `dialect` with the built-in deny list and no table or column restriction.
    pub fn new(dialect: Dialect) -> Self {
        Self {
            dialect,
            known_tables: None,
            allowed_tables: None,
            hidden_columns: BTreeMap::new(),
            denied_functions: Vec::new(),
            subject: String::new(),
        }
    }

    /// Restricts tables to those of `catalog` (each under its name and its qualified name).
    pub fn with_catalog(mut self, catalog: &indexer::catalog::Catalog) -> Self {
        let mut known = BTreeSet::new();
        for table in &catalog.tables {
            known.insert(table.name.to_uppercase());
            known.insert(table.qualified_name().to_uppercase());
        }
        self.known_tables = Some(Arc::new(known));
        self
    }

    /// The columns hidden in `table` (upper-cased, as written: `NAME` or `SCHEMA.NAME`), if any.
    pub(crate) fn hidden_columns_of(&self, table: &str) -> Option<&BTreeSet<String>> {
        let unqualified = table.rsplit('.').next().unwrap_or(table);
        self.hidden_columns
            .get(table)
            .or_else(|| self.hidden_columns.get(unqualified))
            .filter(|columns| !columns.is_empty())
    }

    /// Returns the deny-list entry matching `function` (a possibly qualified, upper-cased name), if any.
    pub(crate) fn denied(&self, function: &str) -> Option<String> {
        let dialect_list: &[&str] = match self.dialect {
            Dialect::Oracle => DENIED_ORACLE,
            Dialect::Postgres => DENIED_POSTGRES,
            Dialect::Sqlite => DENIED_SQLITE,
        };
        let builtin = DENIED_EVERYWHERE.iter().chain(dialect_list).map(|entry| (*entry).to_owned());
        let unqualified = function.rsplit('.').next().unwrap_or(function);
        builtin.chain(self.denied_functions.iter().map(|entry| entry.to_uppercase())).find(|entry| {
            let matches = |name: &str| {
                if entry.ends_with('_') || entry.ends_with('.') {
                    name.starts_with(entry.as_str())
                } else {
                    name == entry || name.starts_with(&format!("{entry}."))
                }
            };
            matches(function) || matches(unqualified) || function.split('.').any(matches)
        })
    }

    /// Returns whether `table` (upper-cased) exists, and whether the role may read it.
    pub(crate) fn table_access(&self, table: &str) -> (bool, bool) {
        let unqualified = table.rsplit('.').next().unwrap_or(table);
        if self.dialect == Dialect::Oracle && (table == "DUAL" || table == "SYS.DUAL") {
            return (true, true);
        }
        let known = self.known_tables.as_ref().is_none_or(|known| known.contains(table));
        let allowed =
            self.allowed_tables.as_ref().is_none_or(|allowed| allowed.contains(table) || allowed.contains(unqualified));
        (known, allowed)
    }
}
