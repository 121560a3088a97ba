//! The demo warehouse's schema: the single definition every DDL rendering, the generator and the loaders read.
//!
//! The table definitions themselves live in the submodules, grouped by domain (`reference`: network and product
//! catalogue; `portfolio`: clients and contracts; `flows`: premiums and claims). Those files are mostly data
//! (French comments for every table and most columns), so they may run past the usual 400-line budget.
//! This module owns the types and the load order; it must not know about any database driver.

mod flows;
mod portfolio;
mod reference;

/// The type of a column, independent of the SQL dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// A whole number with at most this many decimal digits (Oracle `NUMBER(p)`).
    Integer(u8),
    /// A fixed-point number with a precision and a scale (Oracle `NUMBER(p,s)`). The demo only uses scale 2.
    Decimal(u8, u8),
    /// Text of at most this many bytes (Oracle `VARCHAR2(n)`).
    Varchar(u16),
    /// A calendar date without a time of day.
    Date,
}

/// One column of a demo table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnDef {
    /// The column's name, in upper case.
    pub name: &'static str,
    /// The column's type.
    pub column_type: ColumnType,
    /// Whether the column accepts `NULL`.
    pub nullable: bool,
    /// The column's French comment (Oracle `COMMENT ON COLUMN`), if it has one.
    pub comment: Option<&'static str>,
}

/// A foreign key from one demo table to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForeignKeyDef {
    /// The constraint's name (at most 30 characters, for old Oracle versions).
    pub name: &'static str,
    /// The referencing columns, in order.
    pub columns: &'static [&'static str],
    /// The referenced table.
    pub references: &'static str,
    /// The referenced columns (the parent's primary key), in the same order as `columns`.
    pub referenced_columns: &'static [&'static str],
}

/// One table of the demo warehouse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableDef {
    /// The table's name, in upper case.
    pub name: &'static str,
    /// The table's French comment (Oracle `COMMENT ON TABLE`).
    pub comment: &'static str,
    /// The columns, in order.
    pub columns: &'static [ColumnDef],
    /// The primary key's columns.
    pub primary_key: &'static [&'static str],
    /// The foreign keys.
    pub foreign_keys: &'static [ForeignKeyDef],
}

impl TableDef {
    /// Returns the position of the column called `name`, if the table has one.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|column| column.name == name)
    }

    /// Returns the name of the primary key constraint (`PK_<table>`).
    pub fn primary_key_name(&self) -> String {
        format!("PK_{}", self.name)
    }
}

/// Every table, parents before children, so rows can be inserted in this order with foreign keys enforced.
static TABLES: [TableDef; 18] = [
    reference::ADRESSES,
    reference::AGENCES,
    reference::GESTIONNAIRES,
    reference::COURTIERS,
    reference::EXPERTS,
    reference::PRODUITS,
    reference::GARANTIES,
    reference::PRODUITS_GARANTIES,
    portfolio::CLIENTS,
    portfolio::CONTRATS,
    portfolio::CONTRATS_GARANTIES,
    portfolio::AVENANTS,
    portfolio::VEHICULES,
    portfolio::BIENS_IMMOBILIERS,
    flows::QUITTANCES,
    flows::ENCAISSEMENTS,
    flows::SINISTRES,
    flows::REGLEMENTS,
];

/// Returns every table of the demo warehouse, parents before children (the order in which rows are loaded).
pub fn tables() -> &'static [TableDef] {
    &TABLES
}

/// Returns the table called `name`, if the demo warehouse has one.
pub fn table(name: &str) -> Option<&'static TableDef> {
    TABLES.iter().find(|table| table.name == name)
}

/// Shorthands that keep the table definitions readable.
mod build {
    use super::{ColumnDef, ColumnType};

    /// A technical identifier (`NUMBER(10)`).
    pub(super) const ID: ColumnType = ColumnType::Integer(10);
    /// An identifier of a high-volume table (`NUMBER(12)`).
    pub(super) const LONG_ID: ColumnType = ColumnType::Integer(12);
    /// An amount in euros with cents.
    pub(super) const AMOUNT: ColumnType = ColumnType::Decimal(12, 2);
    /// A percentage with two decimals.
    pub(super) const RATE: ColumnType = ColumnType::Decimal(5, 2);
    /// A calendar date.
    pub(super) const DATE: ColumnType = ColumnType::Date;
    /// A yes/no flag (`'O'` or `'N'`).
    pub(super) const FLAG: ColumnType = ColumnType::Varchar(1);

