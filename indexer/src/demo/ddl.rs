//! Renders the demo schema as DDL for Oracle, PostgreSQL or SQLite, from the one definition in `schema`.
//!
//! Oracle and PostgreSQL carry comments with `COMMENT ON TABLE` / `COMMENT ON COLUMN` statements. SQLite has no
//! comment catalogue, so its comments live inside the `CREATE TABLE` text, which SQLite keeps verbatim in
//! `sqlite_master.sql` (see the `demo` module documentation for the exact convention a reader relies on).
//! This module only builds strings; it must not run them.

use std::fmt::Write;

use super::schema::{ColumnDef, ColumnType, TableDef, tables};

/// The SQL dialects the demo schema can be rendered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Oracle Database (`NUMBER`, `VARCHAR2`, `DATE`, `COMMENT ON`).
    Oracle,
    /// PostgreSQL (`INTEGER`, `NUMERIC`, `VARCHAR`, `DATE`, `COMMENT ON`).
    Postgres,
    /// SQLite (`INTEGER`, `REAL` for amounts and rates, so that whole amounts stay decimal and `x * rate / 100`
    /// never divides integers; `TEXT` with dates as `YYYY-MM-DD`, comments as `--` inside `CREATE TABLE`).
    Sqlite,
}

impl Dialect {
    /// Returns the dialect's human name, as written in the rendered file's header.
    fn label(self) -> &'static str {
        match self {
            Self::Oracle => "Oracle",
            Self::Postgres => "PostgreSQL",
            Self::Sqlite => "SQLite",
        }
    }
}

/// Returns the whole demo schema as a DDL script in `dialect`: every table with its primary and foreign keys
/// and an index on each foreign key, in load order, followed (Oracle, PostgreSQL) by the comments.
pub fn render_ddl(dialect: Dialect) -> String {
    let mut script = format!(
        "-- Pstral demo warehouse, {} DDL.\n\
         -- Generated from indexer/src/demo/schema.rs by indexer::demo::render_ddl: do not edit by hand.\n\
         -- Regenerate with: PSTRAL_BLESS=1 cargo test -p indexer demo\n",
        dialect.label()
    );
    for table in tables() {
        script.push('\n');
        render_table(&mut script, table, dialect);
    }
    script
}

/// Appends one table's `CREATE TABLE` (and its comments) to `script`.
fn render_table(script: &mut String, table: &TableDef, dialect: Dialect) {
    let width = table.columns.iter().map(|column| column.name.len()).max().unwrap_or(0);
    match dialect {
        Dialect::Sqlite => {
            let _ = writeln!(script, "CREATE TABLE {} ( -- {}", table.name, table.comment);
        }
        Dialect::Oracle | Dialect::Postgres => {
            let _ = writeln!(script, "CREATE TABLE {} (", table.name);
        }
    }
    // Every table has a primary key constraint after its columns, so every column line ends with a comma and a
    // SQLite column comment can always follow that comma.
    for column in table.columns {
        let not_null = if column.nullable { "" } else { " NOT NULL" };
        let _ = write!(script, "    {:width$} {}{not_null},", column.name, column_type(column.column_type, dialect));
        if let (Dialect::Sqlite, Some(comment)) = (dialect, column.comment) {
            let _ = write!(script, " -- {comment}");
        }
        script.push('\n');
    }
    let _ =
        write!(script, "    CONSTRAINT {} PRIMARY KEY ({})", table.primary_key_name(), table.primary_key.join(", "));
    for key in table.foreign_keys {
        let _ = write!(
            script,
            ",\n    CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
            key.name,
            key.columns.join(", "),
            key.references,
            key.referenced_columns.join(", ")
        );
    }
    script.push_str("\n);\n");
    // Every foreign key is indexed, as a warehouse's are: a join or a correlated subquery on one is a lookup, not a
    // scan of the other table per row (seconds per gold query on the demo without them).
    for key in table.foreign_keys {
        let name = key.name.strip_prefix("FK_").unwrap_or(key.name);
        let _ = writeln!(script, "CREATE INDEX IX_{name} ON {} ({});", table.name, key.columns.join(", "));
    }
    if dialect != Dialect::Sqlite {
        render_comments(script, table);
    }
}

/// Appends the `COMMENT ON` statements of one table.
fn render_comments(script: &mut String, table: &TableDef) {
    let _ = writeln!(script, "COMMENT ON TABLE {} IS '{}';", table.name, quote(table.comment));
    for ColumnDef { name, comment, .. } in table.columns {
        if let Some(comment) = comment {
            let _ = writeln!(script, "COMMENT ON COLUMN {}.{name} IS '{}';", table.name, quote(comment));
        }
    }
}

