//! The guard on real data: every gold query of the Spider dev set passes (no false refusals).

use std::path::PathBuf;

use agent::guard::{Dialect, GuardPolicy, check};

/// Spider lives beside the repository (`../shared/data/spider`) or where `PSTRAL_SPIDER_DIR` says.
fn spider_dir() -> PathBuf {
    std::env::var_os("PSTRAL_SPIDER_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/spider"))
}

#[test]
fn every_spider_dev_gold_query_is_allowed() {
    let path = spider_dir().join("dev.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!("Spider dev set expected at {} (set PSTRAL_SPIDER_DIR): {error}", path.display())
    });
    let examples: Vec<serde_json::Value> = serde_json::from_str(&text).expect("dev.json is JSON");
    let policy = GuardPolicy::new(Dialect::Sqlite);
    let refused: Vec<String> = examples
        .iter()
        .filter_map(|example| example["query"].as_str())
        .filter_map(|sql| {
            let verdict = check(sql, &policy);
            (!verdict.allowed).then(|| format!("{sql}\n  → {:?}: {}", verdict.rule, verdict.message))
        })
        .collect();
    assert!(examples.len() > 1000);
    assert!(refused.is_empty(), "{} false refusals:\n{}", refused.len(), refused.join("\n"));
}
