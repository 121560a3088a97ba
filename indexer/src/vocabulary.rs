//! The business vocabulary read from the internal documents: the code lists of code columns and the business terms.
//!
//! A code list is a markdown table under a heading that names its column, as `(TABLE.COLUMN)` or `(COLUMN)` (a bare
//! column is every table that has one of that name): each row is a code, its label and, optionally, what it means.
//! A table under a heading that names no known column, a header row and rows whose first cell is not a code are
//! ignored.
//!
//! A glossary is a markdown table whose header starts with `Terme` (or `Term`) and has a `… SQL` column: each row
//! defines a term (several names separated by ` / `) as a SQL condition or expression on the catalog's columns, with
//! optional `English`, `Filtre SQL` and `Remarque` columns. A definition is checked when it is read (one expression,
//! no subquery, every column known, a bare column in one table only); a broken one is refused with its reason.
//! Nothing here knows a particular warehouse: another one with its own documents gets the same behaviour.

use std::collections::HashSet;
use std::ops::ControlFlow;

use sqlparser::ast::{Expr, Ident, InTarget, SelectItem, SetExpr, Statement};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;

use crate::catalog::{Catalog, Code, TableKey, Term, table_key};
use crate::docs::DocChunk;
use crate::index::text::fold;

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

/// Source of a code a steward labelled.
pub const STEWARD_SOURCE: &str = "steward";

/// Layers the stewards' code labels over the lists the documents gave (after [`attach_codes`]): a steward's label
/// replaces the document's for the same code and a code no list has is added, both with the source `steward`.
/// Returns how many codes it set.
pub fn apply_steward_codes(catalog: &mut Catalog, overrides: &crate::catalog::Overrides) -> usize {
    let mut applied = 0;
    for table in &mut catalog.tables {
        let key = table_key(table.schema.as_deref(), &table.name);
        for column in &mut table.columns {
            let column_name = column.name.to_uppercase();
            let entries = overrides
                .code_labels
                .range((key.clone(), column_name.clone(), String::new())..)
                .take_while(|((entry_key, entry_column, _), _)| *entry_key == key && *entry_column == column_name);
            for ((_, _, value), label) in entries {
                let source = STEWARD_SOURCE.to_owned();
                match column.codes.iter_mut().find(|code| code.value == *value) {
                    Some(code) => {
                        code.label.clone_from(label);
                        code.source = source;
                    }
                    None => {
                        column.codes.push(Code { value: value.clone(), label: label.clone(), meaning: None, source })
                    }
                }
                applied += 1;
            }
        }
    }
    applied
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

/// Longest label kept by [`short_label`], in characters.
const MAX_SHORT_LABEL_CHARS: usize = 24;

/// The head of a code's label, for the prompt and for linking a question's words: cut at its first `(`, `:`, `;`
/// or `,` and at 24 characters (`Multirisque habitation (MRH)` → `Multirisque habitation`).
pub fn short_label(label: &str) -> String {
    let head = label.split(['(', ':', ';', ',']).next().unwrap_or_default();
    let head = head.split_whitespace().collect::<Vec<_>>().join(" ");
    if head.chars().count() <= MAX_SHORT_LABEL_CHARS {
        return head;
    }
    let cut: String = head.chars().take(MAX_SHORT_LABEL_CHARS).collect();
    format!("{}…", cut.trim_end())
}

/// A glossary row refused when it was read, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedTerm {
    /// The term's main name.
    pub name: String,
    /// The document it was read from.
    pub source: String,
    /// Why it was refused, e.g. `unknown column CONTRATS.CD_ETAT`.
    pub reason: String,
}

