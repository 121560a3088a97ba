//! Finding the SQL in a model's answer, on arbitrary text: it never panics, and what it returns is a piece of the
//! answer that starts like a query, without a trailing semicolon; the guard then never panics on it either.
#![no_main]

use agent::answer::extract::extract_sql;
use agent::guard::{self, Dialect, GuardPolicy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|answer: &str| {
    let Some(sql) = extract_sql(answer) else { return };
    assert!(answer.contains(sql.as_str()), "extracted text comes from the answer: {answer:?}");
    let upper = sql.to_ascii_uppercase();
    assert!(upper.starts_with("SELECT") || upper.starts_with("WITH") || upper.starts_with('('), "{sql:?}");
    assert!(!sql.ends_with(';') && sql.trim() == sql, "{sql:?}");
    let _verdict = guard::check(&sql, &GuardPolicy::new(Dialect::Oracle));
});
