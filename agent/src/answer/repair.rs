//! What the model is told after a failed attempt: the failure, and — when it named a column or a table that does
//! not exist — the real names closest to it and the columns of the tables its query used. A small model shown
//! only "no such column" tends to write the same query again; shown the names, it picks the right one.

mod missing_join;
mod scope;
mod self_join;

use indexer::catalog::{Catalog, Table};
use indexer::source::explain::SqlErrorKind;

use crate::guard::Dialect;

pub use missing_join::join_missing;
use scope::Scopes;
pub use self_join::{SelfJoin, self_join};

/// Suggestions kept per unknown name.
const SUGGESTIONS: usize = 3;
/// Columns listed per table in the reminder.
const COLUMNS_LISTED: usize = 40;

/// Builds the repair message for `failure`, the reason an attempt failed, of kind `kind`; `tables` are the tables
/// its query read (as the guard found them). `catalog` is what the user may see: nothing else is suggested.
pub fn message(failure: &str, kind: &SqlErrorKind, tables: &[String], catalog: &Catalog) -> String {
    let used: Vec<&Table> = tables.iter().filter_map(|name| resolve(catalog, name)).collect();
    let mut notes = Vec::new();
    let column = match kind {
        SqlErrorKind::UnknownColumn { name } => Some(last_part(name).to_owned()),
        _ => None,
    };
    let table = match kind {
        SqlErrorKind::UnknownTable { name: Some(name) } => Some(last_part(name).to_owned()),
        _ => None,
    };
    if let Some(column) = column {
        let own = suggest(&column, used.iter().flat_map(|table| qualified_columns(table)));
        if own.is_empty() {
            let elsewhere = suggest(&column, catalog.tables.iter().flat_map(qualified_columns));
            if !elsewhere.is_empty() {
                notes.push(format!(
                    "{column} n'est dans aucune de ces tables ; colonnes proches ailleurs (joindre la table) : {}",
                    elsewhere.join(", ")
                ));
            }
        } else {
            notes.push(format!("au lieu de {column}, peut-être : {}", own.join(", ")));
        }
    }
    if let Some(table) = table {
        let names = suggest(&table, catalog.tables.iter().map(|table| table.name.clone()));
        if !names.is_empty() {
            notes.push(format!("au lieu de la table {table}, peut-être : {}", names.join(", ")));
        }
    }
    if !notes.is_empty() || *kind == SqlErrorKind::AmbiguousColumn {
        for table in &used {
            let columns: Vec<&str> =
                table.columns.iter().take(COLUMNS_LISTED).map(|column| column.name.as_str()).collect();
            notes.push(format!("colonnes de {} : {}", table.name, columns.join(", ")));
        }
    }
    let mut message = format!("Cette requête a échoué : {failure}.");
    for note in notes {
        message.push_str("\n- ");
        message.push_str(&note);
    }
    message.push_str("\nCorrige-la et réponds uniquement par la requête corrigée, dans un bloc ```sql.");
    message
}

/// Corrects, without the model, a column the warehouse says does not exist, the surest way first: the same name
/// under another alias or spelling ([`fix_column`] exact), then the same name in a table one foreign key away
/// ([`join_missing`]), and only then a close spelling ([`fix_column`] fuzzy) — never one that changes what the
/// column means (`MT_PRIME_TTC` → `MT_PRIME_HT`): that is left to the model. Returns the corrected query and what
/// changed.
pub fn correct(sql: &str, kind: &SqlErrorKind, catalog: &Catalog, dialect: Dialect) -> Option<(String, String)> {
    let SqlErrorKind::UnknownColumn { name } = kind else { return None };
    fix_column(sql, name, catalog, dialect, Closeness::Same)
        .or_else(|| join_missing(sql, name, catalog, dialect))
        .or_else(|| fix_column(sql, name, catalog, dialect, Closeness::Spelling))
}

/// How close a replacement column must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closeness {
    /// The same name once case and underscores are set aside.
    Same,
    /// A small edit away that keeps every word's meaning (a typo, not another word).
    Spelling,
}

