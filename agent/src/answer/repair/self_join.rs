//! A join condition that compares a column with itself (`JOIN Templates AS T2 ON T2.Template_ID = T2.Template_ID`)
//! is always true: the query runs and returns the cross product, so no error would ever ask for a repair. Small
//! models write it when they lose track of aliases. When the catalog makes the intended link clear — one foreign
//! key between the joined table and a table before it, else one other table holding that column — the condition is
//! rewritten on it (`ON T1.Template_ID = T2.Template_ID`); otherwise the model is asked to repair it.

use std::ops::ControlFlow;

use indexer::catalog::{Catalog, Table};
use sqlparser::ast::{BinaryOperator, Expr, Ident, JoinConstraint, JoinOperator, Select, TableFactor, Visit, Visitor};

use super::{last_part, resolve, written_name};
use crate::guard::{self, Dialect};

/// What [`self_join`] found in a query.
#[derive(Debug, PartialEq, Eq)]
pub enum SelfJoin {
    /// No join condition compares a column with itself.
    None,
    /// Every such condition had one clear link: the corrected query and what changed.
    Fixed { sql: String, change: String },
    /// A condition whose link the catalog does not make clear, as written (`T2.code = T2.code`).
    Unclear { condition: String },
}

/// Looks for join conditions of `sql` that compare a column with itself and corrects those with one clear link.
pub fn self_join(sql: &str, catalog: &Catalog, dialect: Dialect) -> SelfJoin {
    let Ok(statements) = guard::parse(sql, dialect) else { return SelfJoin::None };
    let mut visitor = SelfJoins { catalog, found: Vec::new() };
    let _ = statements.visit(&mut visitor);
    let mut found = visitor.found;
    if let Some(unclear) = found.iter().find(|found| found.link.is_none()) {
        return SelfJoin::Unclear { condition: unclear.written() };
    }
    found.sort_by_key(|found| std::cmp::Reverse(found.start));
    found.dedup_by_key(|found| found.start);
    let mut fixed = sql.to_owned();
    let mut changes = Vec::new();
    for found in found {
        let (Some(start), Some(end), Some(link)) =
            (offset(&fixed, found.start), offset(&fixed, found.end), &found.link)
        else {
            return SelfJoin::Unclear { condition: found.written() };
        };
        let written = &fixed[start..end];
        let expected = found.written();
        let same_words = |a: &str, b: &str| a.split_whitespace().eq(b.split_whitespace());
        if !same_words(&written.replace('=', " = ").to_lowercase(), &expected.replace('=', " = ").to_lowercase()) {
            return SelfJoin::Unclear { condition: expected };
        }
        changes.push(format!("{expected} → {link}"));
        fixed.replace_range(start..end, link);
    }
    if changes.is_empty() {
        return SelfJoin::None;
    }
    changes.reverse();
    SelfJoin::Fixed { sql: fixed, change: changes.join(", ") }
}

/// One `q.c = q.c`: where it starts and ends (line and column, from 1; the end is just past it), its qualifier and
/// column, and the condition that should replace it when it is clear.
struct Found {
    start: (u64, u64),
    end: (u64, u64),
    qualifier: String,
    column: String,
    link: Option<String>,
}

impl Found {
    fn written(&self) -> String {
        format!("{q}.{c} = {q}.{c}", q = self.qualifier, c = self.column)
    }
}

struct SelfJoins<'a> {
    catalog: &'a Catalog,
    found: Vec<Found>,
}

