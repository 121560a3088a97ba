//! The catalog: what a warehouse holds (tables, views, columns, keys, comments, sample values), one model for
//! Oracle, PostgreSQL and SQLite, with the stewards' curated descriptions layered on top.
//!
//! Pure data: nothing here talks to a warehouse or to the index.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::source::WarehouseKind;

/// Everything the indexer knows about one warehouse.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// The engine the catalog was read from (drives the SQL dialect).
    pub engine: Option<Engine>,
    /// Tables and views, sorted by qualified name.
    pub tables: Vec<Table>,
    /// The business terms the documents define, each checked against the tables above when it was read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<Term>,
}

/// The engine a catalog was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    /// Oracle Database.
    Oracle,
    /// PostgreSQL.
    Postgres,
    /// SQLite.
    Sqlite,
}

impl From<WarehouseKind> for Engine {
    fn from(kind: WarehouseKind) -> Self {
        match kind {
            WarehouseKind::Oracle => Self::Oracle,
            WarehouseKind::Postgres => Self::Postgres,
            WarehouseKind::Sqlite => Self::Sqlite,
        }
    }
}

/// Whether a relation stores rows or is a view.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// A base table.
    #[default]
    Table,
    /// A view.
    View,
}

/// One table or view.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Owner (Oracle) or schema (PostgreSQL); `None` on SQLite.
    pub schema: Option<String>,
    /// Name as the dictionary spells it.
    pub name: String,
    /// Table or view.
    pub kind: TableKind,
    /// The dictionary's comment (`COMMENT ON TABLE`), if any.
    pub comment: Option<String>,
    /// The steward's curated description, which wins over the comment.
    pub description: Option<String>,
    /// Columns in declaration order.
    pub columns: Vec<Column>,
    /// Primary key columns, in key order.
    pub primary_key: Vec<String>,
    /// Foreign keys to other tables.
    pub foreign_keys: Vec<ForeignKey>,
    /// Estimated row count (Oracle NUM_ROWS, PostgreSQL reltuples, SQLite count), when known.
    pub row_estimate: Option<u64>,
}

/// One column.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// Name as the dictionary spells it.
    pub name: String,
    /// Declared type, e.g. `VARCHAR2(30)`, `NUMBER(12,2)`, `DATE`.
    pub data_type: String,
    /// Whether NULL is allowed.
    pub nullable: bool,
    /// The dictionary's comment (`COMMENT ON COLUMN`), if any.
    pub comment: Option<String>,
    /// The steward's curated description, which wins over the comment.
    pub description: Option<String>,
    /// Marked sensitive by a steward: never sampled, never shown as values.
    pub sensitive: bool,
    /// Frequent distinct values of a low-cardinality text column, most frequent first.
    pub sample_values: Vec<String>,
    /// The column's code list (code → label), read from the internal documents at indexing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<Code>,
}

/// One code of a code column and what it stands for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Code {
    /// The code as stored, e.g. `RS`.
    pub value: String,
    /// Its label, e.g. `Résilié`.
    pub label: String,
    /// What it means, when the list says more than the label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meaning: Option<String>,
    /// Where the code list was read: the document's file name.
    pub source: String,
}

/// A business term ("contrat actif", "prime émise") defined as SQL on named columns of the catalog.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    /// Its French names (the first is the main one), e.g. `contrat actif`.
    pub names: Vec<String>,
    /// Its English names, e.g. `active policy`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub english: Vec<String>,
    /// Its definition: a condition (`CONTRATS.CD_STATUT = 'EC' AND …`) or an expression (`SUM(…)`).
    pub sql: String,
    /// A condition the expression goes with (`QUITTANCES.CD_STATUT_QUIT <> 'AN'`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// What else the definition says, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The columns the definition reads, by (table key, upper-cased column): a reader who cannot see one of them
    /// never gets the term.
    pub columns: Vec<(TableKey, String)>,
    /// Where it was read: the document's file name.
    pub source: String,
}

/// A foreign key from some columns of a table to a key of another.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    /// Referencing columns, in key order.
    pub columns: Vec<String>,
    /// Schema of the referenced table.
    pub referenced_schema: Option<String>,
    /// Referenced table.
    pub referenced_table: String,
    /// Referenced columns, in key order.
    pub referenced_columns: Vec<String>,
}