/// Corrects `wanted`, a column reference the warehouse says does not exist, when the tables its SELECT sees leave one
/// candidate as close as `closeness` asks: `T2.Model` when `Model` is a column of the table aliased `T1` (small
/// models mix up aliases), `pet_type` when the table has `PetType`, `capacty` → `Capacity`. The nearest SELECT with
/// a candidate decides: its own, else the ones around it; a subquery's tables are not candidates outside it.
/// Returns the corrected query and what changed.
pub fn fix_column(
    sql: &str,
    wanted: &str,
    catalog: &Catalog,
    dialect: Dialect,
    closeness: Closeness,
) -> Option<(String, String)> {
    let (qualifier, column) = split_reference(wanted);
    let scopes = Scopes::of(sql, catalog, dialect, wanted)?;
    let nearest = |close: &dyn Fn(&str) -> bool| -> Vec<(String, String)> {
        scopes.nearest(|(binding, table)| {
            table.columns.iter().filter(|c| close(&c.name)).map(|c| (binding.clone(), c.name.clone())).collect()
        })
    };
    let found = match closeness {
        Closeness::Same => nearest(&|name: &str| fold_name(name) == fold_name(column)),
        Closeness::Spelling => {
            let limit = (fold_name(column).len() / 3).max(1);
            nearest(&|name: &str| {
                edit_distance(&fold_name(name), &fold_name(column)) <= limit && !changes_meaning(column, name)
            })
        }
    };
    let [(binding, real)] = found.as_slice() else { return None };
    let replacement =
        if qualifier.is_some() || scopes.bindings().count() > 1 { format!("{binding}.{real}") } else { real.clone() };
    let fixed = replace_reference(sql, wanted, &replacement)?;
    Some((fixed, format!("{wanted} → {replacement}")))
}

/// Words that look alike in column names but do not mean the same: a rename between two of a group is never a
/// typo.
const DISTINCT_WORDS: &[&[&str]] =
    &[&["HT", "TTC", "TVA"], &["BRUT", "NET"], &["MIN", "MAX"], &["DEBUT", "FIN"], &["DEBIT", "CREDIT"]];

/// Whether renaming `from` to `to` changes what the column means rather than its spelling: another number of
/// words, a word replaced by a different one (more than a third of it edited), or two words of a
/// [`DISTINCT_WORDS`] group (`MT_PRIME_TTC` → `MT_PRIME_HT`, `MONTANT` → `MONTANT_HT`).
fn changes_meaning(from: &str, to: &str) -> bool {
    let words = |name: &str| -> Vec<String> {
        name.split(|c: char| c == '_' || !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(str::to_uppercase)
            .collect()
    };
    let (from, to) = (words(from), words(to));
    if from.len() != to.len() {
        // `PetType` and `pet_type` differ only in how words are marked: compare them whole.
        return from.concat() != to.concat();
    }
    from.iter().zip(&to).any(|(left, right)| {
        left != right
            && (DISTINCT_WORDS.iter().any(|group| group.contains(&left.as_str()) && group.contains(&right.as_str()))
                || edit_distance(left, right) * 3 > left.len().max(right.len()))
    })
}

/// Replaces each whole-word, case-insensitive occurrence of `reference` outside string literals. Compares
/// character by character on `sql` itself: a lower-cased copy can differ in length (`İ` is two bytes more in
/// lower case), and its byte offsets would cut the original inside a character.
fn replace_reference(sql: &str, reference: &str, replacement: &str) -> Option<String> {
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let mut out = String::with_capacity(sql.len() + replacement.len());
    let (mut index, mut in_string, mut replaced) = (0, false, false);
    while index < sql.len() {
        let rest = &sql[index..];
        let before = sql[..index].chars().next_back();
        if !in_string
            && let Some(length) = prefix_ignoring_case(rest, reference)
            && before.is_none_or(|c| !word(c))
            && rest[length..].chars().next().is_none_or(|c| !word(c))
        {
            out.push_str(replacement);
            index += length;
            replaced = true;
            continue;
        }
        let c = sql[index..].chars().next()?;
        if c == '\'' {
            in_string = !in_string;
        }
        out.push(c);
        index += c.len_utf8();
    }
    replaced.then_some(out)
}

/// The length in bytes of the start of `text` that equals `prefix` case-insensitively, if it does.
fn prefix_ignoring_case(text: &str, prefix: &str) -> Option<usize> {
    let mut characters = text.char_indices();
    for wanted in prefix.chars() {
        let (_, found) = characters.next()?;
        if !found.to_lowercase().eq(wanted.to_lowercase()) {
            return None;
        }
    }
    Some(characters.next().map_or(text.len(), |(at, _)| at))
}

/// Whether two attempts are the same query (case and spacing aside): repeating one will fail the same way.
pub fn same_query(left: &str, right: &str) -> bool {
    let canonical = |sql: &str| sql.split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase();
    canonical(left) == canonical(right)
}

/// A table name as written in the query, without quotes (`HR.CLIENTS` of `"HR"."CLIENTS"`).
fn written_name(name: &sqlparser::ast::ObjectName) -> String {
    name.0.iter().map(|part| part.to_string().replace('"', "")).collect::<Vec<_>>().join(".")
}

/// Finds the catalog table of a name as the guard reports it (`T`, `SCHEMA.T`, quoted or not).
fn resolve<'a>(catalog: &'a Catalog, name: &str) -> Option<&'a Table> {
    let name = name.replace('"', "");
    match name.rsplit_once('.') {
        Some((schema, table)) => catalog.table(Some(schema), table),
        None => catalog.table(None, &name),
    }
}