impl Visitor for SelfJoins<'_> {
    type Break = ();

    fn pre_visit_select(&mut self, select: &Select) -> ControlFlow<()> {
        for from in &select.from {
            let mut bindings = vec![self.binding(&from.relation)];
            for join in &from.joins {
                bindings.push(self.binding(&join.relation));
                let Some(JoinConstraint::On(condition)) = constraint(&join.join_operator) else { continue };
                let (own, earlier) = bindings.split_last().expect("the joined table was just pushed");
                for (left, right) in self_comparisons(condition) {
                    let (Some(start), Some(end)) = (location(&left[0], false), location(&right[1], true)) else {
                        continue;
                    };
                    self.found.push(Found {
                        start,
                        end,
                        qualifier: left[0].value.clone(),
                        column: left[1].value.clone(),
                        link: link(own, earlier, &left[0].value, &left[1].value),
                    });
                }
            }
        }
        ControlFlow::Continue(())
    }
}

/// The condition a join of `own` after `earlier` most likely meant, given that it wrote `qualifier.column` twice:
/// the one foreign key between `own` and an earlier table (the one named by `qualifier` when it names an earlier
/// table; one on `column` when there are several), else the one other table holding `column`.
fn link(own: &Binding<'_>, earlier: &[Binding<'_>], qualifier: &str, column: &str) -> Option<String> {
    let partners: Vec<&Binding<'_>> = if own.is(qualifier) {
        earlier.iter().collect()
    } else {
        earlier.iter().filter(|binding| binding.is(qualifier)).collect()
    };
    let mut keys: Vec<(&Binding<'_>, String, String)> = partners
        .iter()
        .flat_map(|partner| match (partner.table, own.table) {
            (Some(a), Some(b)) => keys_between(a, b).into_iter().map(move |(a, b)| (*partner, a, b)).collect(),
            _ => Vec::new(),
        })
        .collect();
    if keys.len() > 1 {
        keys.retain(|(_, a, b)| a.eq_ignore_ascii_case(column) || b.eq_ignore_ascii_case(column));
    }
    if let [(partner, a, b)] = keys.as_slice() {
        return Some(format!("{}.{a} = {}.{b}", partner.name(), own.name()));
    }
    if !keys.is_empty() {
        return None;
    }
    let others = if own.is(qualifier) { partners } else { vec![own] };
    let holders: Vec<&Binding<'_>> =
        others.into_iter().filter(|binding| binding.has(column) && !binding.is(qualifier)).collect();
    let [holder] = holders.as_slice() else { return None };
    Some(if own.is(qualifier) {
        format!("{}.{column} = {qualifier}.{column}", holder.name())
    } else {
        format!("{qualifier}.{column} = {}.{column}", holder.name())
    })
}

/// The single-column foreign keys between two tables, either way, as (column of `a`, column of `b`).
pub(super) fn keys_between(a: &Table, b: &Table) -> Vec<(String, String)> {
    let one_way = |from: &Table, to: &Table| -> Vec<(String, String)> {
        from.foreign_keys
            .iter()
            .filter(|key| key.referenced_table.eq_ignore_ascii_case(&to.name) && key.columns.len() == 1)
            .filter_map(|key| Some((key.columns[0].clone(), key.referenced_columns.first()?.clone())))
            .collect()
    };
    let mut keys = one_way(a, b);
    keys.extend(one_way(b, a).into_iter().map(|(b, a)| (a, b)));
    keys.sort();
    keys.dedup();
    keys
}

/// A table of a FROM clause: the names it is referred to by (its alias, else its name and the name's last part)
/// and its catalog entry when it is a known table.
struct Binding<'a> {
    names: Vec<String>,
    table: Option<&'a Table>,
}

impl Binding<'_> {
    fn is(&self, name: &str) -> bool {
        self.names.iter().any(|own| own.eq_ignore_ascii_case(name))
    }

    fn has(&self, column: &str) -> bool {
        self.table.is_some_and(|table| table.columns.iter().any(|c| c.name.eq_ignore_ascii_case(column)))
    }

    fn name(&self) -> &str {
        self.names.first().map_or("", String::as_str)
    }
}

