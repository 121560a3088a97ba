//! Property tests: no statement that changes data, structure or rights is ever allowed, whatever comments, casing,
//! quoting or nesting dress it in, in any dialect. Every table the statements name is known to the policy, so a
//! write on them must be refused by the read-only rules themselves, as in production (where the catalog is known).

use proptest::prelude::*;

use super::*;

/// Statements that write, in forms each dialect accepts (or at least one does).
const WRITES: &[&str] = &[
    "INSERT INTO CLIENTS (ID_CLIENT, NOM) VALUES (1, 'x')",
    "INSERT INTO CLIENTS SELECT * FROM CLIENTS",
    "UPDATE CLIENTS SET NOM = 'x' WHERE ID_CLIENT = 1",
    "DELETE FROM CLIENTS WHERE ID_CLIENT > 0",
    "DROP TABLE CLIENTS",
    "TRUNCATE TABLE CLIENTS",
    "CREATE TABLE COPIE AS SELECT * FROM CLIENTS",
    "ALTER TABLE CLIENTS ADD COLUMN X INTEGER",
    "GRANT SELECT ON CLIENTS TO PUBLIC",
    "REVOKE SELECT ON CLIENTS FROM PUBLIC",
    "MERGE INTO CLIENTS c USING CONTRATS k ON (c.ID_CLIENT = k.ID_CLIENT) WHEN MATCHED THEN UPDATE SET NOM = 'x'",
    "SELECT * INTO COPIE FROM CLIENTS",
    "SELECT * FROM CLIENTS FOR UPDATE",
    "CALL DBMS_UTILITY.EXEC_DDL_STATEMENT('DROP TABLE CLIENTS')",
    "SELECT DBMS_LOB.SUBSTR(NOM) FROM CLIENTS",
    "SELECT NOM FROM CLIENTS@LIEN_DISTANT",
    "ATTACH DATABASE '/tmp/x.db' AS x",
    "VACUUM",
    "PRAGMA writable_schema = 1",
    "COPY CLIENTS TO '/tmp/clients.csv'",
    "SET ROLE admin",
    "COMMIT",
];

/// Ways to hide a statement `{}` inside something that starts like a query or a comment.
const DISGUISES: &[&str] = &[
    "{}",
    "{};",
    "SELECT 1; {}",
    "{}; SELECT 1",
    "/* SELECT */ {}",
    "-- SELECT 1\n{}",
    "{} -- SELECT",
    "EXPLAIN PLAN FOR {}",
    "EXPLAIN {}",
    "WITH x AS (SELECT 1 AS a FROM CLIENTS) {}",
    "WITH d AS ({} RETURNING *) SELECT * FROM d",
    "SELECT * FROM ({}) t",
    "(({}))",
    "BEGIN {}; END;",
    "DECLARE BEGIN {}; END;",
    "SELECT 1 FROM CLIENTS UNION ALL {}",
];

/// Separators put between tokens.
const GAPS: &[&str] = &[" ", "  ", "\n", "\t", " /* commentaire */ ", " /*+ APPEND */ ", "\r\n"];

fn policy(dialect: Dialect) -> GuardPolicy {
    let known = ["CLIENTS", "CONTRATS", "COPIE", "D", "X", "T"];
    GuardPolicy {
        known_tables: Some(std::sync::Arc::new(known.iter().map(|name| (*name).to_owned()).collect())),
        ..GuardPolicy::new(dialect)
    }
}

fn dress(statement: &str, disguise: usize, gaps: &[usize], casing: &[bool]) -> String {
    let mut out = String::new();
    for (index, token) in statement.split(' ').enumerate() {
        if index > 0 {
            out.push_str(GAPS[gaps[index % gaps.len()] % GAPS.len()]);
        }
        // Change the case of words outside string literals; literals keep theirs.
        if token.contains('\'') || !casing[index % casing.len()] {
            out.push_str(token);
        } else {
            out.push_str(&token.to_lowercase());
        }
    }
    DISGUISES[disguise % DISGUISES.len()].replace("{}", &out)
}

proptest! {
    // 2,000 cases in the default run; `PROPTEST_CASES=…` for a longer one.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(2_000)
    ))]

    #[test]
    fn no_write_is_ever_allowed_whatever_hides_it(
        write in 0..WRITES.len(),
        disguise in 0..DISGUISES.len(),
        gaps in proptest::collection::vec(0..GAPS.len(), 1..8),
        casing in proptest::collection::vec(any::<bool>(), 1..8),
        dialect in prop_oneof![Just(Dialect::Oracle), Just(Dialect::Postgres), Just(Dialect::Sqlite)],
    ) {
        let sql = dress(WRITES[write], disguise, &gaps, &casing);
        let verdict = check(&sql, &policy(dialect));
        prop_assert!(!verdict.allowed, "{dialect:?} allowed {sql:?}: {}", verdict.message);
    }

    #[test]
    fn a_plain_query_stays_allowed_whatever_its_spacing_and_casing(
        gaps in proptest::collection::vec(0..GAPS.len(), 1..8),
        casing in proptest::collection::vec(any::<bool>(), 1..8),
        dialect in prop_oneof![Just(Dialect::Oracle), Just(Dialect::Postgres), Just(Dialect::Sqlite)],
    ) {
        let sql = dress("SELECT NOM , COUNT(*) AS N FROM CLIENTS WHERE NOM <> 'DELETE FROM x' GROUP BY NOM", 0, &gaps, &casing);
        let verdict = check(&sql, &policy(dialect));
        prop_assert!(verdict.allowed, "{dialect:?} refused {sql:?}: {}", verdict.message);
    }
}
