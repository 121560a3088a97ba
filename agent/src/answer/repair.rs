//! What the model is told after a failed attempt: the failure, and — when it named a column or a table that does
//! not exist — the real names closest to it and the columns of the tables its query used. A small model shown
//! only "no such column" tends to write the same query again; shown the names, it picks the right one.

mod missing_join;
mod scope;
mod self_join;

use indexer::catalog::{Catalog, Table};

use crate::guard::Dialect;

pub use missing_join::join_missing;
use scope::Scopes;
pub use self_join::{SelfJoin, self_join};

/// Suggestions kept per unknown name.
const SUGGESTIONS: usize = 3;
/// Columns listed per table in the reminder.
const COLUMNS_LISTED: usize = 40;

/// Builds the repair message for `failure`, the reason an attempt failed; `tables` are the tables its query read
/// (as the guard found them).
pub fn message(failure: &str, tables: &[String], catalog: &Catalog) -> String {
    let used: Vec<&Table> = tables.iter().filter_map(|name| resolve(catalog, name)).collect();
    let mut notes = Vec::new();
    if let Some(column) = unknown(failure, "column ").map(|reference| last_part(&reference).to_owned()) {
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
    if let Some(table) = unknown(failure, "table ").map(|reference| last_part(&reference).to_owned()) {
        let names = suggest(&table, catalog.tables.iter().map(|table| table.name.clone()));
        if !names.is_empty() {
            notes.push(format!("au lieu de la table {table}, peut-être : {}", names.join(", ")));
        }
    }
    if !notes.is_empty() || failure.contains("ambiguous") {
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

/// Corrects, without asking the model, a column the warehouse says does not exist when the tables its SELECT sees
/// leave one clear candidate: `T2.Model` when `Model` is a column of the table aliased `T1` (small models mix up
/// aliases), or `pet_type` when the table has `PetType`. The nearest SELECT with a candidate decides: its own, else
/// the ones around it; a subquery's tables are not candidates outside it. Returns the corrected query and what
/// changed.
pub fn fix_column(sql: &str, failure: &str, catalog: &Catalog, dialect: Dialect) -> Option<(String, String)> {
    let wanted = unknown(failure, "column ")?;
    let (qualifier, column) = split_reference(&wanted);
    let scopes = Scopes::of(sql, catalog, dialect, &wanted)?;
    let nearest = |close: &dyn Fn(&str) -> bool| -> Vec<(String, String)> {
        scopes.nearest(|(binding, table)| {
            table.columns.iter().filter(|c| close(&c.name)).map(|c| (binding.clone(), c.name.clone())).collect()
        })
    };
    let mut found = nearest(&|name: &str| fold_name(name) == fold_name(column));
    if found.is_empty() {
        let limit = (fold_name(column).len() / 3).max(1);
        found = nearest(&|name: &str| edit_distance(&fold_name(name), &fold_name(column)) <= limit);
    }
    let [(binding, real)] = found.as_slice() else { return None };
    let replacement =
        if qualifier.is_some() || scopes.bindings().count() > 1 { format!("{binding}.{real}") } else { real.clone() };
    let fixed = replace_reference(sql, &wanted, &replacement)?;
    Some((fixed, format!("{wanted} → {replacement}")))
}

/// Replaces each whole-word, case-insensitive occurrence of `reference` outside string literals.
fn replace_reference(sql: &str, reference: &str, replacement: &str) -> Option<String> {
    let lower = sql.to_lowercase();
    let target = reference.to_lowercase();
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let mut out = String::with_capacity(sql.len() + replacement.len());
    let (mut index, mut in_string, mut replaced) = (0, false, false);
    while index < sql.len() {
        let rest = &lower[index..];
        let before = sql[..index].chars().next_back();
        if !in_string
            && rest.starts_with(&target)
            && before.is_none_or(|c| !word(c))
            && rest[target.len()..].chars().next().is_none_or(|c| !word(c))
        {
            out.push_str(replacement);
            index += target.len();
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

/// The name in a hint such as "column T1.MONTANT does not exist" (`kind` = "column "), as the query wrote it
/// (`T1.MONTANT`), without quotes.
fn unknown(failure: &str, kind: &str) -> Option<String> {
    let lower = failure.to_lowercase();
    let start = lower.find(kind)? + kind.len();
    let rest = &failure[start..];
    let end = rest.find(" does not exist")?;
    let name = rest[..end].replace(['"', '`'], "");
    let name = name.trim().trim_matches(|c| c == '\'' || c == ':');
    (!name.is_empty() && !name.contains(' ')).then(|| name.to_owned())
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
        let text = message("column T1.singer_name does not exist", &["SINGER".into()], &catalog());
        assert!(text.contains("peut-être : singer.Name"), "{text}");
        assert!(text.contains("colonnes de singer : Singer_ID, Name, Country, Age"), "{text}");
        let typo = message("column capacty does not exist", &["STADIUM".into()], &catalog());
        assert!(typo.contains("stadium.Capacity"), "{typo}");
    }

    #[test]
    fn a_column_of_another_table_is_pointed_at() {
        let text = message("column Capacity does not exist", &["CONCERT".into()], &catalog());
        assert!(text.contains("ailleurs (joindre la table) : stadium.Capacity"), "{text}");
    }

    #[test]
    fn an_unknown_table_gets_close_table_names_and_plain_failures_stay_short() {
        let text = message(
            "refused by rule unknown_table: table `STADIUMS` does not exist in the indexed catalog",
            &[],
            &catalog(),
        );
        assert!(text.contains("au lieu de la table STADIUMS, peut-être : stadium"), "{text}");
        let plain = message("a column name is ambiguous: prefix every column", &["SINGER".into()], &catalog());
        assert!(!plain.contains("au lieu de"), "{plain}");
        let plain = message("the SQL syntax is wrong (near FORM)", &["SINGER".into()], &catalog());
        assert!(!plain.contains("colonnes de"), "{plain}");
    }

    #[test]
    fn a_column_under_the_wrong_alias_or_spelling_is_corrected_without_the_model() {
        let sql = "SELECT T2.Capacity FROM stadium AS T1 JOIN concert AS T2 ON T1.Stadium_ID = T2.Stadium_ID \
                   WHERE T2.Year = '2014'";
        let (fixed, change) =
            fix_column(sql, "column T2.Capacity does not exist: use only…", &catalog(), Dialect::Sqlite).expect("fix");
        assert_eq!(change, "T2.Capacity → T1.Capacity");
        assert!(fixed.starts_with("SELECT T1.Capacity FROM stadium AS T1"), "{fixed}");
        let (fixed, _) = fix_column(
            "SELECT singer_name FROM singer",
            "column singer_name does not exist",
            &catalog(),
            Dialect::Sqlite,
        )
        .map_or((String::new(), String::new()), |fix| fix);
        assert_eq!(fixed, "", "no single close column: left to the model");
        let (fixed, change) =
            fix_column("SELECT capacty FROM stadium", "column capacty does not exist", &catalog(), Dialect::Sqlite)
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
            fix_column(sql, "column T2.song_name does not exist", &catalog, Dialect::Sqlite).expect("a fix");
        assert_eq!(change, "T2.song_name → T1.Song_Name");
        assert!(fixed.starts_with("SELECT T1.Song_Name FROM singer AS T1"), "{fixed}");
        // Inside the subquery its own table comes first, though the outer T1 is the same table.
        let sql = "SELECT Name FROM singer AS T1 WHERE T1.Age > (SELECT AVG(ages) FROM singer)";
        let (fixed, change) = fix_column(sql, "column ages does not exist", &catalog, Dialect::Sqlite).expect("a fix");
        assert_eq!(change, "ages → singer.Age");
        assert!(fixed.ends_with("(SELECT AVG(singer.Age) FROM singer)"), "{fixed}");
    }

    #[test]
    fn repeated_queries_are_recognised() {
        assert!(same_query("SELECT  a\nFROM t", "select a from T"));
        assert!(!same_query("SELECT a FROM t", "SELECT b FROM t"));
        assert_eq!(edit_distance("capacty", "capacity"), 1);
    }
}