/// Reads the glossaries of `documents` into `catalog.terms`, each definition checked against the catalog; returns
/// the rows refused, with their reasons. A term named twice keeps its first definition.
pub fn attach_terms(catalog: &mut Catalog, documents: &[DocChunk]) -> Vec<RefusedTerm> {
    let mut refused = Vec::new();
    let mut terms: Vec<Term> = Vec::new();
    for chunk in documents {
        for mut term in glossary_rows(chunk) {
            let name = term.names[0].clone();
            if terms.iter().any(|known| known.names.iter().any(|known| fold(known) == fold(&name))) {
                continue;
            }
            let checked = check_definition(catalog, &term.sql).and_then(|mut columns| {
                if let Some(filter) = &term.filter {
                    columns.extend(check_definition(catalog, filter)?);
                }
                Ok(columns)
            });
            match checked {
                Ok(mut columns) => {
                    columns.sort();
                    columns.dedup();
                    term.columns = columns;
                    terms.push(term);
                }
                Err(reason) => refused.push(RefusedTerm { name, source: chunk.source.clone(), reason }),
            }
        }
    }
    catalog.terms = terms;
    refused
}

/// The rows of the glossary tables of one chunk, unchecked.
pub fn glossary_rows(chunk: &DocChunk) -> Vec<Term> {
    let mut terms = Vec::new();
    let mut header: Option<GlossaryHeader> = None;
    for line in chunk.text.lines().map(str::trim) {
        if !line.starts_with('|') {
            header = None;
            continue;
        }
        if is_separator(line) {
            continue;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        match &header {
            None => header = GlossaryHeader::read(&cells),
            Some(header) => terms.extend(header.term(&cells, &chunk.source)),
        }
    }
    terms
}

/// Which cell of a glossary row holds what.
struct GlossaryHeader {
    english: Option<usize>,
    sql: usize,
    filter: Option<usize>,
    note: Option<usize>,
}

impl GlossaryHeader {
    /// Reads a header row; `None` when it is not a glossary's (first cell `Terme`/`Term`, a `SQL` cell).
    fn read(cells: &[&str]) -> Option<Self> {
        let folded: Vec<String> = cells.iter().map(|cell| fold(cell)).collect();
        let first = folded.first()?;
        if !matches!(first.as_str(), "terme" | "termes" | "term" | "terms") {
            return None;
        }
        let find = |test: &dyn Fn(&str) -> bool| folded.iter().position(|cell| test(cell));
        let filter = find(&|cell| cell.contains("filtre") || cell.contains("filter"));
        let sql = find(&|cell| cell.contains("sql") && !cell.contains("filtre") && !cell.contains("filter"))?;
        let english = find(&|cell| cell.contains("english") || cell.contains("anglais"));
        let note = find(&|cell| cell.contains("remarque") || cell.starts_with("note"));
        Some(Self { english, sql, filter, note })
    }

    /// One row's term; `None` for a row without names or definition.
    fn term(&self, cells: &[&str], source: &str) -> Option<Term> {
        let cell = |position: Option<usize>| {
            position
                .and_then(|position| cells.get(position))
                .map(|cell| cell.trim_matches('`').trim().to_owned())
                .filter(|cell| !cell.is_empty())
        };
        let names = cell(Some(0)).map(|cell| names_of(&cell)).unwrap_or_default();
        let sql = cell(Some(self.sql))?;
        if names.is_empty() {
            return None;
        }
        Some(Term {
            names,
            english: cell(self.english).map(|cell| names_of(&cell)).unwrap_or_default(),
            sql,
            filter: cell(self.filter),
            note: cell(self.note),
            columns: Vec::new(),
            source: source.to_owned(),
        })
    }
}

/// The names of a cell, separated by ` / `.
fn names_of(cell: &str) -> Vec<String> {
    cell.split(" / ").map(str::trim).filter(|name| !name.is_empty()).map(str::to_owned).collect()
}

/// Checks one definition against `catalog`: a single expression, no subquery, every column known (a bare column
/// must belong to one table only). Returns the columns it reads, or why it is refused.
pub fn check_definition(catalog: &Catalog, sql: &str) -> Result<Vec<(TableKey, String)>, String> {
    let statements = Parser::parse_sql(&GenericDialect {}, &format!("SELECT {sql}"))
        .map_err(|error| format!("not a SQL expression: {error}"))?;
    let single = match statements.as_slice() {
        [Statement::Query(query)] => match query.body.as_ref() {
            SetExpr::Select(select) if select.from.is_empty() && select.projection.len() == 1 => {
                matches!(select.projection[0], SelectItem::UnnamedExpr(_))
            }
            _ => false,
        },
        _ => false,
    };
    if !single {
        return Err("a definition is one SQL condition or expression, nothing more".to_owned());
    }
    let mut columns = Vec::new();
    let flow = sqlparser::ast::visit_expressions(&statements, |expr| {
        let resolved = match expr {
            Expr::Subquery(_) | Expr::Exists { .. } | Expr::In { target: InTarget::Subquery(_), .. } => {
                Err("a definition may not hold a subquery".to_owned())
            }
            Expr::Identifier(column) => resolve(catalog, None, column).map(Some),
            Expr::CompoundIdentifier(parts) => match parts.as_slice() {
                [table, column] => resolve(catalog, Some((None, table)), column).map(Some),
                [schema, table, column] => resolve(catalog, Some((Some(schema), table)), column).map(Some),
                _ => Err(format!("{} is not a column", join(parts))),
            },
            _ => Ok(None),
        };
        match resolved {
            Ok(found) => {
                columns.extend(found);
                ControlFlow::Continue(())
            }
            Err(reason) => ControlFlow::Break(reason),
        }
    });
    match flow {
        ControlFlow::Break(reason) => Err(reason),
        ControlFlow::Continue(()) => Ok(columns),
    }
}

/// Finds the column a definition names, with its table if given.
fn resolve(
    catalog: &Catalog,
    table: Option<(Option<&Ident>, &Ident)>,
    column: &Ident,
) -> Result<(TableKey, String), String> {
    let has = |candidate: &crate::catalog::Table| {
        candidate.columns.iter().any(|known| known.name.eq_ignore_ascii_case(&column.value))
    };
    let owner = match table {
        Some((schema, table)) => {
            let Some(found) = catalog.table(schema.map(|schema| schema.value.as_str()), &table.value) else {
                return Err(format!("unknown table {}", table.value));
            };
            if !has(found) {
                return Err(format!("unknown column {}.{}", table.value, column.value));
            }
            found
        }
        None => {
            let owners: Vec<&crate::catalog::Table> = catalog.tables.iter().filter(|table| has(table)).collect();
            match owners.as_slice() {
                [] => return Err(format!("unknown column {}", column.value)),
                [owner] => *owner,
                _ => return Err(format!("name the table of {}: several tables have one", column.value)),
            }
        }
    };
    Ok((table_key(owner.schema.as_deref(), &owner.name), column.value.to_uppercase()))
}

fn join(parts: &[Ident]) -> String {
    parts.iter().map(|part| part.value.as_str()).collect::<Vec<_>>().join(".")
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

    const GLOSSARY: &str = "# Règles\n\n## Termes\n\n\
        | Terme | English | Définition SQL | Filtre SQL | Remarque |\n|---|---|---|---|---|\n\
        | contrat actif / contrat en vigueur | active policy | `CONTRATS.CD_STATUT = 'EC'` | | à la date d'arrêté |\n\
        | branche auto | motor line | `CD_BRANCHE = '10'` | | |\n\
        | prime | premium | `SUM(CONTRATS.MT_PRIME)` | `CONTRATS.CD_STATUT <> 'AN'` | |\n\
        | statut courtier | broker status | `COURTIERS.CD_ETAT = 'AC'` | | |\n\
        | contrat de client | | `EXISTS (SELECT 1 FROM CONTRATS)` | | |\n\
        | deux requêtes | | `1; DROP TABLE CONTRATS` | | |\n\
        | sans table | | `INCONNUE.CD_X = 1` | | |\n\n\
        | Colonne | Sens |\n|---|---|\n| `CONTRATS.CD_STATUT` | statut |\n";

    #[test]
    fn a_glossary_row_is_a_term_with_its_names_definition_filter_and_note() {
        let rows = glossary_rows(&chunk_markdown("regles.md", GLOSSARY)[0]);
        assert_eq!(rows.len(), 7, "the second table is no glossary: {rows:?}");
        assert_eq!(rows[0].names, ["contrat actif", "contrat en vigueur"]);
        assert_eq!(rows[0].english, ["active policy"]);
        assert_eq!(rows[0].sql, "CONTRATS.CD_STATUT = 'EC'", "backticks are taken off");
        assert_eq!((rows[0].filter.as_deref(), rows[0].note.as_deref()), (None, Some("à la date d'arrêté")));
        assert_eq!(rows[2].filter.as_deref(), Some("CONTRATS.CD_STATUT <> 'AN'"));
        assert_eq!(rows[0].source, "regles.md");
    }

    #[test]
    fn a_broken_term_is_refused_with_its_reason_and_a_sound_one_keeps_the_columns_it_reads() {
        let mut catalog = catalog();
        catalog.tables[0].columns.push(Column { name: "MT_PRIME".into(), ..Column::default() });
        let refused = attach_terms(&mut catalog, &chunk_markdown("regles.md", GLOSSARY));
        let reasons: Vec<(&str, &str)> =
            refused.iter().map(|refused| (refused.name.as_str(), refused.reason.as_str())).collect();
        assert_eq!(reasons[0], ("branche auto", "name the table of CD_BRANCHE: several tables have one"));
        assert_eq!(reasons[1], ("statut courtier", "unknown column COURTIERS.CD_ETAT"));
        assert_eq!(reasons[2], ("contrat de client", "a definition may not hold a subquery"));
        assert_eq!(reasons[3], ("deux requêtes", "a definition is one SQL condition or expression, nothing more"));
        assert_eq!(reasons[4], ("sans table", "unknown table INCONNUE"));
        assert_eq!(refused.len(), 5);
        let names: Vec<&str> = catalog.terms.iter().map(|term| term.names[0].as_str()).collect();
        assert_eq!(names, ["contrat actif", "prime"]);
        let key = |table: &str| (String::new(), table.to_owned());
        assert_eq!(catalog.terms[0].columns, [(key("CONTRATS"), "CD_STATUT".to_owned())]);
        assert_eq!(
            catalog.terms[1].columns,
            [(key("CONTRATS"), "CD_STATUT".to_owned()), (key("CONTRATS"), "MT_PRIME".to_owned())],
            "the filter's columns count too"
        );
    }

    #[test]
    fn a_stewards_label_wins_over_the_documents_and_adds_the_codes_they_lack() {
        let mut catalog = catalog();
        attach_codes(&mut catalog, &chunk_markdown("codes.md", DOCUMENT));
        let mut overrides = crate::catalog::Overrides::default();
        let key = |table: &str| (String::new(), table.to_owned());
        overrides.code_labels.insert((key("CONTRATS"), "CD_STATUT".into(), "RS".into()), "Résilié (fin)".into());
        overrides.code_labels.insert((key("CONTRATS"), "CD_STATUT".into(), "SU".into()), "Suspendu".into());
        overrides.code_labels.insert((key("COURTIERS"), "CD_STATUT".into(), "AC".into()), "Active".into());
        assert_eq!(apply_steward_codes(&mut catalog, &overrides), 3);
        let statut: Vec<(&str, &str, &str)> = catalog.tables[0].columns[1]
            .codes
            .iter()
            .map(|code| (code.value.as_str(), code.label.as_str(), code.source.as_str()))
            .collect();
        assert_eq!(
            statut,
            [
                ("EC", "En cours", "codes.md"),
                ("RS", "Résilié (fin)", STEWARD_SOURCE),
                ("SU", "Suspendu", STEWARD_SOURCE)
            ]
        );
        assert_eq!(catalog.tables[1].columns[1].codes.len(), 1, "a column without a list gets the steward's codes");
        assert!(catalog.tables[2].columns[1].codes.iter().all(|code| code.source == "codes.md"), "others untouched");
    }
}
