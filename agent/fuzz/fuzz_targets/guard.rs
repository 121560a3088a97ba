//! The guard on arbitrary text, in each dialect: it never panics, and whatever it allows is one read-only query —
//! checked here against sqlparser's tree, independently of the guard's own walk. With `CLIENTS.EMAIL` hidden, an
//! allowed statement that reads `CLIENTS` names no `EMAIL` column, unqualified or through `CLIENTS` or its alias,
//! and has no bare `*` over it.
#![no_main]

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use agent::guard::{self, Dialect, GuardPolicy};
use libfuzzer_sys::fuzz_target;
use sqlparser::ast::{Expr, Select, SelectItem, Statement, TableFactor, Visit, Visitor, visit_statements};

/// What an allowed statement under the hiding policy must not contain.
struct EmailReads {
    /// Names that stand for `CLIENTS` (the table and its aliases), upper-cased.
    clients: BTreeSet<String>,
    found: Option<String>,
}

impl Visitor for EmailReads {
    type Break = ();

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
        if let TableFactor::Table { name, alias, .. } = factor
            && name.to_string().to_uppercase().trim_matches('"').ends_with("CLIENTS")
        {
            self.clients.insert("CLIENTS".into());
            if let Some(alias) = alias {
                self.clients.insert(alias.name.value.to_uppercase());
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_select(&mut self, select: &Select) -> ControlFlow<()> {
        let reads_clients = select.from.iter().any(|from| {
            std::iter::once(&from.relation).chain(from.joins.iter().map(|join| &join.relation)).any(|factor| {
                matches!(factor, TableFactor::Table { name, .. } if name.to_string().to_uppercase().contains("CLIENTS"))
            })
        });
        if reads_clients && select.projection.iter().any(|item| matches!(item, SelectItem::Wildcard(_))) {
            self.found = Some("* over CLIENTS".into());
        }
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
        match expr {
            Expr::Identifier(ident) if ident.value.eq_ignore_ascii_case("EMAIL") => {
                self.found = Some(ident.value.clone());
            }
            Expr::CompoundIdentifier(parts)
                if parts.len() >= 2
                    && parts[parts.len() - 1].value.eq_ignore_ascii_case("EMAIL")
                    && self.clients.contains(&parts[parts.len() - 2].value.to_uppercase()) =>
            {
                self.found = Some(format!("{parts:?}"));
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, text)) = data.split_first() else { return };
    let Ok(sql) = std::str::from_utf8(text) else { return };
    let dialect = [Dialect::Oracle, Dialect::Postgres, Dialect::Sqlite][usize::from(selector % 3)];
    // No table restriction: a write must be refused by the read-only rules themselves.
    let verdict = guard::check(sql, &GuardPolicy::new(dialect));
    if !verdict.allowed {
        return;
    }
    let statements = guard::parse(&verdict.statement, dialect).expect("an allowed statement parses");
    assert_eq!(statements.len(), 1, "allowed: {sql:?}");
    let Statement::Query(query) = &statements[0] else { panic!("allowed a non-query: {sql:?}") };
    assert!(query.locks.is_empty(), "allowed a locking query: {sql:?}");
    let nested_write = visit_statements(&statements[0], |statement| match statement {
        Statement::Query(_) => ControlFlow::Continue(()),
        other => ControlFlow::Break(other.to_string()),
    });
    assert!(nested_write.is_continue(), "allowed a query hiding {nested_write:?}: {sql:?}");
    let again = guard::check(&verdict.statement, &GuardPolicy::new(dialect));
    assert!(again.allowed, "the statement to run is allowed too: {sql:?}");

    let mut hiding = GuardPolicy::new(dialect);
    hiding.hidden_columns = [("CLIENTS".to_owned(), BTreeSet::from(["EMAIL".to_owned()]))].into();
    let hidden = guard::check(sql, &hiding);
    if hidden.allowed && hidden.tables.iter().any(|table| table == "CLIENTS") {
        let mut reads = EmailReads { clients: BTreeSet::new(), found: None };
        // Twice: a select's projection is visited before its FROM, whose aliases the first pass collects.
        let _ = statements[0].visit(&mut reads);
        reads.found = None;
        let _ = statements[0].visit(&mut reads);
        assert!(reads.found.is_none(), "allowed a read of the hidden column ({:?}): {sql:?}", reads.found);
    }
});
