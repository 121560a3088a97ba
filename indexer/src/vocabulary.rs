//! The business vocabulary read from the internal documents: the code lists of code columns.
//!
//! A code list is a markdown table under a heading that names its column, as `(TABLE.COLUMN)` or `(COLUMN)` (a bare
//! column is every table that has one of that name): each row is a code, its label and, optionally, what it means.
//! A table under a heading that names no known column, a header row and rows whose first cell is not a code are
//! ignored. Nothing here knows a particular warehouse: another one with its own documents gets the same behaviour.

use std::collections::HashSet;

use crate::catalog::{Catalog, Code};
use crate::docs::DocChunk;

/// Longest code accepted in a list's first cell, in characters.
const MAX_CODE_CHARS: usize = 16;

/// One code list found in a document, before it is matched to the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeList {
    /// The table the heading names, if it names one.
    pub table: Option<String>,
    /// The column the heading names.
    pub column: String,
    /// The codes, in the document's order.
    pub codes: Vec<Code>,
}

/// Attaches to `catalog`'s columns the code lists `documents` define; returns how many columns got one. A column
/// keeps the first list that names it (documents are read in file order).
pub fn attach_codes(catalog: &mut Catalog, documents: &[DocChunk]) -> usize {
    let mut attached = 0;
    let known = KnownColumns::of(catalog);
    let lists: Vec<CodeList> = documents.iter().flat_map(|chunk| code_lists(chunk, &known)).collect();
    for list in lists {
        for table in &mut catalog.tables {
            if list.table.as_ref().is_some_and(|name| !name.eq_ignore_ascii_case(&table.name)) {
                continue;
            }
            for column in &mut table.columns {
                if column.name.eq_ignore_ascii_case(&list.column) && column.codes.is_empty() {
                    column.codes = list.codes.clone();
                    attached += 1;
                }
            }
        }
    }
    attached
}

/// The catalog's column names, upper-cased, read once for every heading of every document.
pub struct KnownColumns {
    /// (table, column) pairs.
    qualified: HashSet<(String, String)>,
    /// Column names of any table.
    bare: HashSet<String>,
}

impl KnownColumns {
    /// Reads the column names of `catalog`.
    pub fn of(catalog: &Catalog) -> Self {
        let qualified: HashSet<(String, String)> = catalog
            .tables
            .iter()
            .flat_map(|table| {
                table.columns.iter().map(|column| (table.name.to_uppercase(), column.name.to_uppercase()))
            })
            .collect();
        let bare = qualified.iter().map(|(_, column)| column.clone()).collect();
        Self { qualified, bare }
    }
}

/// Reads the code lists of one chunk: its tables, when the chunk's last heading names a known column.
pub fn code_lists(chunk: &DocChunk, known: &KnownColumns) -> Vec<CodeList> {
    let heading = chunk.title.rsplit(" › ").next().unwrap_or_default();
    let Some((table, column)) = named_column(heading, known) else { return Vec::new() };
    let mut lists = Vec::new();
    let mut codes = Vec::new();
    let lines: Vec<&str> = chunk.text.lines().map(str::trim).collect();
    for (position, line) in lines.iter().enumerate() {
        let is_row = line.starts_with('|');
        if is_row && !is_separator(line) && !lines.get(position + 1).is_some_and(|next| is_separator(next)) {
            codes.extend(code_row(line, &chunk.source));
        }
        if !is_row && !codes.is_empty() {
            lists.push(CodeList { table: table.clone(), column: column.clone(), codes: std::mem::take(&mut codes) });
        }
    }
    if !codes.is_empty() {
        lists.push(CodeList { table, column, codes });
    }
    lists
}

/// The column a heading names: the last `TABLE.COLUMN` or `COLUMN` word of it that is `known`.
fn named_column(heading: &str, known: &KnownColumns) -> Option<(Option<String>, String)> {
    let words = heading.split(|character: char| !(character.is_alphanumeric() || character == '_' || character == '.'));
    words.filter(|word| !word.is_empty()).rev().find_map(|word| {
        let (table, column) = match word.split_once('.') {
            Some((table, column)) => (Some(table.to_owned()), column.to_owned()),
            None => (None, word.to_owned()),
        };
        let found = match &table {
            Some(table) => known.qualified.contains(&(table.to_uppercase(), column.to_uppercase())),
            None => known.bare.contains(&column.to_uppercase()),
        };
        found.then_some((table, column))
    })
}

/// Whether a table line is the `|---|---|` line under a header.
fn is_separator(line: &str) -> bool {
    line.starts_with('|') && line.chars().all(|character| matches!(character, '|' | '-' | ':' | ' '))
}

