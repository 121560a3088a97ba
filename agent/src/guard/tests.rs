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
        known_tables: Some(std::sync::Arc::new(tables.iter().map(|table| (*table).to_owned()).collect())),
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

/// A policy hiding `CLIENTS.EMAIL` and `CLIENTS.DATE_NAISSANCE` (as a user without clearance gets it).
fn hiding_email(dialect: Dialect) -> GuardPolicy {
    let hidden = BTreeSet::from(["EMAIL".to_owned(), "DATE_NAISSANCE".to_owned()]);
    let mut policy = policy(dialect);
    policy.hidden_columns = [("CLIENTS".to_owned(), hidden.clone()), ("DWH.CLIENTS".to_owned(), hidden)].into();
    policy
}

#[test]
fn a_hidden_column_is_refused_wherever_the_statement_reads_it() {
    for dialect in [Dialect::Oracle, Dialect::Postgres, Dialect::Sqlite] {
        let policy = hiding_email(dialect);
        for sql in [
            "SELECT NOM, EMAIL FROM CLIENTS",
            "SELECT c.NOM, c.email FROM CLIENTS c",
            "SELECT NOM FROM CLIENTS WHERE EMAIL LIKE '%@gmail.com'",
            "SELECT NOM FROM CLIENTS c JOIN CONTRATS t ON t.NOTE = c.EMAIL",
            "SELECT COUNT(*) FROM CLIENTS GROUP BY EMAIL",
            "SELECT UPPER(SUBSTR(\"EMAIL\", 1, 3)) FROM CLIENTS",
            "SELECT x.e FROM (SELECT EMAIL AS e FROM CLIENTS) x",
            "WITH c AS (SELECT DATE_NAISSANCE FROM DWH.CLIENTS) SELECT * FROM c",
            "SELECT * FROM CLIENTS",
            "SELECT c.* FROM CONTRATS t JOIN CLIENTS c ON c.ID_CLIENT = t.ID_CLIENT",
            "SELECT NOM FROM CLIENTS ORDER BY DATE_NAISSANCE",
            "SELECT t.NUM FROM CONTRATS t WHERE EXISTS (SELECT 1 FROM CLIENTS c WHERE c.EMAIL IS NOT NULL)",
            "SELECT c FROM CLIENTS c",
            "SELECT NOM FROM CLIENTS NATURAL JOIN CONTRATS",
            "SELECT ROW(c.*) FROM CLIENTS c",
            "SELECT COUNT(DISTINCT CLIENTS.*) FROM CLIENTS",
        ] {
            let verdict = check(sql, &policy);
            assert_eq!(verdict.rule, Rule::SensitiveColumn, "{dialect:?} {sql}: {}", verdict.message);
            assert!(!verdict.allowed && verdict.checked().is_none());
            assert!(
                verdict.message.contains("EMAIL") || verdict.message.contains("DATE_NAISSANCE"),
                "the refusal names the column: {}",
                verdict.message
            );
        }
    }
}

#[test]
fn postgres_whole_row_forms_are_refused_on_a_table_with_hidden_columns() {
    let policy = hiding_email(Dialect::Postgres);
    for sql in ["TABLE CLIENTS", "SELECT to_json(c.*) FROM CLIENTS c", "SELECT row_to_json(c) FROM CLIENTS c"] {
        let verdict = check(sql, &policy);
        assert!(!verdict.allowed, "{sql}: {}", verdict.message);
    }
}

#[test]
fn column_aliases_on_a_table_with_hidden_columns_are_refused() {
    let verdict = check("SELECT c.e FROM CLIENTS AS c(i, n, e)", &hiding_email(Dialect::Postgres));
    assert_eq!(verdict.rule, Rule::SensitiveColumn, "{}", verdict.message);
}

#[test]
fn columns_that_are_not_hidden_still_pass() {
    let policy = hiding_email(Dialect::Oracle);
    for sql in [
        "SELECT NOM, VILLE FROM CLIENTS",
        "SELECT c.NOM FROM CLIENTS c WHERE c.VILLE = 'EMAIL'",
        "SELECT COUNT(*) FROM CLIENTS",
        // A table where EMAIL is not hidden, qualified by its alias.
        "SELECT t.EMAIL FROM CONTRATS t JOIN CLIENTS c ON c.ID_CLIENT = t.ID_CLIENT",
        "SELECT * FROM CONTRATS",
        "SELECT x.* FROM (SELECT NOM FROM CLIENTS) x",
    ] {
        let verdict = check(sql, &policy);
        assert!(verdict.allowed, "{sql}: {}", verdict.message);
        assert_eq!(verdict.checked().map(CheckedStatement::sql), Some(verdict.statement.as_str()));
    }
}

#[test]
fn a_table_outside_the_grant_is_refused_in_the_same_words_as_one_that_does_not_exist() {
    let mut restricted = policy(Dialect::Sqlite);
    restricted.allowed_tables = Some(BTreeSet::from(["CLIENTS".to_owned()]));
    let outside = check("SELECT * FROM SINISTRES", &restricted);
    let missing = check("SELECT * FROM NOWHERE", &restricted);
    assert_eq!((outside.rule, missing.rule), (Rule::TableNotAllowed, Rule::TableNotAllowed));
    assert_eq!(outside.message.replace("SINISTRES", "X"), missing.message.replace("NOWHERE", "X"));
}
