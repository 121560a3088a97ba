//! The walk over one parsed statement: every nested query, select, relation, function call and statement.

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use sqlparser::ast::{Expr, ObjectName, Query, Select, SetExpr, Statement, TableFactor, Visit, Visitor};

use super::{GuardPolicy, Rule, Verdict};

/// Checks one statement; the first rule that fires decides.
pub(super) fn check_statement(statement: &Statement, policy: &GuardPolicy, text: &str) -> Verdict {
    let Statement::Query(query) = statement else {
        let kind = statement_kind(statement);
        return Verdict::refuse(
            Rule::ReadOnly,
            format!("{kind} is not a query: only SELECT (with WITH or set operations) may run on the warehouse"),
            text,
        );
    };
    let mut walker = Walker { policy, ctes: BTreeSet::new(), tables: Vec::new(), depth: 0, unknown: None };
    if let ControlFlow::Break((rule, message)) = query.visit(&mut walker) {
        return Verdict { unknown_table: walker.unknown, ..Verdict::refuse(rule, message, text) };
    }
    let message = format!(
        "read-only query on {}",
        if walker.tables.is_empty() { "no table".to_owned() } else { walker.tables.join(", ") }
    );
    Verdict {
        allowed: true,
        rule: Rule::Allowed,
        message,
        tables: walker.tables,
        ..Verdict::refuse(Rule::Allowed, "", text)
    }
}

/// Names a statement by its leading keywords (`INSERT`, `DROP TABLE`…), for the refusal message.
fn statement_kind(statement: &Statement) -> String {
    let rendered = statement.to_string();
    let words: Vec<&str> = rendered.split_whitespace().take(2).collect();
    match words.as_slice() {
        [first, second] if matches!(*first, "CREATE" | "DROP" | "ALTER" | "TRUNCATE" | "GRANT" | "REVOKE") => {
            format!("{first} {second}")
        }
        [first, ..] => (*first).to_owned(),
        [] => "this statement".to_owned(),
    }
}

struct Walker<'a> {
    policy: &'a GuardPolicy,
    ctes: BTreeSet<String>,
    tables: Vec<String>,
    depth: usize,
    /// The table the catalog does not know, when that refused the statement.
    unknown: Option<String>,
}

type Refusal = (Rule, String);

pub(super) fn name_of(object: &ObjectName) -> String {
    object
        .0
        .iter()
        .map(|part| match part.as_ident() {
            Some(ident) => ident.value.clone(),
            None => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
        .to_uppercase()
}

impl Visitor for Walker<'_> {
    type Break = Refusal;

    fn pre_visit_statement(&mut self, statement: &Statement) -> ControlFlow<Refusal> {
        // The top statement is a query (checked before the walk); any statement met inside it is not.
        ControlFlow::Break((
            Rule::DmlInQuery,
            format!("a {} statement is hidden inside the query: only reading is allowed", statement_kind(statement)),
        ))
    }

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<Refusal> {
        self.depth += 1;
        if !query.locks.is_empty() {
            return ControlFlow::Break((
                Rule::ForUpdate,
                "FOR UPDATE / FOR SHARE locks rows: remove the locking clause".into(),
            ));
        }
        if let Some(with) = &query.with {
            for cte in &with.cte_tables {
                self.ctes.insert(cte.alias.name.value.to_uppercase());
            }
        }
        if let SetExpr::Insert(_) | SetExpr::Update(_) | SetExpr::Delete(_) | SetExpr::Merge(_) = query.body.as_ref() {
            return ControlFlow::Break((
                Rule::DmlInQuery,
                "a data-changing statement is hidden inside the query".into(),
            ));
        }
        if let Some(table) = table_command(&query.body) {
            // PostgreSQL's `TABLE x` reads every column of x without naming a relation the walk would check.
            return ControlFlow::Break((
                Rule::ReadOnly,
                format!("`TABLE {table}` is not accepted: write SELECT with the columns you need FROM {table}"),
            ));
        }
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, _query: &Query) -> ControlFlow<Refusal> {
        self.depth = self.depth.saturating_sub(1);
        ControlFlow::Continue(())
    }

    fn pre_visit_select(&mut self, select: &Select) -> ControlFlow<Refusal> {
        if select.into.is_some() {
            return ControlFlow::Break((
                Rule::SelectInto,
                "SELECT … INTO writes a table or variables: select the rows instead".into(),
            ));
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<Refusal> {
        match factor {
            TableFactor::Table { name, args: Some(_), .. } => self.check_function(&name_of(name)),
            TableFactor::Function { name, .. } => self.check_function(&name_of(name)),
            TableFactor::TableFunction { expr: Expr::Function(function), .. } => {
                self.check_function(&name_of(&function.name))
            }
            _ => ControlFlow::Continue(()),
        }
    }

    fn pre_visit_relation(&mut self, relation: &ObjectName) -> ControlFlow<Refusal> {
        let name = name_of(relation);
        if name.contains('@') {
            return ControlFlow::Break((
                Rule::DbLink,
                format!("`{name}` goes through a database link: query local tables only"),
            ));
        }
        if self.ctes.contains(&name) {
            return ControlFlow::Continue(());
        }
        let (known, allowed) = self.policy.table_access(&name);
        if !allowed || (!known && self.policy.allowed_tables.is_some()) {
            // The same words whether the table exists or not: a refusal must not tell a user restricted to some
            // tables which others exist.
            return ControlFlow::Break((
                Rule::TableNotAllowed,
                format!("table `{name}` is not among the tables your role may query: ask an administrator for access"),
            ));
        }
        if !known {
            self.unknown = Some(name.clone());
            return ControlFlow::Break((
                Rule::UnknownTable,
                format!("table `{name}` does not exist in the indexed catalog"),
            ));
        }
        if !self.tables.contains(&name) {
            self.tables.push(name);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<Refusal> {
        match expr {
            Expr::Function(function) => self.check_function(&name_of(&function.name)),
            // Oracle calls functions without arguments without parentheses: `DBMS_RANDOM.VALUE` is a call.
            Expr::CompoundIdentifier(parts) => {
                let name = parts.iter().map(|part| part.value.to_uppercase()).collect::<Vec<_>>().join(".");
                self.check_function(&name)
            }
            _ => ControlFlow::Continue(()),
        }
    }
}

impl Walker<'_> {
    fn check_function(&self, name: &str) -> ControlFlow<Refusal> {
        match self.policy.denied(name) {
            Some(entry) => ControlFlow::Break((
                Rule::DeniedFunction,
                format!("`{name}` is denied (matches `{entry}`): packages and functions that act are not allowed"),
            )),
            None => ControlFlow::Continue(()),
        }
    }
}

/// The table of a `TABLE x` command in a query body or one side of its set operations.
fn table_command(body: &SetExpr) -> Option<String> {
    match body {
        SetExpr::Table(table) => Some(
            [&table.schema_name, &table.table_name]
                .into_iter()
                .flatten()
                .map(|ident| ident.value.clone())
                .collect::<Vec<_>>()
                .join("."),
        ),
        SetExpr::SetOperation { left, right, .. } => table_command(left).or_else(|| table_command(right)),
        _ => None,
    }
}
