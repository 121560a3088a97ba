//! Oracle's data dictionary: the queries on ALL_TABLES, ALL_VIEWS, ALL_TAB_COLUMNS, ALL_CONSTRAINTS,
//! ALL_CONS_COLUMNS, ALL_TAB_COMMENTS and ALL_COL_COMMENTS, and the pure mapping of their rows into the catalog.
//!
//! The mapping is unit-tested without a database; the queries run only against a live Oracle.

use std::collections::HashMap;

use crate::catalog::{Column, ForeignKey, Table, TableKind};

/// Returns `IN (:1, :2, …)` for `count` bind variables (owners are bound, never spliced in).
pub(crate) fn in_list(count: usize) -> String {
    let binds: Vec<String> = (1..=count.max(1)).map(|index| format!(":{index}")).collect();
    format!("IN ({})", binds.join(", "))
}

/// Tables (with NUM_ROWS) and views of the given owners, with their comments.
pub(crate) fn relations_sql(owners: usize) -> String {
    let owners = in_list(owners);
    format!(
        "SELECT t.OWNER, t.TABLE_NAME, 'TABLE', t.NUM_ROWS, c.COMMENTS \
         FROM ALL_TABLES t LEFT JOIN ALL_TAB_COMMENTS c ON c.OWNER = t.OWNER AND c.TABLE_NAME = t.TABLE_NAME \
         WHERE t.OWNER {owners} AND t.NESTED = 'NO' AND t.SECONDARY = 'N' AND t.TABLE_NAME NOT LIKE 'BIN$%' \
         UNION ALL \
         SELECT v.OWNER, v.VIEW_NAME, 'VIEW', NULL, c.COMMENTS \
         FROM ALL_VIEWS v LEFT JOIN ALL_TAB_COMMENTS c ON c.OWNER = v.OWNER AND c.TABLE_NAME = v.VIEW_NAME \
         WHERE v.OWNER {owners} \
         ORDER BY 1, 2"
    )
}

/// Columns of the given owners' tables and views, with their comments, in COLUMN_ID order.
pub(crate) fn columns_sql(owners: usize) -> String {
    format!(
        "SELECT c.OWNER, c.TABLE_NAME, c.COLUMN_NAME, c.DATA_TYPE, c.DATA_LENGTH, c.CHAR_LENGTH, \
                c.DATA_PRECISION, c.DATA_SCALE, c.NULLABLE, m.COMMENTS \
         FROM ALL_TAB_COLUMNS c LEFT JOIN ALL_COL_COMMENTS m \
           ON m.OWNER = c.OWNER AND m.TABLE_NAME = c.TABLE_NAME AND m.COLUMN_NAME = c.COLUMN_NAME \
         WHERE c.OWNER {} ORDER BY c.OWNER, c.TABLE_NAME, c.COLUMN_ID",
        in_list(owners)
    )
}

/// Primary and foreign key columns, with the referenced table and column at the same position.
pub(crate) fn constraints_sql(owners: usize) -> String {
    format!(
        "SELECT c.OWNER, c.TABLE_NAME, c.CONSTRAINT_NAME, c.CONSTRAINT_TYPE, cc.COLUMN_NAME, \
                r.OWNER, r.TABLE_NAME, rc.COLUMN_NAME \
         FROM ALL_CONSTRAINTS c \
         JOIN ALL_CONS_COLUMNS cc ON cc.OWNER = c.OWNER AND cc.CONSTRAINT_NAME = c.CONSTRAINT_NAME \
         LEFT JOIN ALL_CONSTRAINTS r ON r.OWNER = c.R_OWNER AND r.CONSTRAINT_NAME = c.R_CONSTRAINT_NAME \
         LEFT JOIN ALL_CONS_COLUMNS rc ON rc.OWNER = r.OWNER AND rc.CONSTRAINT_NAME = r.CONSTRAINT_NAME \
           AND rc.POSITION = cc.POSITION \
         WHERE c.OWNER {} AND c.CONSTRAINT_TYPE IN ('P', 'R') AND c.STATUS = 'ENABLED' \
         ORDER BY c.OWNER, c.TABLE_NAME, c.CONSTRAINT_NAME, cc.POSITION",
        in_list(owners)
    )
}

/// A row of [`relations_sql`]: owner, name, `TABLE` or `VIEW`, NUM_ROWS, comment.
pub(crate) type RelationRow = (String, String, String, Option<u64>, Option<String>);

/// A row of [`columns_sql`]: owner, table, column, type, length, char length, precision, scale, nullable, comment.
pub(crate) type ColumnRow =
    (String, String, String, String, Option<u32>, Option<u32>, Option<u32>, Option<i32>, String, Option<String>);