fn qualified_columns(table: &Table) -> impl Iterator<Item = String> + '_ {
    table.columns.iter().map(move |column| format!("{}.{}", table.name, column.name))
}

/// `(Some("T1"), "MONTANT")` of `T1.MONTANT`, `(None, "MONTANT")` of `MONTANT`.
fn split_reference(reference: &str) -> (Option<&str>, &str) {
    match reference.rsplit_once('.') {
        Some((qualifier, column)) => (Some(qualifier), column),
        None => (None, reference),
    }
}

/// `MONTANT` of `T1.MONTANT`.
fn last_part(reference: &str) -> &str {
    reference.rsplit('.').next().unwrap_or(reference)
}

/// A name with case and underscores set aside, for comparing names.
fn fold_name(text: &str) -> String {
    text.to_lowercase().replace('_', "")
}

/// Up to [`SUGGESTIONS`] candidates (`TABLE.COLUMN` or `TABLE`) whose last part is close to `wanted`: same word
/// once case and underscores are set aside, one containing the other, or a small edit distance.
fn suggest(wanted: &str, candidates: impl Iterator<Item = String>) -> Vec<String> {
    let wanted = fold_name(wanted);
    if wanted.len() < 2 {
        return Vec::new();
    }
    let mut scored: Vec<(usize, String)> = candidates
        .filter_map(|candidate| {
            let last = fold_name(last_part(&candidate));
            let distance = if last == wanted {
                0
            } else if last.contains(&wanted) || wanted.contains(&last) && last.len() >= 3 {
                1
            } else {
                let distance = edit_distance(&last, &wanted);
                if distance > (wanted.len() / 3).max(1) {
                    return None;
                }
                distance + 1
            };
            Some((distance, candidate))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(SUGGESTIONS).map(|(_, candidate)| candidate).collect()
}

fn edit_distance(left: &str, right: &str) -> usize {
    let right: Vec<char> = right.chars().collect();
    let mut previous: Vec<usize> = (0..=right.len()).collect();
    for (i, a) in left.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, b) in right.iter().enumerate() {
            let substitution = previous[j] + usize::from(a != *b);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[right.len()]
}

#[cfg(test)]
mod tests {
    use indexer::catalog::Column;

    use super::*;

    pub(super) fn table(name: &str, columns: &[&str]) -> Table {
        Table {
            name: name.into(),
            columns: columns
                .iter()
                .map(|column| Column { name: (*column).into(), data_type: "TEXT".into(), ..Column::default() })
                .collect(),
            ..Table::default()
        }
    }

    /// A table with single-column foreign keys, each as (column, referenced table, referenced column).
    pub(super) fn keyed_table(name: &str, columns: &[&str], keys: &[(&str, &str, &str)]) -> Table {
        let foreign_keys = keys
            .iter()
            .map(|(column, referenced, referenced_column)| indexer::catalog::ForeignKey {
                columns: vec![(*column).into()],
                referenced_table: (*referenced).into(),
                referenced_columns: vec![(*referenced_column).into()],
                ..indexer::catalog::ForeignKey::default()
            })
            .collect();
        Table { foreign_keys, ..table(name, columns) }
    }

    fn catalog() -> Catalog {
        Catalog {
            tables: vec![
                table("singer", &["Singer_ID", "Name", "Country", "Age"]),
                table("concert", &["concert_ID", "concert_Name", "Stadium_ID", "Year"]),
                table("stadium", &["Stadium_ID", "Location", "Capacity"]),
            ],
            ..Catalog::default()
        }
    }

    #[test]
    fn an_unknown_column_gets_the_closest_real_ones_and_the_tables_columns() {
        let column = |name: &str| SqlErrorKind::UnknownColumn { name: name.into() };
        let text =
            message("column T1.singer_name does not exist", &column("T1.singer_name"), &["SINGER".into()], &catalog());
        assert!(text.contains("peut-être : singer.Name"), "{text}");
        assert!(text.contains("colonnes de singer : Singer_ID, Name, Country, Age"), "{text}");
        let typo = message("column capacty does not exist", &column("capacty"), &["STADIUM".into()], &catalog());
        assert!(typo.contains("stadium.Capacity"), "{typo}");
    }

    #[test]
    fn a_column_of_another_table_is_pointed_at() {
        let kind = SqlErrorKind::UnknownColumn { name: "Capacity".into() };
        let text = message("column Capacity does not exist", &kind, &["CONCERT".into()], &catalog());
        assert!(text.contains("ailleurs (joindre la table) : stadium.Capacity"), "{text}");
    }

    #[test]
    fn an_unknown_table_gets_close_table_names_and_plain_failures_stay_short() {
        let text = message(
            "refused by rule unknown_table: table `STADIUMS` does not exist in the indexed catalog",
            &SqlErrorKind::UnknownTable { name: Some("STADIUMS".into()) },
            &[],
            &catalog(),
        );
        assert!(text.contains("au lieu de la table STADIUMS, peut-être : stadium"), "{text}");
        let plain = message(
            "a column name is ambiguous: prefix every column",
            &SqlErrorKind::AmbiguousColumn,
            &["SINGER".into()],
            &catalog(),
        );
        assert!(!plain.contains("au lieu de"), "{plain}");
        let plain =
            message("the SQL syntax is wrong (near FORM)", &SqlErrorKind::Syntax, &["SINGER".into()], &catalog());
        assert!(!plain.contains("colonnes de"), "{plain}");
    }

    #[test]
    fn a_column_under_the_wrong_alias_or_spelling_is_corrected_without_the_model() {
        let sql = "SELECT T2.Capacity FROM stadium AS T1 JOIN concert AS T2 ON T1.Stadium_ID = T2.Stadium_ID \
                   WHERE T2.Year = '2014'";
        let (fixed, change) =
            fix_column(sql, "T2.Capacity", &catalog(), Dialect::Sqlite, Closeness::Spelling).expect("fix");
        assert_eq!(change, "T2.Capacity → T1.Capacity");
        assert!(fixed.starts_with("SELECT T1.Capacity FROM stadium AS T1"), "{fixed}");
        let (fixed, _) = fix_column(
            "SELECT singer_name FROM singer",
            "singer_name",
            &catalog(),
            Dialect::Sqlite,
            Closeness::Spelling,
        )
        .map_or((String::new(), String::new()), |fix| fix);
        assert_eq!(fixed, "", "no single close column: left to the model");
        let (fixed, change) =
            fix_column("SELECT capacty FROM stadium", "capacty", &catalog(), Dialect::Sqlite, Closeness::Spelling)
                .expect("fix");
        assert_eq!((fixed.as_str(), change.as_str()), ("SELECT Capacity FROM stadium", "capacty → Capacity"));
        assert_eq!(
            replace_reference("SELECT a.x, 'a.x' FROM t a WHERE a.xy = 1", "a.x", "b.x").as_deref(),
            Some("SELECT b.x, 'a.x' FROM t a WHERE a.xy = 1")
        );
    }

    #[test]
    fn a_subquerys_tables_are_no_candidates_outside_it() {
        // The same table is T1 outside and again in the subquery; the column is read in both.
        let catalog = Catalog {
            tables: vec![
                table("singer", &["Singer_ID", "Name", "Song_Name", "Age"]),
                table("singer_in_concert", &["concert_ID", "Singer_ID"]),
            ],
            ..Catalog::default()
        };
        let sql = "SELECT T2.song_name FROM singer AS T1 INNER JOIN singer_in_concert AS T2 ON T1.singer_id = \
                   T2.singer_id WHERE T1.age > (SELECT AVG(age) FROM singer)";
        let (fixed, change) =
            fix_column(sql, "T2.song_name", &catalog, Dialect::Sqlite, Closeness::Spelling).expect("a fix");
        assert_eq!(change, "T2.song_name → T1.Song_Name");
        assert!(fixed.starts_with("SELECT T1.Song_Name FROM singer AS T1"), "{fixed}");
        // Inside the subquery its own table comes first, though the outer T1 is the same table.
        let sql = "SELECT Name FROM singer AS T1 WHERE T1.Age > (SELECT AVG(ages) FROM singer)";
        let (fixed, change) = fix_column(sql, "ages", &catalog, Dialect::Sqlite, Closeness::Spelling).expect("a fix");
        assert_eq!(change, "ages → singer.Age");
        assert!(fixed.ends_with("(SELECT AVG(singer.Age) FROM singer)"), "{fixed}");
    }

    /// Premiums: the contract's tax-inclusive amount, and its guarantees' pre-tax amounts.
    fn premiums() -> Catalog {
        Catalog {
            tables: vec![
                keyed_table("CONTRATS", &["ID_CONTRAT", "NUM_POLICE", "MT_PRIME_TTC"], &[]),
                keyed_table(
                    "CONTRATS_GARANTIES",
                    &["ID_CONTRAT", "CD_GARANTIE", "MT_PRIME_HT"],
                    &[("ID_CONTRAT", "CONTRATS", "ID_CONTRAT")],
                ),
            ],
            ..Catalog::default()
        }
    }

    #[test]
    fn the_exact_column_one_key_away_wins_over_a_close_spelling_in_the_querys_table() {
        let sql = "SELECT SUM(cg.MT_PRIME_TTC) FROM CONTRATS_GARANTIES cg WHERE cg.CD_GARANTIE = 'VOL'";
        let kind = SqlErrorKind::UnknownColumn { name: "cg.MT_PRIME_TTC".into() };
        let (fixed, change) = correct(sql, &kind, &premiums(), Dialect::Oracle).expect("a correction");
        assert!(fixed.contains("SUM(CONTRATS.MT_PRIME_TTC)") && fixed.contains("JOIN CONTRATS ON"), "{fixed}");
        assert!(change.contains("joining CONTRATS"), "{change}");
    }

    #[test]
    fn a_close_spelling_that_changes_the_meaning_is_left_to_the_model() {
        // No table one key away holds MT_PRIME_TTC here: only the pre-tax amount is close, and it means another thing.
        let catalog = Catalog { tables: vec![premiums().tables[1].clone()], ..Catalog::default() };
        let sql = "SELECT SUM(MT_PRIME_TTC) FROM CONTRATS_GARANTIES";
        let kind = SqlErrorKind::UnknownColumn { name: "MT_PRIME_TTC".into() };
        assert_eq!(correct(sql, &kind, &catalog, Dialect::Sqlite), None);
        assert!(changes_meaning("MT_PRIME_TTC", "MT_PRIME_HT") && changes_meaning("MONTANT", "MONTANT_HT"));
        assert!(!changes_meaning("capacty", "Capacity") && !changes_meaning("PetType", "pet_type"));
        // A typo is still corrected, after the exact repairs found nothing.
        let kind = SqlErrorKind::UnknownColumn { name: "MT_PRIM_HT".into() };
        let (fixed, _) = correct(sql.replace("MT_PRIME_TTC", "MT_PRIM_HT").as_str(), &kind, &catalog, Dialect::Sqlite)
            .expect("a typo is corrected");
        assert_eq!(fixed, "SELECT SUM(MT_PRIME_HT) FROM CONTRATS_GARANTIES");
    }

    #[test]
    fn text_whose_lower_case_is_longer_does_not_break_a_correction() {
        // `İ` lower-cases to two characters: offsets of a lower-cased copy would cut the original mid-character.
        let sql = "SELECT capacty FROM stadium WHERE Location = 'İstanbul' AND capacty > 0";
        let (fixed, _) = fix_column(sql, "capacty", &catalog(), Dialect::Sqlite, Closeness::Spelling).expect("a fix");
        assert_eq!(fixed, "SELECT Capacity FROM stadium WHERE Location = 'İstanbul' AND Capacity > 0");
        assert_eq!(
            replace_reference("SELECT 'İİİİ', ẞ.x FROM t ẞ", "ß.x", "t.x").as_deref(),
            Some("SELECT 'İİİİ', t.x FROM t ẞ")
        );
    }

    #[test]
    fn repeated_queries_are_recognised() {
        assert!(same_query("SELECT  a\nFROM t", "select a from T"));
        assert!(!same_query("SELECT a FROM t", "SELECT b FROM t"));
        assert_eq!(edit_distance("capacty", "capacity"), 1);
    }
}
