//! The guard on arbitrary text, in each dialect: it never panics, and whatever it allows is one read-only query —
//! checked here against sqlparser's tree, independently of the guard's own walk.
#![no_main]

use std::ops::ControlFlow;

use agent::guard::{self, Dialect, GuardPolicy};
use libfuzzer_sys::fuzz_target;
use sqlparser::ast::{Statement, visit_statements};

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
});