/// A row of [`constraints_sql`]: owner, table, constraint, `P` or `R`, column, referenced owner, table, column.
pub(crate) type ConstraintRow =
    (String, String, String, String, String, Option<String>, Option<String>, Option<String>);

/// Renders a column type the way Oracle's DDL spells it (`NUMBER(12,2)`, `VARCHAR2(30)`, `DATE`).
pub(crate) fn render_type(
    data_type: &str,
    length: Option<u32>,
    char_length: Option<u32>,
    precision: Option<u32>,
    scale: Option<i32>,
) -> String {
    match data_type {
        "NUMBER" => match (precision, scale) {
            (Some(precision), Some(0)) => format!("NUMBER({precision})"),
            (Some(precision), Some(scale)) => format!("NUMBER({precision},{scale})"),
            (None, Some(0)) => "INTEGER".to_owned(),
            _ => "NUMBER".to_owned(),
        },
        "VARCHAR2" | "NVARCHAR2" | "CHAR" | "NCHAR" => {
            let size = char_length.filter(|size| *size > 0).or(length).unwrap_or_default();
            format!("{data_type}({size})")
        }
        "RAW" => format!("RAW({})", length.unwrap_or_default()),
        other => other.to_owned(),
    }
}

/// Assembles dictionary rows into tables, in the order of `relations`.
pub(crate) fn assemble(
    relations: Vec<RelationRow>,
    columns: Vec<ColumnRow>,
    constraints: Vec<ConstraintRow>,
) -> Vec<Table> {
    let mut positions: HashMap<(String, String), usize> = HashMap::with_capacity(relations.len());
    let mut tables: Vec<Table> = Vec::with_capacity(relations.len());
    for (owner, name, kind, num_rows, comment) in relations {
        positions.insert((owner.clone(), name.clone()), tables.len());
        tables.push(Table {
            schema: Some(owner),
            name,
            kind: if kind == "VIEW" { TableKind::View } else { TableKind::Table },
            comment: comment.filter(|text| !text.trim().is_empty()),
            row_estimate: num_rows,
            ..Table::default()
        });
    }
    for (owner, table, name, data_type, length, char_length, precision, scale, nullable, comment) in columns {
        let Some(&position) = positions.get(&(owner, table)) else { continue };
        tables[position].columns.push(Column {
            name,
            data_type: render_type(&data_type, length, char_length, precision, scale),
            nullable: nullable == "Y",
            comment: comment.filter(|text| !text.trim().is_empty()),
            ..Column::default()
        });
    }
    let mut current: Option<(usize, String)> = None;
    for (owner, table, constraint, kind, column, referenced_owner, referenced_table, referenced_column) in constraints {
        let Some(&position) = positions.get(&(owner, table)) else { continue };
        let table = &mut tables[position];
        let same_constraint = current.as_ref().is_some_and(|(at, name)| *at == position && *name == constraint);
        match kind.as_str() {
            "P" => table.primary_key.push(column),
            "R" => {
                let Some(referenced_table) = referenced_table else { continue };
                if !same_constraint {
                    table.foreign_keys.push(ForeignKey {
                        referenced_schema: referenced_owner,
                        referenced_table,
                        ..ForeignKey::default()
                    });
                }
                if let Some(key) = table.foreign_keys.last_mut() {
                    key.columns.push(column);
                    key.referenced_columns.extend(referenced_column);
                }
            }
            _ => {}
        }
        current = Some((position, constraint));
    }
    tables
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> String {
        value.to_owned()
    }

    #[test]
    fn render_type_spells_types_like_oracle_ddl() {
        assert_eq!(render_type("NUMBER", Some(22), None, Some(12), Some(2)), "NUMBER(12,2)");
        assert_eq!(render_type("NUMBER", Some(22), None, Some(10), Some(0)), "NUMBER(10)");
        assert_eq!(render_type("NUMBER", Some(22), None, None, Some(0)), "INTEGER");
        assert_eq!(render_type("NUMBER", Some(22), None, None, None), "NUMBER");
        assert_eq!(render_type("VARCHAR2", Some(120), Some(30), None, None), "VARCHAR2(30)");
        assert_eq!(render_type("DATE", Some(7), None, None, None), "DATE");
    }

    #[test]
    fn in_list_numbers_one_bind_per_owner() {
        assert_eq!(in_list(3), "IN (:1, :2, :3)");
        assert_eq!(in_list(0), "IN (:1)");
        assert!(relations_sql(2).contains("t.OWNER IN (:1, :2)") && relations_sql(2).contains("v.OWNER IN (:1, :2)"));
    }

    #[test]
    fn assemble_maps_dictionary_rows_to_tables_columns_and_keys() {
        let relations = vec![
            (text("DWH"), text("CLIENTS"), text("TABLE"), Some(5000), Some(text("Clients"))),
            (text("DWH"), text("CONTRATS"), text("TABLE"), None, Some(text(" "))),
            (text("DWH"), text("V_ACTIFS"), text("VIEW"), None, None),
        ];
        let columns = vec![
            (
                text("DWH"),
                text("CLIENTS"),
                text("ID_CLIENT"),
                text("NUMBER"),
                Some(22),
                None,
                Some(10),
                Some(0),
                text("N"),
                None,
            ),
            (
                text("DWH"),
                text("CLIENTS"),
                text("VILLE"),
                text("VARCHAR2"),
                Some(80),
                Some(80),
                None,
                None,
                text("Y"),
                Some(text("Ville")),
            ),
            (
                text("DWH"),
                text("CONTRATS"),
                text("ID_CONTRAT"),
                text("NUMBER"),
                Some(22),
                None,
                Some(10),
                Some(0),
                text("N"),
                None,
            ),
            (
                text("DWH"),
                text("CONTRATS"),
                text("ID_CLIENT"),
                text("NUMBER"),
                Some(22),
                None,
                Some(10),
                Some(0),
                text("N"),
                None,
            ),
            (text("OTHER"), text("IGNORED"), text("X"), text("DATE"), Some(7), None, None, None, text("Y"), None),
        ];
        let constraints = vec![
            (text("DWH"), text("CLIENTS"), text("PK_CLIENTS"), text("P"), text("ID_CLIENT"), None, None, None),
            (
                text("DWH"),
                text("CONTRATS"),
                text("FK_CTR_CLI"),
                text("R"),
                text("ID_CLIENT"),
                Some(text("DWH")),
                Some(text("CLIENTS")),
                Some(text("ID_CLIENT")),
            ),
            (text("DWH"), text("CONTRATS"), text("PK_CONTRATS"), text("P"), text("ID_CONTRAT"), None, None, None),
        ];
        let tables = assemble(relations, columns, constraints);
        assert_eq!(tables.len(), 3);
        let clients = &tables[0];
        assert_eq!((clients.qualified_name().as_str(), clients.row_estimate), ("DWH.CLIENTS", Some(5000)));
        assert_eq!(clients.columns[0].data_type, "NUMBER(10)");
        assert!(!clients.columns[0].nullable && clients.columns[1].nullable);
        assert_eq!(clients.columns[1].comment.as_deref(), Some("Ville"));
        assert_eq!(clients.primary_key, ["ID_CLIENT"]);
        let contrats = &tables[1];
        assert_eq!(contrats.comment, None, "blank comments are dropped");
        assert_eq!(contrats.primary_key, ["ID_CONTRAT"]);
        assert_eq!(contrats.foreign_keys.len(), 1);
        let key = &contrats.foreign_keys[0];
        assert_eq!(
            (key.referenced_table.as_str(), key.columns.clone(), key.referenced_columns.clone()),
            ("CLIENTS", vec![text("ID_CLIENT")], vec![text("ID_CLIENT")])
        );
        assert_eq!(tables[2].kind, TableKind::View);
    }

    #[test]
    fn assemble_keeps_composite_foreign_keys_together() {
        let relations = vec![(text("S"), text("LIGNES"), text("TABLE"), None, None)];
        let constraints = vec![
            (
                text("S"),
                text("LIGNES"),
                text("FK_A"),
                text("R"),
                text("C1"),
                Some(text("S")),
                Some(text("P")),
                Some(text("K1")),
            ),
            (
                text("S"),
                text("LIGNES"),
                text("FK_A"),
                text("R"),
                text("C2"),
                Some(text("S")),
                Some(text("P")),
                Some(text("K2")),
            ),
            (
                text("S"),
                text("LIGNES"),
                text("FK_B"),
                text("R"),
                text("C3"),
                Some(text("S")),
                Some(text("Q")),
                Some(text("K3")),
            ),
        ];
        let tables = assemble(relations, Vec::new(), constraints);
        let keys = &tables[0].foreign_keys;
        assert_eq!(keys.len(), 2);
        assert_eq!(keys[0].columns, ["C1", "C2"]);
        assert_eq!(keys[0].referenced_columns, ["K1", "K2"]);
        assert_eq!(keys[1].referenced_table, "Q");
    }
}