    /// Returns a text column type of at most `length` bytes.
    pub(super) const fn text(length: u16) -> ColumnType {
        ColumnType::Varchar(length)
    }

    /// Returns a mandatory column with a comment.
    pub(super) const fn required(name: &'static str, column_type: ColumnType, comment: &'static str) -> ColumnDef {
        ColumnDef { name, column_type, nullable: false, comment: Some(comment) }
    }

    /// Returns a nullable column with a comment.
    pub(super) const fn optional(name: &'static str, column_type: ColumnType, comment: &'static str) -> ColumnDef {
        ColumnDef { name, column_type, nullable: true, comment: Some(comment) }
    }

    /// Returns a column without a comment, as legacy schemas often have.
    pub(super) const fn bare(name: &'static str, column_type: ColumnType, nullable: bool) -> ColumnDef {
        ColumnDef { name, column_type, nullable, comment: None }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn the_schema_has_at_least_sixteen_tables_with_unique_names() {
        let names: BTreeSet<_> = tables().iter().map(|table| table.name).collect();
        assert!(names.len() >= 16);
        assert_eq!(names.len(), tables().len());
    }

    #[test]
    fn every_key_names_existing_columns_and_parents_come_first() {
        for (position, table) in tables().iter().enumerate() {
            assert!(!table.primary_key.is_empty(), "{} has no primary key", table.name);
            for column in table.primary_key {
                assert!(table.column_index(column).is_some(), "{}.{column} is not a column", table.name);
            }
            for key in table.foreign_keys {
                let parent_position = tables().iter().position(|parent| parent.name == key.references);
                let parent_position = parent_position.unwrap_or_else(|| panic!("{} references nothing", key.name));
                assert!(parent_position < position, "{} comes before its parent", key.name);
                let parent = &tables()[parent_position];
                assert_eq!(key.referenced_columns, parent.primary_key, "{} must reference the parent's key", key.name);
                for (column, referenced) in key.columns.iter().zip(key.referenced_columns) {
                    let child_type = table.columns[table.column_index(column).expect("fk column")].column_type;
                    let parent_type = parent.columns[parent.column_index(referenced).expect("pk column")].column_type;
                    assert_eq!(child_type, parent_type, "{} links columns of different types", key.name);
                }
            }
        }
    }

    #[test]
    fn identifiers_fit_old_oracle_limits_and_comments_fit_on_one_line() {
        let mut constraint_names = BTreeSet::new();
        for table in tables() {
            assert!(table.name.len() <= 30 && table.name.chars().all(|c| c.is_ascii_uppercase() || c == '_'));
            assert!(!table.comment.is_empty() && !table.comment.contains('\n'));
            assert!(constraint_names.insert(table.primary_key_name()));
            for key in table.foreign_keys {
                assert!(key.name.len() <= 30, "{} is too long", key.name);
                assert!(constraint_names.insert(key.name.to_owned()), "{} is not unique", key.name);
            }
            let mut column_names = BTreeSet::new();
            for column in table.columns {
                assert!(column.name.len() <= 30 && column_names.insert(column.name), "{}.{}", table.name, column.name);
                if let Some(comment) = column.comment {
                    assert!(!comment.is_empty() && !comment.contains('\n') && !comment.contains('\r'));
                }
                if let ColumnType::Decimal(_, scale) = column.column_type {
                    assert_eq!(scale, 2, "the generator stores decimals as cents");
                }
            }
        }
    }

    #[test]
    fn most_columns_have_a_comment() {
        let columns: Vec<_> = tables().iter().flat_map(|table| table.columns).collect();
        let commented = columns.iter().filter(|column| column.comment.is_some()).count();
        assert!(commented * 10 >= columns.len() * 8, "{commented} of {} columns have a comment", columns.len());
    }
}