impl Table {
    /// Returns `SCHEMA.NAME`, or `NAME` without a schema.
    pub fn qualified_name(&self) -> String {
        match &self.schema {
            Some(schema) => format!("{schema}.{}", self.name),
            None => self.name.clone(),
        }
    }

    /// Returns the description people should read: the steward's, else the dictionary comment.
    pub fn effective_description(&self) -> Option<&str> {
        self.description.as_deref().or(self.comment.as_deref())
    }

    /// Returns the column called `name` (case-insensitive).
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|column| column.name.eq_ignore_ascii_case(name))
    }
}

impl Column {
    /// Returns the description people should read: the steward's, else the dictionary comment.
    pub fn effective_description(&self) -> Option<&str> {
        self.description.as_deref().or(self.comment.as_deref())
    }
}

/// A key naming a table, case-insensitive: `(schema, table)` upper-cased.
pub type TableKey = (String, String);

/// Returns the case-insensitive key of a table.
pub fn table_key(schema: Option<&str>, table: &str) -> TableKey {
    (schema.unwrap_or_default().to_uppercase(), table.to_uppercase())
}

/// What stewards curated, kept in the agent's store and layered over the dictionary at every (re-)index.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Overrides {
    /// Curated table descriptions by table key.
    pub table_descriptions: BTreeMap<TableKey, String>,
    /// Curated column descriptions by (table key, upper-cased column).
    pub column_descriptions: BTreeMap<(TableKey, String), String>,
    /// Columns marked sensitive, by (table key, upper-cased column).
    pub sensitive_columns: BTreeSet<(TableKey, String)>,
    /// Columns a steward reviewed and found not sensitive, though a pattern flags them.
    pub reviewed_columns: BTreeSet<(TableKey, String)>,
    /// Column-name patterns (upper case, `*` for any text) flagging a column sensitive until a steward reviews it.
    pub sensitive_patterns: Vec<String>,
    /// Code labels a steward wrote, by (table key, upper-cased column, code): they win over the documents' lists
    /// and add the codes those lack.
    pub code_labels: BTreeMap<(TableKey, String, String), String>,
    /// Question→SQL pairs a steward has verified, offered to the model as examples.
    pub verified_pairs: Vec<VerifiedPair>,
    /// Statements past answers ran (newest first, from the audit log).
    pub past_queries: Vec<String>,
}

/// A question and the SQL a steward confirmed answers it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifiedPair {
    /// The question as asked.
    pub question: String,
    /// The SQL that answers it.
    pub sql: String,
}

impl Overrides {
    /// Returns whether a column is sensitive: marked so by a steward, or flagged by a pattern and not reviewed.
    pub fn is_sensitive(&self, table: &Table, column: &str) -> bool {
        let key = (table_key(table.schema.as_deref(), &table.name), column.to_uppercase());
        self.sensitive_columns.contains(&key)
            || (!self.reviewed_columns.contains(&key) && self.flagged_by_pattern(column))
    }

    /// Returns whether a pattern flags `column` (whatever a steward said).
    pub fn flagged_by_pattern(&self, column: &str) -> bool {
        let name = column.to_uppercase();
        self.sensitive_patterns.iter().any(|pattern| glob_matches(&pattern.trim().to_uppercase(), &name))
    }
}

/// Whether `name` matches `pattern`, where `*` stands for any text (possibly empty) and the rest is literal.
pub fn glob_matches(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let [first, middle @ .., last] = parts.as_slice() else { return pattern == name };
    let Some(mut rest) = name.strip_prefix(first) else { return false };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// What one reader may see of a catalog: tables outside their grant and sensitive columns they are not cleared for
/// are hidden — from retrieval, the prompt's schema and the catalog pages. The default hides nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Visibility {
    /// Hidden tables, by table key.
    pub hidden_tables: BTreeSet<TableKey>,
    /// Hidden columns, by (table key, upper-cased column).
    pub hidden_columns: BTreeSet<(TableKey, String)>,
    /// Columns this reader may see but readers without clearance may not (sensitive ones, for a cleared role): left
    /// out of the prompt part every reader shares and given in the question's own part instead.
    pub private_columns: BTreeSet<(TableKey, String)>,
}

impl Visibility {
    /// Returns whether `table` is shown.
    pub fn shows_table(&self, table: &Table) -> bool {
        !self.hidden_tables.contains(&table_key(table.schema.as_deref(), &table.name))
    }

