//! A column that none of the tables its SELECT can see holds but one more table does (`T2.LName` when `LName` is a
//! column of `Student`, which the query never joined): small models name the column and forget the join, and told
//! "column does not exist" they often write the same query again. When exactly one foreign key links a table
//! holding the column to a table of that SELECT, the join is added on that key and the column requalified. A table
//! joined only in a subquery does not count: `WHERE cars_data.Weight < (SELECT AVG(Weight) FROM cars_data)` still
//! needs `cars_data` joined outside.

use indexer::catalog::{Catalog, Table};

use super::scope::{FromItem, Scopes};
use super::self_join::{keys_between, offset};
use super::{replace_reference, split_reference};
use crate::guard::{self, Dialect};

/// Joins the table holding `wanted`, a column reference the warehouse says does not exist, when one foreign key
/// links it to a table of the SELECT the column sits in. Returns the corrected query and what changed.
pub fn join_missing(sql: &str, wanted: &str, catalog: &Catalog, dialect: Dialect) -> Option<(String, String)> {
    let (qualifier, column) = split_reference(wanted);
    let scopes = Scopes::of(sql, catalog, dialect, wanted)?;
    // The tables the column can see: when one of them holds it, the failure is something else.
    let visible = scopes.visible();
    if visible.iter().any(|table| holds(table, column).is_some()) {
        return None;
    }
    let mut holders: Vec<&Table> = catalog
        .tables
        .iter()
        .filter(|table| holds(table, column).is_some() && !visible.iter().any(|own| std::ptr::eq(*own, *table)))
        .collect();
    // `cars_data.Weight` names the table the model meant.
    if let Some(named) =
        qualifier.and_then(|q| holders.iter().copied().find(|table| table.name.eq_ignore_ascii_case(q)))
    {
        holders = vec![named];
    }
    let items: Vec<&FromItem<'_>> =
        scopes.reference_selects().into_iter().flat_map(|select| scopes.selects[select].items.iter()).collect();
    let links: Vec<(&FromItem<'_>, &str, &Table, String, String)> = holders
        .iter()
        .flat_map(|holder| {
            items.iter().flat_map(move |item| {
                item.bindings.iter().flat_map(move |(binding, table)| {
                    keys_between(holder, table)
                        .into_iter()
                        .map(move |(own, theirs)| (*item, binding.as_str(), *holder, own, theirs))
                })
            })
        })
        .collect();
    let [(item, binding, holder, own, theirs)] = links.as_slice() else { return None };
    let at = offset(sql, item.end?)?;
    let name = &holder.name;
    let mut fixed = sql.to_owned();
    fixed.insert_str(at, &format!(" JOIN {name} ON {name}.{own} = {binding}.{theirs}"));
    let replacement = format!("{name}.{}", holds(holder, column)?);
    let mut change = format!("joining {name} on {name}.{own} = {binding}.{theirs}");
    if !wanted.eq_ignore_ascii_case(&replacement) {
        fixed = replace_reference(&fixed, wanted, &replacement)?;
        change = format!("{wanted} → {replacement}, {change}");
    }
    guard::parse(&fixed, dialect).ok()?;
    Some((fixed, change))
}

/// The real name of `column` in `table`, if it has it.
fn holds<'a>(table: &'a Table, column: &str) -> Option<&'a str> {
    table.columns.iter().find(|c| c.name.eq_ignore_ascii_case(column)).map(|c| c.name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::tests::keyed_table as table;

    /// Spider's pets_1 and car_1, where the model forgot these joins.
    fn catalog() -> Catalog {
        Catalog {
            tables: vec![
                table("Student", &["StuID", "LName", "Fname", "Age"], &[]),
                table("Has_Pet", &["StuID", "PetID"], &[("StuID", "Student", "StuID"), ("PetID", "Pets", "PetID")]),
                table("Pets", &["PetID", "PetType", "pet_age", "weight"], &[]),
                table("car_names", &["MakeId", "Model", "Make"], &[]),
                table("cars_data", &["Id", "Year", "Weight"], &[("Id", "car_names", "MakeId")]),
            ],
            ..Catalog::default()
        }
    }

    #[test]
    fn the_table_holding_the_missing_column_is_joined_on_its_foreign_key() {
        let (fixed, change) = join_missing(
            "SELECT T2.LName FROM Pets AS T1 INNER JOIN Has_Pet AS T2 ON T1.PetID = T2.PetID WHERE T1.PetType = 'cat' \
             AND T1.pet_age = 3",
            "T2.LName",
            &catalog(),
            Dialect::Sqlite,
        )
        .expect("a fix");
        assert_eq!(
            fixed,
            "SELECT Student.LName FROM Pets AS T1 INNER JOIN Has_Pet AS T2 ON T1.PetID = T2.PetID JOIN Student ON \
             Student.StuID = T2.StuID WHERE T1.PetType = 'cat' AND T1.pet_age = 3"
        );
        assert_eq!(change, "T2.LName → Student.LName, joining Student on Student.StuID = T2.StuID");
        // The model named the table but did not join it; a single table in FROM, no alias.
        let (fixed, _) = join_missing(
            "SELECT Model FROM car_names WHERE cars_data.Year > 1980 ORDER BY Model",
            "cars_data.Year",
            &catalog(),
            Dialect::Sqlite,
        )
        .expect("a fix");
        assert_eq!(
            fixed,
            "SELECT Model FROM car_names JOIN cars_data ON cars_data.Id = car_names.MakeId WHERE cars_data.Year > \
             1980 ORDER BY Model"
        );
    }

    #[test]
    fn a_table_joined_only_in_a_subquery_is_joined_where_the_column_is_read() {
        // The subquery reads a table, the outer query names it without joining it.
        let sql = "SELECT T1.Model FROM car_names AS T1 WHERE cars_data.Weight < (SELECT AVG(Weight) FROM cars_data)";
        let (fixed, change) = join_missing(sql, "cars_data.Weight", &catalog(), Dialect::Sqlite).expect("a fix");
        assert_eq!(
            fixed,
            "SELECT T1.Model FROM car_names AS T1 JOIN cars_data ON cars_data.Id = T1.MakeId WHERE cars_data.Weight \
             < (SELECT AVG(Weight) FROM cars_data)"
        );
        assert_eq!(change, "joining cars_data on cars_data.Id = T1.MakeId");
        // A correlated subquery sees the outer query's tables: Pets holds weight, nothing is missing there.
        let sql = "SELECT PetID FROM Pets WHERE EXISTS (SELECT 1 FROM Has_Pet WHERE Has_Pet.PetID = Pets.PetID AND \
                   weight > 2)";
        assert_eq!(join_missing(sql, "weight", &catalog(), Dialect::Sqlite), None);
    }

    #[test]
    fn no_join_is_guessed_when_the_link_is_not_clear() {
        for (sql, failure) in [
            // One of the query's own tables holds it: fix_column's case.
            ("SELECT T1.LName FROM Student AS T1 JOIN Has_Pet AS T2 ON T1.StuID = T2.StuID", "T2.LName"),
            // No foreign key links Pets to cars_data.
            ("SELECT Year FROM Pets", "Year"),
            // No table holds it.
            ("SELECT Colour FROM Pets", "Colour"),
            // The last join's condition is parenthesised: where it ends is not trusted.
            ("SELECT LName FROM Pets AS T1 JOIN Has_Pet AS T2 ON (T1.PetID = T2.PetID)", "LName"),
        ] {
            assert_eq!(join_missing(sql, failure, &catalog(), Dialect::Sqlite), None, "{sql}");
        }
    }
}
