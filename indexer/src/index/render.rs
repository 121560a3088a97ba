//! Compact DDL for the prompt: the chosen tables with their useful columns, keys, descriptions and values, in
//! the warehouse's own type names, cut to a token budget.
//!
//! Wide tables keep their key columns, the columns the question names and the columns with linked values; the
//! rest are counted in a comment so the model knows they exist.

use std::collections::BTreeSet;

use crate::catalog::{Column, Table};
use crate::index::text::{estimate_tokens, expand_identifiers, fold};

/// Most columns rendered for a table in full detail before the rest are summarised.
const MAX_COLUMNS: usize = 12;
/// Most columns rendered for a table in compact detail (join-path and lower-ranked tables).
const MAX_COMPACT_COLUMNS: usize = 6;
/// Longest comment kept, in characters.
const MAX_COMMENT_CHARS: usize = 60;
/// Code lists up to this many values are shown in full.
const MAX_LISTED_VALUES: usize = 8;
/// Code lists (with labels) up to this many codes are shown in full, for a whole schema or a column the question
/// links to; a longer list shows only the linked codes.
const MAX_LISTED_CODES: usize = 12;

/// How much of a table to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detail {
    /// Up to `MAX_COLUMNS` columns, the question's first.
    Full,
    /// Keys and the question's columns, up to `MAX_COMPACT_COLUMNS`.
    Compact,
    /// Every column and nothing from the question, for a schema sent whole: its text is then the same for every
    /// question and the LLM server's prompt cache keeps all of it (the question's values go after it).
    Whole,
}

/// What the question asked for, used to choose the columns of wide tables.
#[derive(Debug, Default)]
pub(crate) struct Focus {
    /// Folded words of the question (and their identifier expansions).
    pub words: BTreeSet<String>,
    /// (table, column) pairs whose values the question mentions, with the values.
    pub linked: Vec<(String, String, String)>,
}

/// Renders one table; returns the text.
pub(crate) fn render_table(table: &Table, focus: &Focus, detail: Detail) -> String {
    let unfocused = Focus::default();
    let focus = if detail == Detail::Whole { &unfocused } else { focus };
    let name = table.qualified_name();
    let mut text = format!("CREATE TABLE {name} (");
    if let Some(description) = table.effective_description() {
        text.push_str(" -- ");
        text.push_str(&shorten(description));
    }
    text.push('\n');
    let limit = match detail {
        Detail::Full => MAX_COLUMNS,
        Detail::Compact => MAX_COMPACT_COLUMNS,
        Detail::Whole => usize::MAX,
    };
    let keep = chosen_columns(table, focus, limit, detail == Detail::Full);
    let omitted = table.columns.len() - keep.len();
    let lines: Vec<String> = table
        .columns
        .iter()
        .enumerate()
        .filter(|(index, _)| keep.contains(index))
        .map(|(_, column)| render_column(table, column, focus, detail == Detail::Whole))
        .collect();
    for (index, line) in lines.iter().enumerate() {
        let (code, comment) =
            line.split_once(" -- ").map_or((line.as_str(), None), |(code, comment)| (code, Some(comment)));
        text.push_str("  ");
        text.push_str(code);
        if index + 1 < lines.len() {
            text.push(',');
        }
        if let Some(comment) = comment {
            text.push_str(" -- ");
            text.push_str(comment);
        }
        text.push('\n');
    }
    if omitted > 0 {
        text.push_str(&format!("  -- … {omitted} autres colonnes\n"));
    }
    text.push_str(");\n");
    text
}

/// Renders one column: name, type, keys, then its description and its codes (with labels, for a whole schema or a
/// column the question links to) or values.
fn render_column(table: &Table, column: &Column, focus: &Focus, whole: bool) -> String {
    let mut line = format!("{} {}", column.name, column.data_type);
    if table.primary_key.len() == 1 && table.primary_key[0].eq_ignore_ascii_case(&column.name) {
        // NOT NULL is left out: it costs tokens and rarely changes the query.
        line.push_str(" PRIMARY KEY");
    }
    if let Some(key) = table.foreign_keys.iter().find(|key| key.columns.len() == 1 && key.columns[0] == column.name) {
        let referenced = match &key.referenced_schema {
            Some(schema) if table.schema.is_some() => format!("{schema}.{}", key.referenced_table),
            _ => key.referenced_table.clone(),
        };
        line.push_str(&format!(" REFERENCES {referenced}({})", key.referenced_columns.join(", ")));
    }
    let mut notes = Vec::new();
    if let Some(description) = column.effective_description() {
        notes.push(shorten(description));
    }
    let linked: Vec<&str> = focus
        .linked
        .iter()
        .filter(|(linked_table, linked_column, _)| {
            *linked_table == table.qualified_name() && *linked_column == column.name
        })
        .map(|(_, _, value)| value.as_str())
        .collect();
    let codes_listed = (whole || !linked.is_empty()) && !column.codes.is_empty();
    if codes_listed && column.codes.len() <= MAX_LISTED_CODES {
        notes.push(format!("codes {}", labelled(column, column.codes.iter().map(|code| code.value.as_str()))));
    } else if !linked.is_empty() && !column.codes.is_empty() {
        notes.push(format!("ex. {}", labelled(column, linked.iter().copied())));
    } else if !linked.is_empty() {
        notes.push(format!("ex. {}", quoted(&linked)));
    } else if !column.sample_values.is_empty()
        && column.sample_values.len() <= MAX_LISTED_VALUES
        && column.sample_values.iter().all(|value| value.chars().count() <= 12)
    {
        let values: Vec<&str> = column.sample_values.iter().map(String::as_str).collect();
        notes.push(format!("valeurs {}", quoted(&values)));
    }
    if !notes.is_empty() {
        line.push_str(" -- ");
        line.push_str(&notes.join(" ; "));
    }
    line
}