    /// Returns whether every column `term` reads is shown.
    pub fn shows_term(&self, term: &Term) -> bool {
        term.columns.iter().all(|(table, column)| {
            !self.hidden_tables.contains(table) && !self.hidden_columns.contains(&(table.clone(), column.clone()))
        })
    }

    /// Returns whether `column` of `table` is shown.
    pub fn shows_column(&self, table: &Table, column: &str) -> bool {
        self.shows_table(table)
            && !self.hidden_columns.contains(&(table_key(table.schema.as_deref(), &table.name), column.to_uppercase()))
    }

    /// What every reader of this grant sees: the private columns hidden too. The prompt's stable part is rendered
    /// for it, so a cleared and an uncleared reader share it byte for byte.
    pub fn shared(&self) -> Self {
        Self {
            hidden_tables: self.hidden_tables.clone(),
            hidden_columns: self.hidden_columns.union(&self.private_columns).cloned().collect(),
            private_columns: BTreeSet::new(),
        }
    }

    /// Returns whether `column` of `table` is one of this reader's private columns.
    pub fn is_private(&self, table: &Table, column: &str) -> bool {
        self.private_columns.contains(&(table_key(table.schema.as_deref(), &table.name), column.to_uppercase()))
    }

    /// Returns `table` as this reader sees it: without its hidden columns, and without the foreign keys that use
    /// one or point to a hidden table (borrowed as it is when nothing is hidden).
    pub fn view<'a>(&self, table: &'a Table) -> std::borrow::Cow<'a, Table> {
        let referenced_hidden = |key: &ForeignKey| {
            let schema = key.referenced_schema.as_deref().or(table.schema.as_deref());
            self.hidden_tables.contains(&table_key(schema, &key.referenced_table))
        };
        let hides_something = table.columns.iter().any(|column| !self.shows_column(table, &column.name))
            || table.foreign_keys.iter().any(referenced_hidden);
        if !hides_something {
            return std::borrow::Cow::Borrowed(table);
        }
        let mut view = table.clone();
        view.columns.retain(|column| self.shows_column(table, &column.name));
        view.primary_key.retain(|column| self.shows_column(table, column));
        view.foreign_keys
            .retain(|key| !referenced_hidden(key) && key.columns.iter().all(|column| self.shows_column(table, column)));
        std::borrow::Cow::Owned(view)
    }
}

impl Catalog {
    /// Applies curated descriptions and sensitive marks; sensitive columns lose their sample values.
    pub fn apply(&mut self, overrides: &Overrides) {
        for table in &mut self.tables {
            let key = table_key(table.schema.as_deref(), &table.name);
            table.description = overrides.table_descriptions.get(&key).cloned();
            for column in &mut table.columns {
                let column_key = (key.clone(), column.name.to_uppercase());
                column.description = overrides.column_descriptions.get(&column_key).cloned();
                column.sensitive = overrides.sensitive_columns.contains(&column_key)
                    || (!overrides.reviewed_columns.contains(&column_key)
                        && overrides.flagged_by_pattern(&column.name));
                if column.sensitive {
                    column.sample_values.clear();
                }
            }
        }
    }

    /// Returns the table with this (case-insensitive) name, schema optional.
    pub fn table(&self, schema: Option<&str>, name: &str) -> Option<&Table> {
        self.tables.iter().find(|table| {
            table.name.eq_ignore_ascii_case(name)
                && schema
                    .is_none_or(|schema| table.schema.as_deref().is_some_and(|own| own.eq_ignore_ascii_case(schema)))
        })
    }

