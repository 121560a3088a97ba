//! How far a statement generated for the Oracle stand-in is from Oracle: PostgreSQL with orafce runs things Oracle
//! refuses. A statement is counted as "not valid Oracle" when sqlparser's Oracle dialect does not parse it, or when
//! it uses one of the constructs below, which Oracle (before 23ai for booleans) does not accept.

use std::ops::ControlFlow;

use sqlparser::ast::{CastKind, Expr, Query, TableFactor, Value, ValueWithSpan, Visit, Visitor};
use sqlparser::dialect::OracleDialect;
use sqlparser::parser::Parser;

/// Functions of PostgreSQL or SQLite that Oracle does not have (lower case).
const FOREIGN_FUNCTIONS: &[&str] = &[
    "date_trunc",
    "date_part",
    "now",
    "age",
    "string_agg",
    "array_agg",
    "generate_series",
    "split_part",
    "strftime",
    "julianday",
    "ifnull",
    "iif",
    "substring",
    "position",
    "to_timestamp_tz",
    "make_date",
    "justify_days",
];

/// Returns what Oracle would refuse in `sql`; empty when nothing is known to be wrong.
pub fn issues(sql: &str) -> Vec<String> {
    let statements = match Parser::parse_sql(&OracleDialect {}, sql) {
        Ok(statements) => statements,
        Err(error) => return vec![format!("not parsed by the Oracle dialect: {error}")],
    };
    let mut finder = Finder::default();
    let _flow = statements.visit(&mut finder);
    finder.found.sort();
    finder.found.dedup();
    finder.found
}

#[derive(Default)]
struct Finder {
    found: Vec<String>,
}

impl Visitor for Finder {
    type Break = ();

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
        if let Some(limit) = &query.limit_clause {
            match limit {
                sqlparser::ast::LimitClause::LimitOffset { limit: Some(_), .. }
                | sqlparser::ast::LimitClause::OffsetCommaLimit { .. } => self.found.push("LIMIT".to_owned()),
                sqlparser::ast::LimitClause::LimitOffset { .. } => {}
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
        let alias = match factor {
            TableFactor::Table { alias, .. } | TableFactor::Derived { alias, .. } => alias.as_ref(),
            _ => None,
        };
        if alias.is_some_and(|alias| alias.explicit) {
            self.found.push("AS before a table alias".to_owned());
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
        match expr {
            Expr::Cast { kind: CastKind::DoubleColon, .. } => self.found.push(":: cast".to_owned()),
            Expr::ILike { .. } => self.found.push("ILIKE".to_owned()),
            Expr::Function(function) => {
                let name = function.name.to_string().to_lowercase();
                if FOREIGN_FUNCTIONS.contains(&name.as_str()) {
                    self.found.push(format!("function {name}"));
                }
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_value(&mut self, value: &ValueWithSpan) -> ControlFlow<()> {
        if matches!(value.value, Value::Boolean(_)) {
            self.found.push("boolean literal".to_owned());
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oracle_sql_passes_and_postgres_habits_are_named() {
        let oracle = "SELECT c.CD_BRANCHE, NVL(COUNT(*), 0) FROM CONTRATS c WHERE c.DT_RESIL >= DATE '2024-01-01' \
                      GROUP BY c.CD_BRANCHE ORDER BY 2 DESC FETCH FIRST 5 ROWS ONLY";
        assert_eq!(issues(oracle), Vec::<String>::new());
        let postgres = "SELECT c.NOM FROM CLIENTS AS c WHERE c.NOM ILIKE 'a%' AND c.DT::date > now() LIMIT 3";
        assert_eq!(issues(postgres), [":: cast", "AS before a table alias", "ILIKE", "LIMIT", "function now"]);
        assert_eq!(issues("SELECT strftime('%Y', DT_SURV) FROM SINISTRES"), ["function strftime"]);
        assert!(issues("SELEC nothing").first().is_some_and(|issue| issue.starts_with("not parsed")));
    }
}
