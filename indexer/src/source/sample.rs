//! Value sampling: the frequent distinct values of low-cardinality text columns, so a question's literal
//! ("Paris", "auto", "résilié") links to its column. Bounded: each query reads at most `scan_rows` rows, and a
//! column with more than `max_distinct` values (names, e-mails, free text) keeps none. Sensitive columns are
//! never read.

use serde::{Deserialize, Serialize};

use crate::IndexerError;
use crate::catalog::{Column, Table};

/// Limits of value sampling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SamplingOptions {
    /// A column with more distinct values than this (in the scanned rows) keeps none.
    pub max_distinct: usize,
    /// Rows read per column at most.
    pub scan_rows: u64,
    /// Longer values are skipped (free text, not codes or names of things).
    pub max_value_chars: usize,
}

impl Default for SamplingOptions {
    fn default() -> Self {
        Self { max_distinct: 250, scan_rows: 100_000, max_value_chars: 60 }
    }
}

/// Returns whether a column is worth sampling: text-like, not sensitive.
pub(crate) fn is_candidate(column: &Column) -> bool {
    let data_type = column.data_type.to_ascii_uppercase();
    !column.sensitive
        && (data_type.contains("CHAR") || data_type.contains("TEXT") || data_type.contains("STRING"))
        && !data_type.contains("LOB")
}

/// Double-quotes an identifier read from the dictionary (embedded quotes doubled).
pub(crate) fn quote(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

/// Returns the quoted, qualified name of a table.
pub(crate) fn quoted_table(table: &Table) -> String {
    match &table.schema {
        Some(schema) => format!("{}.{}", quote(schema), quote(&table.name)),
        None => quote(&table.name),
    }
}

/// Turns `(value, count)` rows (most frequent first) into the sample to keep, or none for a high-cardinality column.
pub(crate) fn keep_values(rows: Vec<(String, i64)>, options: &SamplingOptions) -> Vec<String> {
    if rows.len() > options.max_distinct {
        return Vec::new();
    }
    rows.into_iter()
        .map(|(value, _)| value.trim().to_owned())
        .filter(|value| !value.is_empty() && value.chars().count() <= options.max_value_chars)
        .collect()
}

/// The sampling query for SQLite and PostgreSQL (`$1`: rows scanned, `$2`: distinct values fetched).
pub(crate) fn standard_sql(table: &Table, column: &Column, cast_to_text: bool) -> String {
    let name = quote(&column.name);
    let value = if cast_to_text { format!("{name}::text") } else { name.clone() };
    format!(
        "SELECT {value}, COUNT(*) FROM (SELECT {name} FROM {} LIMIT $1) sampled \
         WHERE {name} IS NOT NULL GROUP BY {name} ORDER BY 2 DESC, 1 LIMIT $2",
        quoted_table(table)
    )
}

/// The sampling query for Oracle (12c and later; `:1` rows scanned, `:2` distinct values fetched).
pub(crate) fn oracle_sql(table: &Table, column: &Column) -> String {
    let name = quote(&column.name);
    format!(
        "SELECT TO_CHAR({name}), COUNT(*) FROM (SELECT {name} FROM {} WHERE ROWNUM <= :1) \
         WHERE {name} IS NOT NULL GROUP BY {name} ORDER BY 2 DESC, 1 FETCH FIRST :2 ROWS ONLY",
        quoted_table(table)
    )
}

/// Reports a failed sample without failing the build: a column that cannot be read simply has no values.
pub(crate) fn skip(table: &Table, column: &Column, error: &IndexerError) {
    tracing::debug!(table = %table.qualified_name(), column = %column.name, %error, "value sampling skipped");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(name: &str, data_type: &str) -> Column {
        Column { name: name.into(), data_type: data_type.into(), ..Column::default() }
    }

    #[test]
    fn only_text_columns_that_are_not_sensitive_are_sampled() {
        assert!(is_candidate(&column("VILLE", "VARCHAR2(80)")));
        assert!(is_candidate(&column("ville", "text")));
        assert!(!is_candidate(&column("MT", "NUMBER(12,2)")));
        assert!(!is_candidate(&column("NOTE", "CLOB")));
        assert!(!is_candidate(&Column { sensitive: true, ..column("NOM", "VARCHAR2(80)") }));
    }

    #[test]
    fn high_cardinality_columns_keep_no_values() {
        let options = SamplingOptions { max_distinct: 2, ..SamplingOptions::default() };
        let rows = |count: usize| (0..count).map(|index| (format!("v{index}"), 1)).collect::<Vec<_>>();
        assert_eq!(keep_values(rows(2), &options), ["v0", "v1"]);
        assert!(keep_values(rows(3), &options).is_empty());
        let long = vec![("x".repeat(100), 1), (" Paris ".to_owned(), 1)];
        assert_eq!(keep_values(long, &SamplingOptions::default()), ["Paris"]);
    }

    #[test]
    fn identifiers_are_quoted_and_bounded_by_binds() {
        let table = Table { schema: Some("DWH".into()), name: "CLI\"ENTS".into(), ..Table::default() };
        let sql = standard_sql(&table, &column("VILLE", "TEXT"), false);
        assert!(sql.contains("FROM \"DWH\".\"CLI\"\"ENTS\" LIMIT $1") && sql.ends_with("LIMIT $2"), "{sql}");
        assert!(oracle_sql(&table, &column("VILLE", "VARCHAR2(80)")).contains("ROWNUM <= :1"));
    }
}
