//! Sensitive columns: a statement may not read a column its reader is not cleared for — in its output, its
//! conditions, a join, a grouping, a function of it — nor take it in through `*`, `t.*`, a whole-row reference, a
//! `NATURAL` join or column aliases on the table.
//!
//! Conservative by construction: once the statement reads a table holding such a column, every identifier token
//! spelled like that column (case-insensitive, quoted or not) is refused, unless it is qualified by an alias or
//! name that only stands for tables where the column is not hidden. A false refusal costs a rephrasing; a false
//! pass would leak personal data.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::ControlFlow;

use sqlparser::ast::{
    Expr, ObjectName, Select, SelectItem, SelectItemQualifiedWildcardKind, TableFactor, Visit, Visitor,
};
use sqlparser::tokenizer::{Token, Tokenizer};

use super::{GuardPolicy, Rule};

/// What the statement reads of tables holding hidden columns.
struct Reads<'a> {
    policy: &'a GuardPolicy,
    /// Hidden columns of each table the statement reads (by the name as written, upper-cased).
    hidden: BTreeMap<String, &'a BTreeSet<String>>,
    /// Table names each alias (or bare table name) stands for, upper-cased.
    names: BTreeMap<String, BTreeSet<String>>,
}

/// Refuses `statement` (already parsed and allowed by the walk, reading `tables`) when it reads a hidden column.
pub(super) fn check(
    statement: &sqlparser::ast::Statement,
    text: &str,
    tables: &[String],
    policy: &GuardPolicy,
) -> Result<(), (Rule, String)> {
    let hidden: BTreeMap<String, &BTreeSet<String>> = tables
        .iter()
        .filter_map(|table| policy.hidden_columns_of(table).map(|columns| (table.clone(), columns)))
        .collect();
    if hidden.is_empty() {
        return Ok(());
    }
    let mut reads = Reads { policy, hidden, names: BTreeMap::new() };
    if let ControlFlow::Break(refusal) = statement.visit(&mut Aliases(&mut reads)) {
        return Err(refusal);
    }
    if let ControlFlow::Break(refusal) = statement.visit(&mut Projections(&reads)) {
        return Err(refusal);
    }
    reads.tokens(text)
}

impl Reads<'_> {
    /// The hidden columns of the tables `qualifier` may stand for; `None` when it names none of the statement's
    /// tables (a subquery's or a CTE's alias, whose own text was checked).
    fn hidden_behind(&self, qualifier: &str) -> Option<BTreeSet<&str>> {
        let tables = self.names.get(qualifier)?;
        Some(
            tables
                .iter()
                .filter_map(|table| self.hidden.get(table))
                .flat_map(|columns| columns.iter().map(String::as_str))
                .collect(),
        )
    }

    /// The hidden columns of `table` (as written), if it has any.
    fn hidden_in(&self, table: &str) -> Option<BTreeSet<&str>> {
        self.hidden.get(table).map(|columns| columns.iter().map(String::as_str).collect())
    }

    /// Every hidden column of every table read.
    fn all_hidden(&self) -> BTreeSet<&str> {
        self.hidden.values().flat_map(|columns| columns.iter().map(String::as_str)).collect()
    }

    /// The identifier tokens: a hidden column's name refuses unless its qualifier stands only for tables where it
    /// is not hidden; `NATURAL` joins compare every same-named column and refuse too.
    fn tokens(&self, text: &str) -> Result<(), (Rule, String)> {
        let dialect = super::grammar(self.policy.dialect);
        let Ok(tokens) = Tokenizer::new(dialect.as_ref(), text).tokenize() else {
            return Err(refusal(self.all_hidden()));
        };
        let words: Vec<&Token> = tokens.iter().filter(|token| !matches!(token, Token::Whitespace(_))).collect();
        let all = self.all_hidden();
        for (position, token) in words.iter().enumerate() {
            if matches!(token, Token::Mul)
                && let (Some(Token::Word(qualifier)), Some(Token::Period)) =
                    (position.checked_sub(2).map(|at| words[at]), position.checked_sub(1).map(|at| words[at]))
                && let Some(behind) = self.hidden_behind(&qualifier.value.to_uppercase())
                && !behind.is_empty()
            {
                // `c.*` inside an expression (`ROW(c.*)`, `to_json(c.*)`) carries every column too.
                return Err(refusal(behind));
            }
            let Token::Word(word) = token else { continue };
            let upper = word.value.to_uppercase();
            if word.quote_style.is_none() && upper == "NATURAL" {
                return Err((
                    Rule::SensitiveColumn,
                    format!(
                        "a NATURAL join compares every column of the same name, sensitive ones included ({}): join \
                         with ON on the key columns",
                        listed(&all)
                    ),
                ));
            }
            if !all.contains(upper.as_str()) {
                continue;
            }
            let qualifier =
                match (position.checked_sub(2).map(|at| words[at]), position.checked_sub(1).map(|at| words[at])) {
                    (Some(Token::Word(qualifier)), Some(Token::Period)) => Some(qualifier.value.to_uppercase()),
                    _ => None,
                };
            let hidden_here = match qualifier.as_deref().map(|qualifier| self.hidden_behind(qualifier)) {
                Some(None) => false,
                Some(Some(behind)) => behind.contains(upper.as_str()),
                None => true,
            };
            if hidden_here {
                return Err(refusal(BTreeSet::from([upper.as_str()])));
            }
        }
        Ok(())
    }
}

