//! A question set of the product benchmark: JSON lines, one question each, with its gold SQL and what it tests
//! (language, level, whether it needs the internal documents, the rule it relies on). The format is described in
//! `docs/eval/demo/README.md`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::config::EvalSplit;

/// Difficulty of a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// One table, one or two filters.
    Easy,
    /// Two or three tables, a grouping, a code or a rule.
    Medium,
    /// Four tables or more, anti-joins, HAVING, nesting, ratios, date logic.
    Hard,
}

/// One question of the set.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Question {
    /// Stable identifier (`dev-001`, `test-017`…).
    pub id: String,
    /// The question, as an analyst types it.
    pub question: String,
    /// `fr` or `en`.
    pub lang: String,
    /// Difficulty.
    pub level: Level,
    /// Whether answering needs the internal documents (a code, a business rule, the reference date).
    pub needs_docs: bool,
    /// The codes or rules the gold query applies.
    #[serde(default)]
    pub rule: String,
    /// The gold query (SQLite, and every engine without a variant of its own).
    pub sql: String,
    /// The gold query on PostgreSQL, when it differs (also used for the Oracle stand-in on PostgreSQL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql_postgres: Option<String>,
    /// The gold query on Oracle, when it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql_oracle: Option<String>,
}

impl Question {
    /// Returns the gold query for a warehouse engine.
    pub fn gold_for(&self, engine: indexer::catalog::Engine) -> &str {
        let variant = match engine {
            indexer::catalog::Engine::Postgres => self.sql_postgres.as_deref(),
            indexer::catalog::Engine::Oracle => self.sql_oracle.as_deref(),
            indexer::catalog::Engine::Sqlite => None,
        };
        variant.unwrap_or(&self.sql)
    }
}

/// Returns the demo set's files for a split.
pub fn demo_files(root: &Path, split: EvalSplit) -> Vec<PathBuf> {
    let directory = root.join("docs/eval/demo");
    match split {
        EvalSplit::Dev => vec![directory.join("dev.jsonl")],
        EvalSplit::Test => vec![directory.join("test.jsonl")],
        EvalSplit::All => vec![directory.join("dev.jsonl"), directory.join("test.jsonl")],
    }
}

/// Reads question files; every line must be a question, and identifiers must be unique.
pub fn load(paths: &[PathBuf]) -> anyhow::Result<Vec<Question>> {
    let mut questions: Vec<Question> = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path).with_context(|| format!("failed to read {}", path.display()))?;
        for (number, line) in text.lines().enumerate().filter(|(_, line)| !line.trim().is_empty()) {
            let question: Question = serde_json::from_str(line)
                .with_context(|| format!("{} line {} is not a question", path.display(), number + 1))?;
            anyhow::ensure!(
                matches!(question.lang.as_str(), "fr" | "en"),
                "{} line {}: lang must be fr or en",
                path.display(),
                number + 1
            );
            anyhow::ensure!(
                !questions.iter().any(|seen| seen.id == question.id),
                "{} line {}: the id {} is used twice",
                path.display(),
                number + 1,
                question.id
            );
            questions.push(question);
        }
    }
    anyhow::ensure!(!questions.is_empty(), "no question in {}", paths_list(paths));
    Ok(questions)
}

fn paths_list(paths: &[PathBuf]) -> String {
    paths.iter().map(|path| path.display().to_string()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_is_read_and_its_mistakes_are_named() {
        let dir = tempfile::TempDir::new().expect("temp dir");
        let path = dir.path().join("set.jsonl");
        let line = r#"{"id":"q1","question":"Combien ?","lang":"fr","level":"easy","needs_docs":false,"sql":"SELECT 1","sql_postgres":"SELECT 1::int"}"#;
        std::fs::write(&path, format!("{line}\n\n")).expect("write");
        let questions = load(std::slice::from_ref(&path)).expect("a valid set");
        assert_eq!(questions.len(), 1);
        assert_eq!(questions[0].gold_for(indexer::catalog::Engine::Postgres), "SELECT 1::int");
        assert_eq!(questions[0].gold_for(indexer::catalog::Engine::Oracle), "SELECT 1");
        std::fs::write(&path, format!("{line}\n{line}\n")).expect("write");
        let error = load(std::slice::from_ref(&path)).expect_err("duplicate id");
        assert!(error.to_string().contains("used twice"), "{error}");
        std::fs::write(&path, line.replace("\"fr\"", "\"de\"")).expect("write");
        assert!(load(std::slice::from_ref(&path)).expect_err("bad lang").to_string().contains("fr or en"));
        std::fs::write(&path, "{\"id\":\"q1\"}").expect("write");
        assert!(load(std::slice::from_ref(&path)).expect_err("incomplete").to_string().contains("line 1"));
    }
}