/// One row's code: its first cell (without backticks or quotes) when it looks like a code, its second as the label.
fn code_row(line: &str, source: &str) -> Option<Code> {
    let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
    let value = cells.first()?.trim_matches(|character| matches!(character, '`' | '\'' | '"'));
    let label = cells.get(1)?.trim();
    let code_like = !value.is_empty()
        && value.chars().count() <= MAX_CODE_CHARS
        && !value.chars().any(char::is_whitespace)
        && !value.contains('.');
    if !code_like || label.is_empty() {
        return None;
    }
    let meaning = cells.get(2).map(|cell| cell.trim()).filter(|cell| !cell.is_empty()).map(str::to_owned);
    Some(Code { value: value.to_owned(), label: label.to_owned(), meaning, source: source.to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Column, Table};
    use crate::docs::chunk_markdown;

    fn catalog() -> Catalog {
        let table = |name: &str, columns: &[&str]| Table {
            name: name.to_owned(),
            columns: columns.iter().map(|column| Column { name: (*column).to_owned(), ..Column::default() }).collect(),
            ..Table::default()
        };
        Catalog {
            tables: vec![
                table("CONTRATS", &["ID_CONTRAT", "CD_STATUT", "CD_BRANCHE"]),
                table("COURTIERS", &["ID_COURTIER", "CD_STATUT"]),
                table("PRODUITS", &["CD_PRODUIT", "CD_BRANCHE"]),
            ],
            ..Catalog::default()
        }
    }

    const DOCUMENT: &str = "# Codes\n\n## Statut du contrat (CONTRATS.CD_STATUT)\n\n\
        | Code | Libellé | Signification |\n|------|---------|---------------|\n\
        | `EC` | En cours | Contrat en vigueur |\n| `RS` | Résilié | |\n\n\
        ## Branche (CD_BRANCHE)\n\nColonne présente dans deux tables.\n\n\
        | Code | Branche |\n|---|---|\n| `10` | Automobile |\n| `20` | Multirisque habitation (MRH) |\n\n\
        ## Indicateurs O/N (colonnes TOP_)\n\n| Colonne | Signification |\n|---|---|\n| `CLIENTS.TOP_OPTIN` | Accepte |\n\n\
        ## Taux (INCONNUE.CD_X)\n\n| Code | Libellé |\n|---|---|\n| `A` | Un |\n\n\
        ## Ventilation (CONTRATS.CD_STATUT)\n\n| Année | 2024 |\n|---|---|\n| Taux de résiliation par branche | 5 % |\n";

    #[test]
    fn a_table_under_a_heading_naming_a_column_is_its_code_list() {
        let mut catalog = catalog();
        let attached = attach_codes(&mut catalog, &chunk_markdown("codes.md", DOCUMENT));
        let statut = &catalog.tables[0].columns[1];
        let values: Vec<(&str, &str)> =
            statut.codes.iter().map(|code| (code.value.as_str(), code.label.as_str())).collect();
        assert_eq!(values, [("EC", "En cours"), ("RS", "Résilié")], "the header row is not a code");
        assert_eq!(statut.codes[0].meaning.as_deref(), Some("Contrat en vigueur"));
        assert_eq!(statut.codes[1].meaning, None, "an empty meaning is none");
        assert_eq!(statut.codes[0].source, "codes.md");
        assert!(catalog.tables[1].columns[1].codes.is_empty(), "CONTRATS.CD_STATUT is not COURTIERS.CD_STATUT");
        // A bare column name is every table that has it.
        for table in [0, 2] {
            let branche =
                catalog.tables[table].columns.iter().find(|column| column.name == "CD_BRANCHE").expect("CD_BRANCHE");
            assert_eq!(branche.codes.len(), 2, "{}", catalog.tables[table].name);
            assert_eq!(branche.codes[1].label, "Multirisque habitation (MRH)");
        }
        assert_eq!(attached, 3);
    }

    #[test]
    fn tables_naming_no_known_column_and_rows_that_are_not_codes_are_ignored() {
        let chunks = chunk_markdown("codes.md", DOCUMENT);
        let catalog = catalog();
        let known = KnownColumns::of(&catalog);
        let titled = |word: &str| chunks.iter().find(|chunk| chunk.title.contains(word)).expect("a chunk");
        assert!(code_lists(titled("Indicateurs"), &known).is_empty(), "TOP_ names no column");
        assert!(code_lists(titled("Taux"), &known).is_empty(), "INCONNUE.CD_X is not in the catalog");
        // The first list wins: a later table of statistics under the same column's heading adds nothing to it.
        let mut attached = catalog.clone();
        attach_codes(&mut attached, &chunks);
        assert_eq!(attached.tables[0].columns[1].codes.len(), 2);
        let later = code_lists(titled("Ventilation"), &known);
        assert!(later.iter().all(|list| list.codes.iter().all(|code| code.value != "Taux")), "{later:?}");
    }
}
