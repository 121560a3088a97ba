//! PostgreSQL introspection from `pg_catalog`: relations, columns, keys, comments and row estimates.

use std::collections::HashMap;

use sqlx::PgPool;

use crate::IndexerError;
use crate::catalog::{Column, ForeignKey, Table, TableKind};

/// Tables and views of the schemas read; those an extension owns (orafce's `dual`, PostGIS's `spatial_ref_sys`)
/// are the extension's, not the warehouse's.
const RELATIONS: &str = "\
SELECT c.oid::int8, n.nspname::text, c.relname::text, c.relkind::text,
       obj_description(c.oid, 'pg_class'), c.reltuples::float8
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm')
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY($1))
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
  AND NOT c.relispartition
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY n.nspname, c.relname";

const COLUMNS: &str = "\
SELECT a.attrelid::int8, a.attname::text, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
       col_description(a.attrelid, a.attnum)
FROM pg_attribute a
WHERE a.attrelid = ANY($1::int8[]::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum";

const CONSTRAINTS: &str = "\
SELECT con.conrelid::int8, con.contype::text,
       ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord),
       fn.nspname::text, fc.relname::text,
       ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord)
FROM pg_constraint con
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE con.contype IN ('p', 'f') AND con.conrelid = ANY($1::int8[]::oid[])
ORDER BY con.conrelid, con.conname";

type ConstraintRow = (i64, String, Vec<String>, Option<String>, Option<String>, Vec<String>);

/// Reads the tables and views of `schemas` (every non-system schema when empty).
pub(crate) async fn introspect(pool: &PgPool, schemas: &[String]) -> Result<Vec<Table>, IndexerError> {
    let relations: Vec<(i64, String, String, String, Option<String>, f64)> = sqlx::query_as(RELATIONS)
        .bind(schemas)
        .fetch_all(pool)
        .await
        .map_err(|source| IndexerError::Query { action: "listing postgres relations", source })?;
    let oids: Vec<i64> = relations.iter().map(|(oid, ..)| *oid).collect();
    let columns: Vec<(i64, String, String, bool, Option<String>)> = sqlx::query_as(COLUMNS)
        .bind(&oids)
        .fetch_all(pool)
        .await
        .map_err(|source| IndexerError::Query { action: "reading postgres columns", source })?;
    let constraints: Vec<ConstraintRow> = sqlx::query_as(CONSTRAINTS)
        .bind(&oids)
        .fetch_all(pool)
        .await
        .map_err(|source| IndexerError::Query { action: "reading postgres constraints", source })?;

    let mut by_oid: HashMap<i64, Table> = HashMap::with_capacity(relations.len());
    for (oid, schema, name, kind, comment, tuples) in &relations {
        let table = Table {
            schema: Some(schema.clone()),
            name: name.clone(),
            kind: if matches!(kind.as_str(), "v" | "m") { TableKind::View } else { TableKind::Table },
            comment: comment.clone(),
            // reltuples is -1 for a table never analysed.
            row_estimate: (*tuples >= 0.0).then_some(*tuples as u64),
            ..Table::default()
        };
        by_oid.insert(*oid, table);
    }
    for (oid, name, data_type, nullable, comment) in columns {
        if let Some(table) = by_oid.get_mut(&oid) {
            table.columns.push(Column { name, data_type, nullable, comment, ..Column::default() });
        }
    }
    for (oid, kind, columns, referenced_schema, referenced_table, referenced_columns) in constraints {
        let Some(table) = by_oid.get_mut(&oid) else { continue };
        match (kind.as_str(), referenced_table) {
            ("p", _) => table.primary_key = columns,
            ("f", Some(referenced_table)) => {
                table.foreign_keys.push(ForeignKey { columns, referenced_schema, referenced_table, referenced_columns })
            }
            _ => {}
        }
    }
    Ok(relations.iter().filter_map(|(oid, ..)| by_oid.remove(oid)).collect())
}