    /// Returns the number of columns over all tables.
    pub fn column_count(&self) -> usize {
        self.tables.iter().map(|table| table.columns.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clients() -> Table {
        Table {
            schema: Some("DWH".into()),
            name: "CLIENTS".into(),
            comment: Some("Clients".into()),
            columns: vec![
                Column {
                    name: "NOM".into(),
                    data_type: "VARCHAR2(80)".into(),
                    sample_values: vec!["Martin".into()],
                    ..Column::default()
                },
                Column {
                    name: "VILLE".into(),
                    data_type: "VARCHAR2(80)".into(),
                    sample_values: vec!["Paris".into()],
                    ..Column::default()
                },
            ],
            ..Table::default()
        }
    }

    #[test]
    fn apply_layers_descriptions_and_clears_sensitive_samples() {
        let mut catalog = Catalog { engine: Some(Engine::Oracle), tables: vec![clients()], terms: Vec::new() };
        let mut overrides = Overrides::default();
        let key = table_key(Some("dwh"), "clients");
        overrides.table_descriptions.insert(key.clone(), "Assurés et prospects".into());
        overrides.column_descriptions.insert((key.clone(), "VILLE".into()), "Ville de résidence".into());
        overrides.sensitive_columns.insert((key, "NOM".into()));
        catalog.apply(&overrides);
        let table = &catalog.tables[0];
        assert_eq!(table.effective_description(), Some("Assurés et prospects"));
        assert_eq!(table.column("ville").and_then(Column::effective_description), Some("Ville de résidence"));
        let nom = table.column("NOM").expect("column");
        assert!(nom.sensitive && nom.sample_values.is_empty());
        assert_eq!(table.column("VILLE").expect("column").sample_values, ["Paris"]);
    }

    #[test]
    fn a_pattern_flags_a_column_until_a_steward_reviews_it() {
        let mut overrides =
            Overrides { sensitive_patterns: vec!["*MAIL*".into(), "TEL".into()], ..Overrides::default() };
        let mut table = clients();
        table.columns.push(Column { name: "Email".into(), ..Column::default() });
        table.columns.push(Column { name: "HOTEL".into(), ..Column::default() });
        assert!(overrides.is_sensitive(&table, "email") && !overrides.is_sensitive(&table, "HOTEL"));
        overrides.reviewed_columns.insert((table_key(Some("DWH"), "CLIENTS"), "EMAIL".into()));
        assert!(!overrides.is_sensitive(&table, "EMAIL"), "reviewed: not sensitive");
        assert!(
            glob_matches("TEL_*", "TEL_PORTABLE")
                && glob_matches("*_TEL", "NUM_TEL")
                && !glob_matches("TEL_*", "HOTEL")
        );
        assert!(glob_matches("*A*B*", "xAyyBz") && !glob_matches("*A*B", "xAyyBz") && glob_matches("NIR", "NIR"));
    }

    #[test]
    fn applying_empty_overrides_restores_dictionary_descriptions() {
        let mut catalog = Catalog { engine: None, tables: vec![clients()], terms: Vec::new() };
        let mut overrides = Overrides::default();
        overrides.table_descriptions.insert(table_key(Some("DWH"), "CLIENTS"), "x".into());
        catalog.apply(&overrides);
        catalog.apply(&Overrides::default());
        assert_eq!(catalog.tables[0].effective_description(), Some("Clients"));
    }

    #[test]
    fn a_view_leaves_out_hidden_columns_and_keys_to_hidden_tables() {
        let mut table = clients();
        table.foreign_keys.push(ForeignKey {
            columns: vec!["VILLE".into()],
            referenced_schema: None,
            referenced_table: "VILLES".into(),
            referenced_columns: vec!["NOM".into()],
        });
        let mut visibility = Visibility::default();
        assert!(matches!(visibility.view(&table), std::borrow::Cow::Borrowed(_)), "nothing hidden, nothing copied");
        visibility.hidden_columns.insert((table_key(Some("dwh"), "clients"), "NOM".into()));
        visibility.hidden_tables.insert(table_key(Some("DWH"), "VILLES"));
        let view = visibility.view(&table);
        assert_eq!(view.columns.iter().map(|column| column.name.as_str()).collect::<Vec<_>>(), ["VILLE"]);
        assert!(view.foreign_keys.is_empty(), "the key to a hidden table is not shown");
        assert!(!visibility.shows_column(&table, "nom") && visibility.shows_column(&table, "VILLE"));
        visibility.hidden_tables.insert(table_key(Some("DWH"), "CLIENTS"));
        assert!(!visibility.shows_table(&table) && !visibility.shows_column(&table, "VILLE"));
    }

    #[test]
    fn table_lookup_ignores_case_and_optional_schema() {
        let catalog = Catalog { engine: None, tables: vec![clients()], terms: Vec::new() };
        assert!(catalog.table(None, "clients").is_some());
        assert!(catalog.table(Some("dwh"), "Clients").is_some());
        assert!(catalog.table(Some("OTHER"), "CLIENTS").is_none());
        assert_eq!(catalog.column_count(), 2);
    }
}
