//! The SELECTs of a query with their FROM items, and where a column reference sits. A reference sees the tables of
//! its own SELECT first, then those of the SELECTs around it (a correlated subquery sees its outer query's tables),
//! never those of a subquery inside or beside it: `T2.song_name` in the outer SELECT cannot mean the `singer` of
//! `WHERE age > (SELECT AVG(age) FROM singer)`, and `cars_data.Weight` there is not joined by that subquery.

use std::ops::ControlFlow;

use indexer::catalog::{Catalog, Table};
use sqlparser::ast::{Expr, JoinConstraint, JoinOperator, Query, Select, Spanned, TableFactor, Visit, Visitor};

use super::{resolve, written_name};
use crate::guard::{self, Dialect};

/// A catalog table of a FROM clause and the name the query refers to it by (its alias, else its name).
pub(super) type Binding<'a> = (String, &'a Table);

/// One FROM item (a table and its joins): its catalog tables, and where it ends when a join can be appended there
/// (its last part a plain table or an `ON` that is not parenthesised).
pub(super) struct FromItem<'a> {
    pub bindings: Vec<Binding<'a>>,
    pub end: Option<(u64, u64)>,
}

/// One SELECT: its FROM items and the SELECT it sits in.
pub(super) struct SelectScope<'a> {
    pub items: Vec<FromItem<'a>>,
    parent: Option<usize>,
}

/// A parsed query's SELECTs, in the order they start, and the ones a given column reference occurs in.
pub(super) struct Scopes<'a> {
    pub selects: Vec<SelectScope<'a>>,
    /// SELECTs (indexes into `selects`) where the reference occurs; empty when it was not found.
    reference_in: Vec<usize>,
}

impl<'a> Scopes<'a> {
    /// Parses `sql` and finds where `reference` (`T2.song_name`, `Weight`; case aside) occurs. `None` when `sql`
    /// does not parse.
    pub fn of(sql: &str, catalog: &'a Catalog, dialect: Dialect, reference: &str) -> Option<Self> {
        let statements = guard::parse(sql, dialect).ok()?;
        let mut visitor =
            Walk { catalog, reference, selects: Vec::new(), frames: Vec::new(), reference_in: Vec::new() };
        let _ = statements.visit(&mut visitor);
        let mut reference_in = visitor.reference_in;
        reference_in.sort_unstable();
        reference_in.dedup();
        Some(Self { selects: visitor.selects, reference_in })
    }

    /// Every catalog table of every SELECT.
    pub fn bindings(&self) -> impl Iterator<Item = &Binding<'a>> {
        self.selects.iter().flat_map(|select| select.items.iter().flat_map(|item| item.bindings.iter()))
    }

    /// For each SELECT the reference occurs in: the tables it sees, its own SELECT's first, then each enclosing
    /// one's. When the reference was not found in the syntax tree, one view with every table in one level.
    fn views(&self) -> Vec<Vec<Vec<&Binding<'a>>>> {
        if self.reference_in.is_empty() {
            return vec![vec![self.bindings().collect()]];
        }
        self.reference_in
            .iter()
            .map(|&select| {
                std::iter::successors(Some(select), |&at| self.selects[at].parent)
                    .map(|at| self.selects[at].items.iter().flat_map(|item| item.bindings.iter()).collect())
                    .collect()
            })
            .collect()
    }

    /// The tables the reference sees, wherever it occurs.
    pub fn visible(&self) -> Vec<&'a Table> {
        self.views().into_iter().flatten().flatten().map(|(_, table)| *table).collect()
    }

    /// For each SELECT the reference occurs in, what `find` returns for the tables of the nearest level where it
    /// returns anything (its own SELECT, else the next one out); sorted, without repeats.
    pub fn nearest<T: Ord>(&self, find: impl Fn(&Binding<'a>) -> Vec<T>) -> Vec<T> {
        let mut found: Vec<T> = self
            .views()
            .into_iter()
            .flat_map(|view| {
                view.into_iter()
                    .map(|level| level.into_iter().flat_map(&find).collect::<Vec<T>>())
                    .find(|found| !found.is_empty())
                    .unwrap_or_default()
            })
            .collect();
        found.sort();
        found.dedup();
        found
    }

    /// The SELECTs a join for the reference may be added to: those it occurs in, else all of them.
    pub fn reference_selects(&self) -> Vec<usize> {
        if self.reference_in.is_empty() { (0..self.selects.len()).collect() } else { self.reference_in.clone() }
    }
}

/// Where the walk is: inside a query (with the SELECT its body ended with, for its ORDER BY) or a SELECT.
enum Frame {
    Query { last_select: Option<usize> },
    Select(usize),
}

struct Walk<'a, 'r> {
    catalog: &'a Catalog,
    reference: &'r str,
    selects: Vec<SelectScope<'a>>,
    frames: Vec<Frame>,
    reference_in: Vec<usize>,
}

impl Walk<'_, '_> {
    /// The SELECT an expression visited now belongs to: the open one, or the one a query's body ended with (its
    /// ORDER BY and FETCH see that SELECT's tables).
    fn current(&self) -> Option<usize> {
        self.frames.iter().rev().find_map(|frame| match frame {
            Frame::Select(at) | Frame::Query { last_select: Some(at) } => Some(*at),
            Frame::Query { last_select: None } => None,
        })
    }