/// Renders the columns of `table` that `private` says only this reader may see (a cleared reader's sensitive
/// columns, left out of the shared stable schema), as one block; `None` when there are none.
pub(crate) fn render_private_columns(table: &Table, private: impl Fn(&str) -> bool) -> Option<String> {
    let unfocused = Focus::default();
    let lines: Vec<String> = table
        .columns
        .iter()
        .filter(|column| private(&column.name))
        .map(|column| format!("  {}\n", render_column(table, column, &unfocused, true)))
        .collect();
    (!lines.is_empty()).then(|| {
        format!(
            "-- Colonnes sensibles de {} (votre habilitation vous les montre) :\n{}",
            table.qualified_name(),
            lines.concat()
        )
    })
}

/// Picks at most `limit` columns (more only when keys and named columns alone exceed it): the question's named
/// and linked columns, then keys, then (when `fill`) the first ones in order.
fn chosen_columns(table: &Table, focus: &Focus, limit: usize, fill: bool) -> BTreeSet<usize> {
    if table.columns.len() <= limit {
        return (0..table.columns.len()).collect();
    }
    let name = table.qualified_name();
    let mut keep = BTreeSet::new();
    for (index, column) in table.columns.iter().enumerate() {
        let is_linked =
            focus.linked.iter().any(|(linked_table, linked, _)| *linked_table == name && *linked == column.name);
        if is_linked || column_words(column).iter().any(|word| focus.words.contains(word)) {
            keep.insert(index);
        }
    }
    for (index, column) in table.columns.iter().enumerate() {
        let is_key = table.primary_key.contains(&column.name)
            || table.foreign_keys.iter().any(|key| key.columns.contains(&column.name));
        if is_key && (keep.len() < limit || table.primary_key.contains(&column.name)) {
            keep.insert(index);
        }
    }
    for index in 0..table.columns.len() {
        if !fill || keep.len() >= limit {
            break;
        }
        keep.insert(index);
    }
    keep
}

/// Words too common to say which column a question is about.
const COMMON_WORDS: &[&str] = &[
    "avec", "aux", "codes", "combien", "dans", "des", "est", "for", "from", "les", "leur", "liste", "moins", "par",
    "plus", "pour", "quel", "quelle", "quelles", "quels", "sont", "sur", "that", "the", "tous", "toutes", "une",
    "voir", "what", "which", "with",
];

/// Returns the distinctive folded words of a text (identifiers expanded), for matching questions to columns.
pub(crate) fn distinctive_words(text: &str) -> Vec<String> {
    fold(&expand_identifiers(text))
        .split(|character: char| !character.is_alphanumeric())
        .filter(|word| word.len() > 2 && !COMMON_WORDS.contains(word))
        .map(str::to_owned)
        .collect()
}

fn column_words(column: &Column) -> Vec<String> {
    distinctive_words(&format!("{} {}", column.name, column.effective_description().unwrap_or_default()))
}

fn shorten(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= MAX_COMMENT_CHARS {
        return text;
    }
    let cut: String = text.chars().take(MAX_COMMENT_CHARS).collect();
    format!("{}…", cut.trim_end())
}

fn quoted(values: &[&str]) -> String {
    values.iter().map(|value| format!("'{}'", value.replace('\'', "''"))).collect::<Vec<_>>().join(", ")
}

