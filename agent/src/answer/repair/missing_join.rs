//! A column that none of the query's tables holds but one more table does (`T2.LName` when `LName` is a column of
//! `Student`, which the query never joined): small models name the column and forget the join, and told "column
//! does not exist" they often write the same query again. When exactly one foreign key links a table holding the
//! column to a table of the query, the join is added on that key and the column requalified.

use std::ops::ControlFlow;

use indexer::catalog::{Catalog, Table};
use sqlparser::ast::{Expr, JoinConstraint, JoinOperator, Select, Spanned, TableFactor, Visit, Visitor};

use super::self_join::{keys_between, offset};
use super::{replace_reference, resolve, unknown};
use crate::guard::{self, Dialect};

/// Joins the table holding the column `failure` says does not exist, when one foreign key links it to a table of
/// `sql`. Returns the corrected query and what changed.
pub fn join_missing(sql: &str, failure: &str, catalog: &Catalog, dialect: Dialect) -> Option<(String, String)> {
    let wanted = unknown(failure, "column ")?;
    let (qualifier, column) = match wanted.rsplit_once('.') {
        Some((qualifier, column)) => (Some(qualifier), column),
        None => (None, wanted.as_str()),
    };
    let statements = guard::parse(sql, dialect).ok()?;
    let mut visitor = FromItems { catalog, items: Vec::new() };
    let _ = statements.visit(&mut visitor);
    let items = visitor.items;
    let used: Vec<&Table> = items.iter().flat_map(|item| item.bindings.iter().map(|(_, table)| *table)).collect();
    if used.iter().any(|table| holds(table, column).is_some()) {
        return None;
    }
    let mut holders: Vec<&Table> = catalog
        .tables
        .iter()
        .filter(|table| holds(table, column).is_some() && !used.iter().any(|own| std::ptr::eq(*own, *table)))
        .collect();
    // `cars_data.Weight` names the table the model meant.
    if let Some(named) =
        qualifier.and_then(|q| holders.iter().copied().find(|table| table.name.eq_ignore_ascii_case(q)))
    {
        holders = vec![named];
    }
    let links: Vec<(&FromItem<'_>, &str, &Table, String, String)> = holders
        .iter()
        .flat_map(|holder| {
            items.iter().flat_map(move |item| {
                item.bindings.iter().flat_map(move |(binding, table)| {
                    keys_between(holder, table)
                        .into_iter()
                        .map(move |(own, theirs)| (item, binding.as_str(), *holder, own, theirs))
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
    if !wanted.eq_ignore_ascii_case(&replacement) {
        fixed = replace_reference(&fixed, &wanted, &replacement)?;
    }
    guard::parse(&fixed, dialect).ok()?;
    Some((fixed, format!("{wanted} → {replacement}, joining {name} on {name}.{own} = {binding}.{theirs}")))
}

/// The real name of `column` in `table`, if it has it.
fn holds<'a>(table: &'a Table, column: &str) -> Option<&'a str> {
    table.columns.iter().find(|c| c.name.eq_ignore_ascii_case(column)).map(|c| c.name.as_str())
}

/// One FROM item (a table and its joins): its known tables by the name they are referred to, and where it ends
/// when a join can be appended there (its last part a plain table or an `ON` that is not parenthesised).
struct FromItem<'a> {
    bindings: Vec<(String, &'a Table)>,
    end: Option<(u64, u64)>,
}

struct FromItems<'a> {
    catalog: &'a Catalog,
    items: Vec<FromItem<'a>>,
}

impl Visitor for FromItems<'_> {
    type Break = ();

    fn pre_visit_select(&mut self, select: &Select) -> ControlFlow<()> {
        for from in &select.from {
            let mut bindings = Vec::new();
            for factor in std::iter::once(&from.relation).chain(from.joins.iter().map(|join| &join.relation)) {
                if let TableFactor::Table { name, alias, .. } = factor {
                    let full = name.0.iter().map(|part| part.to_string().replace('"', "")).collect::<Vec<_>>();
                    if let Some(table) = resolve(self.catalog, &full.join(".")) {
                        let binding = alias.as_ref().map_or_else(|| full.join("."), |alias| alias.name.value.clone());
                        bindings.push((binding, table));
                    }
                }
            }
            let appendable = match from.joins.last() {
                None => matches!(from.relation, TableFactor::Table { .. }),
                Some(join) => matches!(
                    &join.join_operator,
                    JoinOperator::Join(JoinConstraint::On(condition))
                        | JoinOperator::Inner(JoinConstraint::On(condition))
                        | JoinOperator::Left(JoinConstraint::On(condition))
                        | JoinOperator::LeftOuter(JoinConstraint::On(condition))
                        if !matches!(condition, Expr::Nested(_))
                ),
            };
            let end = from.span().end;
            let end = (appendable && end.line > 0).then_some((end.line, end.column));
            self.items.push(FromItem { bindings, end });
        }
        ControlFlow::Continue(())
    }
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
        // Spider dev #84.
        let (fixed, change) = join_missing(
            "SELECT T2.LName FROM Pets AS T1 INNER JOIN Has_Pet AS T2 ON T1.PetID = T2.PetID WHERE T1.PetType = 'cat' \
             AND T1.pet_age = 3",
            "column T2.LName does not exist: use only the columns listed for each table",
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
            "column cars_data.Year does not exist",
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
    fn no_join_is_guessed_when_the_link_is_not_clear() {
        for (sql, failure) in [
            // One of the query's own tables holds it: fix_column's case.
            (
                "SELECT T1.LName FROM Student AS T1 JOIN Has_Pet AS T2 ON T1.StuID = T2.StuID",
                "column T2.LName does not exist",
            ),
            // No foreign key links Pets to cars_data.
            ("SELECT Year FROM Pets", "column Year does not exist"),
            // No table holds it.
            ("SELECT Colour FROM Pets", "column Colour does not exist"),
            // The last join's condition is parenthesised: where it ends is not trusted.
            ("SELECT LName FROM Pets AS T1 JOIN Has_Pet AS T2 ON (T1.PetID = T2.PetID)", "column LName does not exist"),
            ("SELECT LName FROM Pets", "the SQL syntax is wrong"),
        ] {
            assert_eq!(join_missing(sql, failure, &catalog(), Dialect::Sqlite), None, "{sql}");
        }
    }
}