/// Returns the SQL type of a column in `dialect`.
fn column_type(column_type: ColumnType, dialect: Dialect) -> String {
    match (dialect, column_type) {
        (Dialect::Oracle, ColumnType::Integer(precision)) => format!("NUMBER({precision})"),
        (Dialect::Oracle, ColumnType::Decimal(precision, scale)) => format!("NUMBER({precision},{scale})"),
        (Dialect::Oracle, ColumnType::Varchar(length)) => format!("VARCHAR2({length})"),
        // Oracle identifiers are NUMBER(10); the demo's values all fit a 32-bit INTEGER.
        (Dialect::Postgres, ColumnType::Integer(precision)) if precision <= 10 => "INTEGER".to_owned(),
        (Dialect::Postgres, ColumnType::Integer(_)) => "BIGINT".to_owned(),
        (Dialect::Postgres, ColumnType::Decimal(precision, scale)) => format!("NUMERIC({precision},{scale})"),
        (Dialect::Postgres, ColumnType::Varchar(length)) => format!("VARCHAR({length})"),
        (Dialect::Oracle | Dialect::Postgres, ColumnType::Date) => "DATE".to_owned(),
        (Dialect::Sqlite, ColumnType::Integer(_)) => "INTEGER".to_owned(),
        (Dialect::Sqlite, ColumnType::Decimal(..)) => "REAL".to_owned(),
        (Dialect::Sqlite, ColumnType::Varchar(_) | ColumnType::Date) => "TEXT".to_owned(),
    }
}

/// Returns `text` with its single quotes doubled, ready to sit between quotes in a SQL literal.
fn quote(text: &str) -> String {
    text.replace('\'', "''")
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    /// The committed renderings, relative to the workspace root.
    const GOLDEN_FILES: [(Dialect, &str); 3] = [
        (Dialect::Oracle, "deploy/demo/oracle.sql"),
        (Dialect::Postgres, "deploy/demo/postgres.sql"),
        (Dialect::Sqlite, "deploy/demo/sqlite.sql"),
    ];

    fn workspace_path(relative: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(relative)
    }

    #[test]
    fn committed_ddl_files_match_the_renderer() {
        let bless = std::env::var("PSTRAL_BLESS").is_ok_and(|value| value == "1");
        let mut stale = Vec::new();
        for (dialect, relative) in GOLDEN_FILES {
            let path = workspace_path(relative);
            let expected = render_ddl(dialect);
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            if committed == expected {
                continue;
            }
            if bless {
                std::fs::write(&path, expected)
                    .unwrap_or_else(|error| panic!("cannot write {}: {error}", path.display()));
            } else {
                stale.push(relative);
            }
        }
        assert!(
            stale.is_empty(),
            "{stale:?} differ from render_ddl's output; rerun with PSTRAL_BLESS=1 to rewrite them, then review the diff"
        );
    }

    #[test]
    fn oracle_ddl_uses_oracle_types_and_doubles_quotes_in_comments() {
        let ddl = render_ddl(Dialect::Oracle);
        assert!(ddl.contains("CREATE TABLE CLIENTS (\n"));
        assert!(ddl.contains("ID_CLIENT      NUMBER(10) NOT NULL,"));
        assert!(ddl.contains("VARCHAR2(100)"));
        assert!(ddl.contains("NUMBER(12,2)"));
        assert!(ddl.contains("CONSTRAINT PK_CLIENTS PRIMARY KEY (ID_CLIENT)"));
        assert!(ddl.contains(
            "CONSTRAINT FK_SINISTRES_CTRGAR FOREIGN KEY (ID_CONTRAT, ID_GARANTIE) REFERENCES CONTRATS_GARANTIES (ID_CONTRAT, ID_GARANTIE)"
        ));
        assert!(ddl.contains("CREATE INDEX IX_SINISTRES_CTRGAR ON SINISTRES (ID_CONTRAT, ID_GARANTIE);"));
        assert!(ddl.contains("COMMENT ON COLUMN CONTRATS.DT_EFF IS 'Date d''effet initiale du contrat';"));
        assert!(ddl.lines().skip(3).all(|line| !line.contains("--")), "no SQLite-style comments leak into Oracle DDL");
    }

    #[test]
    fn postgres_ddl_uses_postgres_types() {
        let ddl = render_ddl(Dialect::Postgres);
        assert!(ddl.contains(" INTEGER NOT NULL,"));
        assert!(ddl.contains("    ID_QUITTANCE   BIGINT NOT NULL,"));
        assert!(ddl.contains("NUMERIC(12,2)") && ddl.contains("VARCHAR(100)"));
        assert!(!ddl.contains("VARCHAR2") && !ddl.contains("NUMBER("));
        assert!(ddl.contains("COMMENT ON TABLE CLIENTS IS 'Clients souscripteurs"));
    }

    #[test]
    fn sqlite_ddl_keeps_comments_on_the_lines_they_describe() {
        let ddl = render_ddl(Dialect::Sqlite);
        assert!(ddl.contains("CREATE TABLE CLIENTS ( -- Clients souscripteurs"));
        assert!(ddl.contains("    DT_EFF           TEXT NOT NULL, -- Date d'effet initiale du contrat\n"));
        assert!(ddl.contains("    TEL_PORTABLE   TEXT,\n"), "a column without a comment has no trailing --");
        assert!(!ddl.contains("COMMENT ON") && !ddl.contains("VARCHAR"));
        for line in ddl.lines().filter(|line| line.starts_with("    CONSTRAINT")) {
            assert!(!line.contains("--"), "constraint lines carry no comment: {line}");
        }
    }
}