/// `'EC'=En cours, 'RS'=Résilié`: the values, each with its label when it is one of the column's codes.
fn labelled<'a>(column: &Column, values: impl Iterator<Item = &'a str>) -> String {
    values
        .map(|value| {
            let quoted = quoted(&[value]);
            match column.codes.iter().find(|code| code.value == value) {
                Some(code) => format!("{quoted}={}", crate::vocabulary::short_label(&code.label)),
                None => quoted,
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Returns the estimated token cost of a table's rendering.
pub(crate) fn cost(table: &Table, focus: &Focus, detail: Detail) -> usize {
    estimate_tokens(&render_table(table, focus, detail))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ForeignKey;

    fn contrats() -> Table {
        let column = |name: &str, data_type: &str, comment: Option<&str>| Column {
            name: name.into(),
            data_type: data_type.into(),
            comment: comment.map(Into::into),
            ..Column::default()
        };
        let mut statut = column("CD_STATUT", "VARCHAR2(2)", Some("Code statut du contrat"));
        statut.sample_values = vec!["EC".into(), "RS".into()];
        Table {
            name: "CONTRATS".into(),
            comment: Some("Contrats d'assurance".into()),
            columns: vec![
                column("ID_CONTRAT", "NUMBER(10)", None),
                column("ID_CLIENT", "NUMBER(10)", None),
                statut,
                column("DT_EFF", "DATE", Some("Date d'effet")),
            ],
            primary_key: vec!["ID_CONTRAT".into()],
            foreign_keys: vec![ForeignKey {
                columns: vec!["ID_CLIENT".into()],
                referenced_table: "CLIENTS".into(),
                referenced_columns: vec!["ID_CLIENT".into()],
                ..ForeignKey::default()
            }],
            ..Table::default()
        }
    }

    /// CONTRATS with 30 more columns, `COL_0` to `COL_29`.
    fn wide_contrats() -> Table {
        let mut table = contrats();
        table.columns.extend((0..30).map(|index| Column {
            name: format!("COL_{index}"),
            data_type: "NUMBER".into(),
            ..Column::default()
        }));
        table
    }

    #[test]
    fn a_table_renders_as_commented_ddl_with_keys_and_values() {
        let text = render_table(&contrats(), &Focus::default(), Detail::Full);
        assert_eq!(
            text,
            "CREATE TABLE CONTRATS ( -- Contrats d'assurance\n  \
             ID_CONTRAT NUMBER(10) PRIMARY KEY,\n  \
             ID_CLIENT NUMBER(10) REFERENCES CLIENTS(ID_CLIENT),\n  \
             CD_STATUT VARCHAR2(2), -- Code statut du contrat ; valeurs 'EC', 'RS'\n  \
             DT_EFF DATE -- Date d'effet\n);\n"
        );
    }

    #[test]
    fn linked_values_replace_the_value_list() {
        let focus = Focus { linked: vec![("CONTRATS".into(), "CD_STATUT".into(), "RS".into())], ..Focus::default() };
        assert!(
            render_table(&contrats(), &focus, Detail::Full)
                .contains("CD_STATUT VARCHAR2(2), -- Code statut du contrat ; ex. 'RS'")
        );
    }

    #[test]
    fn wide_tables_keep_keys_and_named_columns_and_count_the_rest() {
        let mut table = wide_contrats();
        table.columns.push(Column {
            name: "MT_PRIME_TTC".into(),
            data_type: "NUMBER(12,2)".into(),
            ..Column::default()
        });
        let focus = Focus { words: ["montant".to_owned()].into_iter().collect(), ..Focus::default() };
        let text = render_table(&table, &focus, Detail::Full);
        assert!(text.contains("MT_PRIME_TTC"), "{text}");
        assert!(text.contains("ID_CLIENT") && text.contains("autres colonnes"));
        let compact = render_table(&table, &focus, Detail::Compact);
        assert!(compact.contains("MT_PRIME_TTC") && compact.contains("ID_CONTRAT") && !compact.contains("COL_29"));
    }

    #[test]
    fn a_whole_schema_table_has_every_column_and_nothing_from_the_question() {
        let table = wide_contrats();
        let focus = Focus {
            words: ["col_29".to_owned()].into_iter().collect(),
            linked: vec![("CONTRATS".into(), "CD_STATUT".into(), "RS".into())],
        };
        let text = render_table(&table, &focus, Detail::Whole);
        assert_eq!(text, render_table(&table, &Focus::default(), Detail::Whole), "the question changes nothing");
        assert!(text.contains("COL_0") && text.contains("COL_29") && !text.contains("autres colonnes"), "{text}");
        assert!(text.contains("valeurs 'EC', 'RS'") && !text.contains("ex. 'RS'"), "{text}");
    }

    #[test]
    fn a_code_column_lists_its_labelled_codes_when_linked_or_whole_and_its_values_otherwise() {
        let mut table = contrats();
        table.columns[2].codes = ["EC:En cours", "RS:Résilié (voir DT_RESIL)"]
            .iter()
            .map(|entry| {
                let (value, label) = entry.split_once(':').expect("value:label");
                crate::catalog::Code { value: value.into(), label: label.into(), ..Default::default() }
            })
            .collect();
        let linked = Focus { linked: vec![("CONTRATS".into(), "CD_STATUT".into(), "RS".into())], ..Focus::default() };
        let expected = "CD_STATUT VARCHAR2(2), -- Code statut du contrat ; codes 'EC'=En cours, 'RS'=Résilié";
        assert!(render_table(&table, &linked, Detail::Full).contains(expected), "the question links it");
        assert!(render_table(&table, &Focus::default(), Detail::Whole).contains(expected), "a whole schema");
        assert!(
            render_table(&table, &Focus::default(), Detail::Full).contains("valeurs 'EC', 'RS'"),
            "an unlinked code column costs no more than its values"
        );
    }
}