    /// The SELECT enclosing one that starts now.
    fn enclosing(&self) -> Option<usize> {
        self.frames.iter().rev().find_map(|frame| match frame {
            Frame::Select(at) => Some(*at),
            Frame::Query { .. } => None,
        })
    }
}

impl Visitor for Walk<'_, '_> {
    type Break = ();

    fn pre_visit_query(&mut self, _query: &Query) -> ControlFlow<()> {
        self.frames.push(Frame::Query { last_select: None });
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, _query: &Query) -> ControlFlow<()> {
        self.frames.pop();
        ControlFlow::Continue(())
    }

    fn pre_visit_select(&mut self, select: &Select) -> ControlFlow<()> {
        let items = select.from.iter().map(|from| from_item(from, self.catalog)).collect();
        let parent = self.enclosing();
        self.selects.push(SelectScope { items, parent });
        self.frames.push(Frame::Select(self.selects.len() - 1));
        ControlFlow::Continue(())
    }

    fn post_visit_select(&mut self, _select: &Select) -> ControlFlow<()> {
        if let Some(Frame::Select(at)) = self.frames.pop()
            && let Some(Frame::Query { last_select }) = self.frames.last_mut()
        {
            *last_select = Some(at);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
        let written = match expr {
            Expr::Identifier(ident) => ident.value.clone(),
            Expr::CompoundIdentifier(parts) => {
                parts.iter().map(|part| part.value.as_str()).collect::<Vec<_>>().join(".")
            }
            _ => return ControlFlow::Continue(()),
        };
        if written.eq_ignore_ascii_case(self.reference)
            && let Some(at) = self.current()
        {
            self.reference_in.push(at);
        }
        ControlFlow::Continue(())
    }
}

fn from_item<'a>(from: &sqlparser::ast::TableWithJoins, catalog: &'a Catalog) -> FromItem<'a> {
    let mut bindings = Vec::new();
    for factor in std::iter::once(&from.relation).chain(from.joins.iter().map(|join| &join.relation)) {
        if let TableFactor::Table { name, alias, .. } = factor {
            let full = written_name(name);
            if let Some(table) = resolve(catalog, &full) {
                let binding = alias.as_ref().map_or(full, |alias| alias.name.value.clone());
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
    FromItem { bindings, end: (appendable && end.line > 0).then_some((end.line, end.column)) }
}

#[cfg(test)]
mod tests {
    use super::super::tests::table;
    use super::*;

    fn catalog() -> Catalog {
        Catalog {
            tables: vec![
                table("singer", &["Singer_ID", "Name", "Song_Name", "Age"]),
                table("singer_in_concert", &["concert_ID", "Singer_ID"]),
            ],
            ..Catalog::default()
        }
    }

    fn names(view: &[Vec<&Binding<'_>>]) -> Vec<Vec<String>> {
        view.iter().map(|level| level.iter().map(|(binding, _)| binding.clone()).collect()).collect()
    }

    #[test]
    fn a_reference_sees_its_own_select_then_the_ones_around_it() {
        let catalog = catalog();
        let sql = "SELECT T2.song_name FROM singer AS T1 JOIN singer_in_concert AS T2 ON T1.Singer_ID = T2.Singer_ID \
                   WHERE T1.age > (SELECT AVG(age) FROM singer)";
        let scopes = Scopes::of(sql, &catalog, Dialect::Sqlite, "t2.SONG_NAME").expect("parses");
        assert_eq!(scopes.views().iter().map(|view| names(view)).collect::<Vec<_>>(), [[["T1", "T2"]]]);
        let scopes = Scopes::of(sql, &catalog, Dialect::Sqlite, "age").expect("parses");
        assert_eq!(
            scopes.views().iter().map(|view| names(view)).collect::<Vec<_>>(),
            [vec![vec!["singer"], vec!["T1", "T2"]]],
            "the subquery's own table first, then the outer query's"
        );
        assert_eq!(scopes.bindings().count(), 3);
    }

    #[test]
    fn order_by_belongs_to_the_select_it_sorts_and_unknown_references_see_everything() {
        let catalog = catalog();
        let sql = "SELECT Name FROM singer WHERE Singer_ID IN (SELECT Singer_ID FROM singer_in_concert) ORDER BY Age";
        let scopes = Scopes::of(sql, &catalog, Dialect::Sqlite, "Age").expect("parses");
        assert_eq!(names(&scopes.views()[0]), [["singer"]]);
        assert_eq!(scopes.reference_selects(), [0]);
        let scopes = Scopes::of(sql, &catalog, Dialect::Sqlite, "Nowhere").expect("parses");
        assert_eq!(names(&scopes.views()[0]), [["singer", "singer_in_concert"]]);
        assert_eq!(scopes.reference_selects(), [0, 1]);
        assert!(Scopes::of("SELEC Name FRM", &catalog, Dialect::Sqlite, "Name").is_none());
    }
}
