//! SQLite introspection: `sqlite_master`, `pragma_table_info`, `pragma_foreign_key_list`, and comments read back
//! from the `CREATE TABLE` text (SQLite keeps it verbatim).
//!
//! Comment convention (the demo warehouse's DDL follows it; any SQLite file written the same way is read too):
//! a `-- ` comment on the `CREATE TABLE … (` line is the table's comment; a `-- ` comment at the end of a line
//! that defines a column is that column's comment.

use sqlx::SqlitePool;

use crate::IndexerError;
use crate::catalog::{Column, ForeignKey, Table, TableKind};

/// Reads every table and view of a SQLite database.
pub(crate) async fn introspect(pool: &SqlitePool) -> Result<Vec<Table>, IndexerError> {
    let relations: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT name, type, sql FROM sqlite_master \
         WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .map_err(|source| IndexerError::Query { action: "listing sqlite tables", source })?;
    let mut tables = Vec::with_capacity(relations.len());
    for (name, kind, sql) in relations {
        let columns: Vec<(String, String, i64, i64)> =
            sqlx::query_as("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1) ORDER BY cid")
                .bind(&name)
                .fetch_all(pool)
                .await
                .map_err(|source| IndexerError::Query { action: "reading sqlite columns", source })?;
        let keys: Vec<(i64, i64, String, String, Option<String>)> = sqlx::query_as(
            "SELECT id, seq, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .map_err(|source| IndexerError::Query { action: "reading sqlite foreign keys", source })?;
        let column_names: Vec<&str> = columns.iter().map(|(column, ..)| column.as_str()).collect();
        let comments = parse_comments(sql.as_deref().unwrap_or_default(), &column_names);
        let mut primary_key: Vec<(i64, String)> =
            columns.iter().filter(|(.., pk)| *pk > 0).map(|(column, .., pk)| (*pk, column.clone())).collect();
        primary_key.sort();
        tables.push(Table {
            schema: None,
            kind: if kind == "view" { TableKind::View } else { TableKind::Table },
            comment: comments.table,
            columns: columns
                .iter()
                .map(|(column, data_type, not_null, _)| Column {
                    name: column.clone(),
                    data_type: data_type.clone(),
                    nullable: *not_null == 0,
                    comment: comments.columns.iter().find(|(name, _)| name == column).map(|(_, text)| text.clone()),
                    ..Column::default()
                })
                .collect(),
            primary_key: primary_key.into_iter().map(|(_, column)| column).collect(),
            foreign_keys: group_foreign_keys(keys),
            row_estimate: None,
            description: None,
            name,
        });
    }
    Ok(tables)
}

/// Groups `pragma_foreign_key_list` rows by constraint id. A missing `to` means the parent's primary key, which
/// SQLite leaves implicit; the referencing column names stand in for it.
fn group_foreign_keys(rows: Vec<(i64, i64, String, String, Option<String>)>) -> Vec<ForeignKey> {
    let mut keys: Vec<(i64, ForeignKey)> = Vec::new();
    for (id, _seq, parent, from, to) in rows {
        let to = to.unwrap_or_else(|| from.clone());
        match keys.iter_mut().find(|(key_id, _)| *key_id == id) {
            Some((_, key)) => {
                key.columns.push(from);
                key.referenced_columns.push(to);
            }
            None => keys.push((
                id,
                ForeignKey {
                    columns: vec![from],
                    referenced_schema: None,
                    referenced_table: parent,
                    referenced_columns: vec![to],
                },
            )),
        }
    }
    keys.into_iter().map(|(_, key)| key).collect()
}

/// Comments found in a `CREATE TABLE` text.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Comments {
    pub table: Option<String>,
    pub columns: Vec<(String, String)>,
}

/// Reads the table and column comments out of a `CREATE TABLE` text, following the module's convention.
pub(crate) fn parse_comments(sql: &str, column_names: &[&str]) -> Comments {
    let mut comments = Comments::default();
    for (index, line) in sql.lines().enumerate() {
        let Some((code, comment)) = split_line_comment(line) else { continue };
        let comment = comment.trim();
        if comment.is_empty() {
            continue;
        }
        if index == 0 || code.to_ascii_uppercase().contains("CREATE TABLE") {
            comments.table.get_or_insert_with(|| comment.to_owned());
            continue;
        }
        let first = code.trim_start().split(|c: char| c.is_whitespace() || c == ',').next().unwrap_or_default();
        let first = first.trim_matches(|c| matches!(c, '"' | '`' | '[' | ']'));
        if let Some(column) = column_names.iter().find(|name| name.eq_ignore_ascii_case(first)) {
            comments.columns.push(((*column).to_owned(), comment.to_owned()));
        }
    }
    comments
}

/// Splits a line at its first `--` that is not inside a quoted string or identifier.
fn split_line_comment(line: &str) -> Option<(&str, &str)> {
    let mut quote: Option<char> = None;
    let mut previous_dash = false;
    for (index, character) in line.char_indices() {
        match quote {
            Some(open) if character == open => quote = None,
            Some(_) => {}
            None if matches!(character, '\'' | '"' | '`') => quote = Some(character),
            None if character == '-' && previous_dash => return Some((&line[..index - 1], &line[index + 1..])),
            None => {}
        }
        previous_dash = quote.is_none() && character == '-' && !previous_dash;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQL: &str = "CREATE TABLE CONTRATS ( -- Contrats d'assurance souscrits\n    \
        ID_CONTRAT INTEGER NOT NULL, -- Identifiant du contrat\n    \
        \"DT_EFF\" TEXT NOT NULL, -- Date d'effet -- au format AAAA-MM-JJ\n    \
        LB_NOTE TEXT DEFAULT 'a -- b',\n    \
        CD_STATUT TEXT -- Code statut du contrat\n    \
        , PRIMARY KEY (ID_CONTRAT) -- not a column\n)";

    #[test]
    fn comments_are_read_back_from_the_create_table_text() {
        let comments = parse_comments(SQL, &["ID_CONTRAT", "DT_EFF", "LB_NOTE", "CD_STATUT"]);
        assert_eq!(comments.table.as_deref(), Some("Contrats d'assurance souscrits"));
        assert_eq!(
            comments.columns,
            [
                ("ID_CONTRAT".to_owned(), "Identifiant du contrat".to_owned()),
                ("DT_EFF".to_owned(), "Date d'effet -- au format AAAA-MM-JJ".to_owned()),
                ("CD_STATUT".to_owned(), "Code statut du contrat".to_owned()),
            ]
        );
    }

    #[test]
    fn dashes_inside_strings_are_not_comments() {
        assert_eq!(split_line_comment("x TEXT DEFAULT 'a -- b',"), None);
        assert_eq!(split_line_comment("a - b -- c"), Some(("a - b ", " c")));
    }

    #[test]
    fn a_table_without_comments_has_none() {
        let comments = parse_comments("CREATE TABLE t (a INTEGER, b TEXT)", &["a", "b"]);
        assert_eq!(comments, Comments::default());
    }
}
