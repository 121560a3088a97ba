//! The bundled demo warehouse: the back office of a fictitious French P&C insurer (« IARD » — motor, household,
//! health, protection and professional liability), Pstral's default warehouse so newcomers can ask questions in
//! French straight away.
//!
//! It has one schema definition (`schema`), rendered as Oracle, PostgreSQL or SQLite DDL (`ddl`; the renderings
//! are committed under `deploy/demo/`), a deterministic generator of about 140,000 rows frozen on 31 December
//! 2025 (`generate`), loaders for SQLite and PostgreSQL (`load`) and the internal documents that explain the
//! codes and business rules (`deploy/demo/docs/`, exposed by [`documents`]). Code values such as
//! `CONTRATS.CD_STATUT = 'EC'` are deliberately explained only in those documents, as in real legacy schemas.
//!
//! # SQLite comment convention
//!
//! SQLite has no comment catalogue, so the SQLite rendering keeps comments inside the `CREATE TABLE` text, which
//! SQLite stores verbatim in `sqlite_master.sql`. This is the contract with the SQLite source that reads them:
//!
//! - the table comment is a `-- ` line comment right after the opening parenthesis, on the `CREATE TABLE` line:
//!   `CREATE TABLE CLIENTS ( -- Clients souscripteurs…`;
//! - each column is defined on its own line, and its comment, if any, is a `-- ` line comment at the end of that
//!   line, after the comma: `    NOM TEXT NOT NULL, -- Nom de famille…`. Every column line ends with a comma,
//!   since the constraint lines always follow the columns;
//! - a comment is the rest of the line after the first `-- `; comments never contain line breaks;
//! - constraint lines (`CONSTRAINT … PRIMARY KEY`, `CONSTRAINT … FOREIGN KEY`) carry no comment.
//!
//! Dates are stored in SQLite as `YYYY-MM-DD` text and amounts and rates as `REAL` (a `NUMERIC` column would store
//! a whole amount as an integer, and `MT_PRIME_HT * TX_COMMISSION / 100` would then divide integers).
//!
//! This module must not know about HTTP or the agent; it only writes the warehouse it is asked to build.

mod ddl;
mod generate;
mod load;
mod schema;

pub use ddl::{Dialect, render_ddl};
pub use generate::{Dataset, TableData, Value, generate};
pub use load::{build_sqlite, load_postgres};
pub use schema::{ColumnDef, ColumnType, ForeignKeyDef, TableDef, table, tables};

/// One internal document of the demo insurer (glossary, code lists, business rules…), in French Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoDocument {
    /// The file name under `deploy/demo/docs/`, e.g. `codes.md`.
    pub file_name: &'static str,
    /// The Markdown text; sections start with `##` headings.
    pub content: &'static str,
}

/// The documents, compiled into the binary so the demo works without the repository.
static DOCUMENTS: [DemoDocument; 5] = [
    DemoDocument { file_name: "glossaire.md", content: include_str!("../../deploy/demo/docs/glossaire.md") },
    DemoDocument { file_name: "codes.md", content: include_str!("../../deploy/demo/docs/codes.md") },
    DemoDocument { file_name: "regles-metier.md", content: include_str!("../../deploy/demo/docs/regles-metier.md") },
    DemoDocument {
        file_name: "modele-de-donnees.md",
        content: include_str!("../../deploy/demo/docs/modele-de-donnees.md"),
    },
    DemoDocument { file_name: "faq-analystes.md", content: include_str!("../../deploy/demo/docs/faq-analystes.md") },
];

/// Returns the demo insurer's internal documents, for the retrieval index.
pub fn documents() -> &'static [DemoDocument] {
    &DOCUMENTS
}

/// What a demo load wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    /// Each table's name and row count, in load order.
    pub tables: Vec<(String, u64)>,
    /// The total number of rows.
    pub total_rows: u64,
}

impl DemoSummary {
    /// Returns the number of rows loaded into the table called `name`, if it was loaded.
    pub fn rows(&self, name: &str) -> Option<u64> {
        self.tables.iter().find(|(table, _)| table == name).map(|(_, rows)| *rows)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn documents_are_markdown_split_by_second_level_headings() {
        let names: BTreeSet<_> = documents().iter().map(|document| document.file_name).collect();
        assert_eq!(names.len(), documents().len());
        for document in documents() {
            assert!(document.content.starts_with("# "), "{} has no title", document.file_name);
            let sections = document.content.lines().filter(|line| line.starts_with("## ")).count();
            assert!(sections >= 5, "{} has only {sections} sections", document.file_name);
        }
        for required in ["glossaire.md", "codes.md", "regles-metier.md", "faq-analystes.md"] {
            assert!(names.contains(required), "{required} is missing");
        }
    }

    #[test]
    fn every_code_found_in_the_data_is_explained_in_the_code_document() {
        let codes = documents().iter().find(|document| document.file_name == "codes.md").expect("codes.md").content;
        let dataset = generate();
        let mut checked = 0;
        for data in dataset.tables() {
            for column in data.definition.columns {
                let coded = column.comment.is_some_and(|comment| comment.contains("(voir liste des codes)"));
                if !(coded || column.name.starts_with("TOP_")) {
                    continue;
                }
                assert!(
                    codes.contains(column.name),
                    "codes.md does not mention {}.{}",
                    data.definition.name,
                    column.name
                );
                let values: BTreeSet<String> =
                    data.column(column.name).filter(|value| **value != Value::Null).map(ToString::to_string).collect();
                for value in values {
                    assert!(
                        codes.contains(&format!("`{value}`")),
                        "codes.md does not explain {}.{} = '{value}'",
                        data.definition.name,
                        column.name
                    );
                }
                checked += 1;
            }
        }
        assert!(checked >= 20, "only {checked} coded columns were checked");
    }

    #[test]
    fn coded_columns_point_to_the_documents_instead_of_listing_values() {
        for table in tables() {
            for column in table.columns.iter().filter(|column| column.name.starts_with("CD_")) {
                let comment = column.comment.unwrap_or_default();
                // A quoted code such as 'EC' or a list such as EC = en cours would leak the documents' content.
                let quoted_code = comment.split('\'').skip(1).step_by(2).any(|inside| {
                    !inside.is_empty() && inside.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                });
                assert!(
                    !quoted_code && !comment.contains(" = "),
                    "{}.{} lists values: {comment}",
                    table.name,
                    column.name
                );
            }
        }
    }
}
