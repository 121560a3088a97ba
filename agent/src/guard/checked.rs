//! The statement the guard allowed: the only input `crate::warehouse::{explain, run}` accept. Its constructor is
//! private to the guard, so no code path can send the warehouse a statement that was not checked for its user.

use super::{Dialect, GuardPolicy};

/// A statement the guard allowed, with what it was checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedStatement {
    sql: String,
    tables: Vec<String>,
    dialect: Dialect,
    subject: String,
}

impl CheckedStatement {
    /// Only `guard::check` calls this, after every rule passed.
    pub(super) fn new(sql: &str, tables: &[String], policy: &GuardPolicy) -> Self {
        Self { sql: sql.to_owned(), tables: tables.to_vec(), dialect: policy.dialect, subject: policy.subject.clone() }
    }

    /// The statement's text, as it will run.
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The tables it reads (upper-cased, as written).
    pub fn tables(&self) -> &[String] {
        &self.tables
    }

    /// The dialect it was checked in.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Whom the policy it passed was built for (`alice (analyst)`; empty for a tool's open policy).
    pub fn subject(&self) -> &str {
        &self.subject
    }
}