/// Records what each alias stands for; refuses column aliases on a table with hidden columns (`FROM CLIENTS
/// c(a, b, c)` renames its columns by position).
struct Aliases<'a, 'b>(&'b mut Reads<'a>);

impl Visitor for Aliases<'_, '_> {
    type Break = (Rule, String);

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<Self::Break> {
        let TableFactor::Table { name, alias, .. } = factor else { return ControlFlow::Continue(()) };
        let table = super::walk::name_of(name);
        let bare = table.rsplit('.').next().unwrap_or(&table).to_owned();
        let reads = &mut *self.0;
        for key in [table.clone(), bare] {
            reads.names.entry(key).or_default().insert(table.clone());
        }
        if let Some(alias) = alias {
            reads.names.entry(alias.name.value.to_uppercase()).or_default().insert(table.clone());
            if !alias.columns.is_empty()
                && let Some(hidden) = reads.hidden.get(&table)
            {
                return ControlFlow::Break((
                    Rule::SensitiveColumn,
                    format!(
                        "column aliases on `{table}` would rename its sensitive columns ({}): name the columns you \
                         need in the SELECT instead",
                        listed(&hidden.iter().map(String::as_str).collect())
                    ),
                ));
            }
        }
        ControlFlow::Continue(())
    }
}

/// Refuses `*` and `t.*` over a table with hidden columns, and whole-row references to such a table
/// (`SELECT c FROM CLIENTS c`, `row_to_json(c)`), which carry every column.
struct Projections<'a, 'b>(&'b Reads<'a>);

impl Visitor for Projections<'_, '_> {
    type Break = (Rule, String);

    fn pre_visit_select(&mut self, select: &Select) -> ControlFlow<Self::Break> {
        let mut direct: Vec<(String, Option<String>)> = Vec::new();
        for from in &select.from {
            direct_tables(&from.relation, &mut direct);
            for join in &from.joins {
                direct_tables(&join.relation, &mut direct);
            }
        }
        for item in &select.projection {
            let exposed: Option<BTreeSet<&str>> = match item {
                SelectItem::Wildcard(_) => {
                    let exposed: BTreeSet<&str> =
                        direct.iter().filter_map(|(table, _)| self.0.hidden_in(table)).flatten().collect();
                    (!exposed.is_empty()).then_some(exposed)
                }
                SelectItem::QualifiedWildcard(SelectItemQualifiedWildcardKind::ObjectName(qualifier), _) => {
                    let qualifier = last_part(qualifier);
                    let exposed: BTreeSet<&str> = direct
                        .iter()
                        .filter(|(table, alias)| {
                            alias.as_deref() == Some(qualifier.as_str())
                                || table == &qualifier
                                || table.rsplit('.').next() == Some(qualifier.as_str())
                        })
                        .filter_map(|(table, _)| self.0.hidden_in(table))
                        .flatten()
                        .collect();
                    (!exposed.is_empty()).then_some(exposed)
                }
                _ => None,
            };
            if let Some(exposed) = exposed {
                return ControlFlow::Break((
                    Rule::SensitiveColumn,
                    format!(
                        "`*` would read sensitive columns your role may not see ({}): list the columns you need \
                         without them",
                        listed(&exposed)
                    ),
                ));
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<Self::Break> {
        let Expr::Identifier(ident) = expr else { return ControlFlow::Continue(()) };
        match self.0.hidden_behind(&ident.value.to_uppercase()) {
            Some(hidden) if !hidden.is_empty() => ControlFlow::Break((
                Rule::SensitiveColumn,
                format!(
                    "`{}` stands for whole rows, sensitive columns included ({}): name the columns you need",
                    ident.value,
                    listed(&hidden)
                ),
            )),
            _ => ControlFlow::Continue(()),
        }
    }
}

/// The tables a FROM item reads directly (not through a subquery), with their aliases, upper-cased.
fn direct_tables(factor: &TableFactor, out: &mut Vec<(String, Option<String>)>) {
    match factor {
        TableFactor::Table { name, alias, .. } => {
            out.push((super::walk::name_of(name), alias.as_ref().map(|alias| alias.name.value.to_uppercase())));
        }
        TableFactor::NestedJoin { table_with_joins, .. } => {
            direct_tables(&table_with_joins.relation, out);
            for join in &table_with_joins.joins {
                direct_tables(&join.relation, out);
            }
        }
        _ => {}
    }
}

fn last_part(name: &ObjectName) -> String {
    let full = super::walk::name_of(name);
    full.rsplit('.').next().unwrap_or(&full).to_owned()
}

fn listed(columns: &BTreeSet<&str>) -> String {
    columns.iter().copied().collect::<Vec<_>>().join(", ")
}

fn refusal(columns: BTreeSet<&str>) -> (Rule, String) {
    (
        Rule::SensitiveColumn,
        format!(
            "column {} is sensitive and your role may not read it (not even in a condition, a join or a function): \
             leave it out of the query",
            listed(&columns)
        ),
    )
}