impl<'a> SelfJoins<'a> {
    fn binding(&self, factor: &TableFactor) -> Binding<'a> {
        match factor {
            TableFactor::Table { name, alias, .. } => {
                let full = written_name(name);
                let table = resolve(self.catalog, &full);
                let names = match alias {
                    Some(alias) => vec![alias.name.value.clone()],
                    None => vec![last_part(&full).to_owned(), full],
                };
                Binding { names, table }
            }
            _ => Binding { names: Vec::new(), table: None },
        }
    }
}

fn constraint(operator: &JoinOperator) -> Option<&JoinConstraint> {
    match operator {
        JoinOperator::Join(constraint)
        | JoinOperator::Inner(constraint)
        | JoinOperator::Left(constraint)
        | JoinOperator::LeftOuter(constraint)
        | JoinOperator::Right(constraint)
        | JoinOperator::RightOuter(constraint)
        | JoinOperator::FullOuter(constraint)
        | JoinOperator::StraightJoin(constraint) => Some(constraint),
        _ => None,
    }
}

/// The `q.c = q.c` comparisons among the AND-ed terms of a join condition, as (left side, right side).
fn self_comparisons(condition: &Expr) -> Vec<(&[Ident], &[Ident])> {
    match condition {
        Expr::Nested(inner) => self_comparisons(inner),
        Expr::BinaryOp { left, op: BinaryOperator::And, right } => {
            let mut found = self_comparisons(left);
            found.extend(self_comparisons(right));
            found
        }
        Expr::BinaryOp { left, op: BinaryOperator::Eq, right } => match (left.as_ref(), right.as_ref()) {
            (Expr::CompoundIdentifier(left), Expr::CompoundIdentifier(right))
                if left.len() == 2
                    && right.len() == 2
                    && left.iter().zip(right).all(|(a, b)| a.value.eq_ignore_ascii_case(&b.value)) =>
            {
                vec![(left.as_slice(), right.as_slice())]
            }
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Where an identifier starts (or ends), when the parser recorded it.
fn location(ident: &Ident, end: bool) -> Option<(u64, u64)> {
    let at = if end { ident.span.end } else { ident.span.start };
    (at.line > 0).then_some((at.line, at.column))
}

/// The byte offset of a (line, column) location, both counted from 1, columns in characters; a column just past
/// the end of its line is the line's end.
pub(super) fn offset(text: &str, (line, column): (u64, u64)) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line {
        start += text[start..].find('\n')? + 1;
    }
    let skip = usize::try_from(column.checked_sub(1)?).ok()?;
    let line_text = &text[start..text[start..].find('\n').map_or(text.len(), |end| start + end)];
    match line_text.char_indices().nth(skip) {
        Some((at, _)) => Some(start + at),
        None => (line_text.chars().count() == skip).then_some(start + line_text.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table whose foreign keys reference a column of the same name.
    fn table(name: &str, columns: &[&str], keys: &[(&str, &str)]) -> Table {
        let keys: Vec<(&str, &str, &str)> =
            keys.iter().map(|(column, referenced)| (*column, *referenced, *column)).collect();
        super::super::tests::keyed_table(name, columns, &keys)
    }

    /// Spider's cre_Doc_Template_Mgt, where the model wrote these joins.
    fn catalog() -> Catalog {
        Catalog {
            tables: vec![
                table(
                    "Templates",
                    &["Template_ID", "Template_Type_Code"],
                    &[("Template_Type_Code", "Ref_Template_Types")],
                ),
                table("Documents", &["Document_ID", "Template_ID", "Document_Name"], &[("Template_ID", "Templates")]),
                table("Ref_Template_Types", &["Template_Type_Code", "Template_Type_Description"], &[]),
                table("Owners", &["Owner_ID", "Template_ID"], &[]),
            ],
            ..Catalog::default()
        }
    }

    fn fixed(sql: &str) -> (String, String) {
        match self_join(sql, &catalog(), Dialect::Sqlite) {
            SelfJoin::Fixed { sql, change } => (sql, change),
            other => panic!("{sql}: {other:?}"),
        }
    }

    #[test]
    fn a_column_compared_with_itself_is_replaced_by_the_foreign_key_of_the_join() {
        // The key is not even on the column the model repeated.
        let (sql, change) = fixed(
            "SELECT T2.Template_Type_Code FROM Documents AS T1 INNER JOIN Templates AS T2\nON \
             T2.Template_Type_Code = T2.Template_Type_Code WHERE T1.Document_Name = 'Data base'",
        );
        assert_eq!(
            sql,
            "SELECT T2.Template_Type_Code FROM Documents AS T1 INNER JOIN Templates AS T2\nON T1.Template_ID = \
             T2.Template_ID WHERE T1.Document_Name = 'Data base'"
        );
        assert_eq!(change, "T2.Template_Type_Code = T2.Template_Type_Code → T1.Template_ID = T2.Template_ID");
        // The qualifier names the earlier table; the key is found the other way round.
        let (sql, _) =
            fixed("SELECT count(*) FROM Documents JOIN Templates ON Documents.Template_ID=Documents.Template_ID");
        assert!(sql.ends_with("ON Documents.Template_ID = Templates.Template_ID"), "{sql}");
    }

    #[test]
    fn without_a_key_the_one_other_table_holding_the_column_is_used() {
        let (sql, change) = fixed("SELECT * FROM Owners AS O JOIN Templates AS T ON T.template_id = T.template_id");
        assert_eq!(sql, "SELECT * FROM Owners AS O JOIN Templates AS T ON O.template_id = T.template_id");
        assert_eq!(change, "T.template_id = T.template_id → O.template_id = T.template_id");
    }

    #[test]
    fn every_self_comparison_is_fixed_even_in_a_subquery() {
        let (sql, change) = fixed(
            "SELECT T3.Template_Type_Description FROM Documents AS T1 JOIN Templates AS T2 ON T2.Template_ID = \
             T2.Template_ID JOIN Ref_Template_Types AS T3 ON T3.Template_Type_Code = T3.Template_Type_Code WHERE \
             T1.Document_ID IN (SELECT D.Document_ID FROM Documents AS D JOIN Templates AS E ON E.Template_ID = \
             E.Template_ID)",
        );
        assert!(sql.contains("ON T1.Template_ID = T2.Template_ID JOIN"), "{sql}");
        assert!(sql.contains("ON T2.Template_Type_Code = T3.Template_Type_Code WHERE"), "{sql}");
        assert!(sql.ends_with("ON D.Template_ID = E.Template_ID)"), "{sql}");
        assert_eq!(change.matches(" → ").count(), 3, "{change}");
    }

    #[test]
    fn a_self_comparison_without_a_clear_link_is_left_to_the_model() {
        // Two tables linked only through a third.
        assert_eq!(
            self_join(
                "SELECT T1.Template_ID FROM Documents AS T1 INNER JOIN Ref_Template_Types AS T2 ON \
                 T2.Template_Type_Code = T2.Template_Type_Code",
                &catalog(),
                Dialect::Sqlite
            ),
            SelfJoin::Unclear { condition: "T2.Template_Type_Code = T2.Template_Type_Code".into() }
        );
    }

    #[test]
    fn right_joins_and_other_comparisons_are_left_alone() {
        for sql in [
            "SELECT * FROM Documents AS T1 JOIN Templates AS T2 ON T1.Template_ID = T2.Template_ID",
            "SELECT * FROM Documents AS T1 WHERE T1.Template_ID = T1.Template_ID",
            "not sql at all",
        ] {
            assert_eq!(self_join(sql, &catalog(), Dialect::Sqlite), SelfJoin::None, "{sql}");
        }
    }

    #[test]
    fn locations_become_byte_offsets() {
        assert_eq!(offset("ab\ncdé f", (2, 5)), Some(8));
        assert_eq!(offset("ab\ncdé f", (2, 6)), Some(9), "just past the end of the line");
        assert_eq!(offset("abc", (1, 1)), Some(0));
        assert_eq!(offset("abc", (2, 1)), None);
    }
}
