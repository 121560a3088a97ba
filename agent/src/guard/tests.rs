//! The guard against its corpora: hostile statements of every family, in every dialect, are refused by the
//! expected rule; legitimate Oracle, PostgreSQL and SQLite queries pass.

use std::collections::BTreeSet;

use serde::Deserialize;

use super::*;

#[derive(Debug, Deserialize)]
struct Case {
    dialect: Dialect,
    sql: String,
    #[serde(default)]
    rule: Option<Rule>,
}

fn policy(dialect: Dialect) -> GuardPolicy {
    let tables = ["CLIENTS", "CONTRATS", "SINISTRES", "DWH.CLIENTS"];
    GuardPolicy {
        known_tables: Some(tables.iter().map(|table| (*table).to_owned()).collect()),
        ..GuardPolicy::new(dialect)
    }
}

fn cases(text: &str) -> Vec<Case> {
    text.lines().filter(|line| !line.trim().is_empty()).map(|line| serde_json::from_str(line).expect(line)).collect()
}

#[test]
fn every_hostile_statement_is_refused_by_its_rule() {
    let corpus = cases(include_str!("../../tests/fixtures/guard/hostile.jsonl"));
    assert!(corpus.len() >= 60, "the hostile corpus has {} statements", corpus.len());
    let mut wrong = Vec::new();
    for case in &corpus {
        let verdict = check(&case.sql, &policy(case.dialect));
        if verdict.allowed || Some(verdict.rule) != case.rule {
            wrong.push(format!(
                "{:?} {:?}: expected {:?}, got {:?} ({})",
                case.dialect, case.sql, case.rule, verdict.rule, verdict.message
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn legitimate_queries_in_each_dialect_are_allowed() {
    let mut wrong = Vec::new();
    for case in cases(include_str!("../../tests/fixtures/guard/allowed.jsonl")) {
        let verdict = check(&case.sql, &policy(case.dialect));
        if !verdict.allowed {
            wrong.push(format!("{:?} {:?}: {:?} {}", case.dialect, case.sql, verdict.rule, verdict.message));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_seed_keyword_list_mistakes_are_not_repeated() {
    // The seed refused any text containing UPDATE or DELETE, so a column named LAST_UPDATE_DATE was blocked,
    // and let MERGE and GRANT through.
    let oracle = policy(Dialect::Oracle);
    assert!(check("SELECT LAST_UPDATE_DATE FROM CLIENTS", &oracle).allowed);
    assert!(!check("MERGE INTO CLIENTS c USING CONTRATS t ON (c.ID_CLIENT = t.ID_CLIENT) WHEN MATCHED THEN UPDATE SET c.VILLE = 'x'", &oracle).allowed);
    assert!(!check("GRANT SELECT ON CLIENTS TO PUBLIC", &oracle).allowed);
}

#[test]
fn explain_plan_prefixes_and_trailing_semicolons_are_stripped() {
    let verdict = check("EXPLAIN PLAN SET STATEMENT_ID = 'for' FOR SELECT * FROM CLIENTS;", &policy(Dialect::Oracle));
    assert!(verdict.allowed, "{verdict:?}");
    assert_eq!(verdict.statement, "SELECT * FROM CLIENTS");
    assert_eq!(verdict.tables, ["CLIENTS"]);
}

#[test]
fn a_role_allow_list_refuses_other_tables_by_name() {
    let mut restricted = policy(Dialect::Sqlite);
    restricted.allowed_tables = Some(BTreeSet::from(["CLIENTS".to_owned()]));
    assert!(check("SELECT * FROM CLIENTS", &restricted).allowed);
    let verdict = check("SELECT * FROM CLIENTS JOIN SINISTRES ON 1 = 1", &restricted);
    assert_eq!(verdict.rule, Rule::TableNotAllowed);
    assert!(verdict.message.contains("SINISTRES"));
}

#[test]
fn cte_names_are_not_mistaken_for_unknown_tables() {
    let verdict = check("WITH recents AS (SELECT * FROM CONTRATS) SELECT * FROM recents", &policy(Dialect::Postgres));
    assert!(verdict.allowed, "{verdict:?}");
    assert_eq!(verdict.tables, ["CONTRATS"]);
}

#[test]
fn a_configured_deny_list_entry_is_refused() {
    let mut custom = policy(Dialect::Oracle);
    custom.denied_functions = vec!["PKG_PAIE.".to_owned()];
    let verdict = check("SELECT PKG_PAIE.RECALCULER(1) FROM DUAL", &custom);
    assert_eq!(verdict.rule, Rule::DeniedFunction);
}
