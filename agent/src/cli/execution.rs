//! `pstral eval --llm URL`: execution accuracy on a Spider-layout dataset with a real model. Each question goes
//! through the agent loop twice with the same model — once with retrieval (the product), once with the whole
//! schema in the prompt (the baseline) — and each final result is compared with the gold query's result.
//!
//! Scoring follows Spider's execution rule: a question scores 1 when the predicted query runs and returns the same
//! rows as the gold query — as multisets, or as sequences when the gold has `ORDER BY`; errors and refusals score
//! 0. Values are compared after normalisation (numbers to 6 decimals without trailing zeros), and columns by the
//! permutation of the predicted columns that fits, so a different column order does not fail a right answer.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use indexer::index::{RetrieveOptions, SchemaIndex, Strategy};
use indexer::source::Warehouse;
use indexer::source::run::{QueryLimits, RunOutcome};
use schemas::{ChatEvent, ChatMode, ChatRequest, ColumnValues, ResultColumn};
use serde::Serialize;

use crate::answer::{AnswerOptions, Answerer, rows};
use crate::guard::{self, Dialect, GuardPolicy};
use crate::llm::{GenerationOptions, LlmClient, LlmPool};
use crate::queue::LlmQueue;

/// Rows read from either query before comparing.
const ROW_CAP: usize = 10_000;

/// One run of the loop on one question.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Attempt {
    /// The last SQL the model wrote.
    pub sql: Option<String>,
    /// Whether its result equals the gold result.
    pub correct: bool,
    /// Why it failed, if it did.
    pub error: Option<String>,
    /// Prompt tokens over all attempts (the model's count).
    pub prompt_tokens: u64,
    /// Tokens written.
    pub completion_tokens: u64,
    /// Repairs used.
    pub repairs: usize,
    /// Wall time of the whole loop.
    pub seconds: f64,
}

/// Runs both strategies on one question; `gold` is the gold query's normalised result. The one run second finds
/// the question's prompt in the server's cache, so the caller alternates `agent_first`.
#[allow(clippy::too_many_arguments)]
pub async fn score_question(
    agent_first: bool,
    llm: &LlmClient,
    index: &Arc<SchemaIndex>,
    warehouse: &Warehouse,
    question: &str,
    gold: &Option<Rows>,
    ordered: bool,
    retrieve: RetrieveOptions,
) -> (Attempt, Attempt) {
    let order =
        if agent_first { [Strategy::Hybrid, Strategy::FullSchema] } else { [Strategy::FullSchema, Strategy::Hybrid] };
    let mut attempts = BTreeMap::new();
    for strategy in order {
        let options = AnswerOptions {
            limits: QueryLimits { max_rows: ROW_CAP, ..QueryLimits::default() },
            generation: GenerationOptions { num_ctx: 8_192, ..GenerationOptions::default() },
            retrieve: RetrieveOptions { strategy, ..retrieve },
            ..AnswerOptions::default()
        };
        let answerer = Answerer::new(
            LlmPool::new(vec![llm.clone()]),
            Arc::clone(index),
            warehouse.clone(),
            Arc::new(LlmQueue::new(1, 0)),
            options,
        );
        attempts.insert(strategy == Strategy::Hybrid, attempt(&answerer, question, gold, ordered).await);
    }
    (attempts.remove(&true).unwrap_or_default(), attempts.remove(&false).unwrap_or_default())
}

async fn attempt(answerer: &Answerer, question: &str, gold: &Option<Rows>, ordered: bool) -> Attempt {
    let started = Instant::now();
    let (sender, mut receiver) = tokio::sync::mpsc::channel(1_024);
    let request =
        ChatRequest { question: question.to_owned(), mode: ChatMode::Sql, history: Vec::new(), conversation_id: None };
    let task = {
        let answerer = answerer.clone();
        tokio::spawn(async move { answerer.answer(request, answerer.open_permissions(), sender).await })
    };
    let mut result = Attempt::default();
    let mut predicted = None;
    while let Some(event) = receiver.recv().await {
        match event {
            ChatEvent::Sql { sql, .. } => result.sql = Some(sql),
            ChatEvent::Repair { attempt, .. } => result.repairs = attempt,
            ChatEvent::Rows { columns, truncated, .. } => predicted = Some((normalise(&columns), truncated)),
            ChatEvent::Error { message, prompt_tokens, completion_tokens, .. } => {
                result.error = Some(message);
                result.prompt_tokens = prompt_tokens;
                result.completion_tokens = completion_tokens;
            }
            ChatEvent::Done { prompt_tokens, completion_tokens, .. } => {
                result.prompt_tokens = prompt_tokens;
                result.completion_tokens = completion_tokens;
            }
            _ => {}
        }
    }
    let _ = task.await;
    result.seconds = started.elapsed().as_secs_f64();
    result.correct = match (gold, predicted) {
        (Some(gold), Some((predicted, false))) => same_result(gold, &predicted, ordered),
        _ => false,
    };
    result
}

/// A result as rows of normalised cells.
pub type Rows = Vec<Vec<String>>;

/// Runs the gold query through the guard (an open policy in the warehouse's own dialect) and the warehouse door,
/// like every statement; `None` when it is refused or fails (the question is then skipped).
pub async fn gold_result(warehouse: &Warehouse, sql: &str) -> Option<Rows> {
    let dialect = Dialect::from(indexer::catalog::Engine::from(warehouse.url().kind()));
    let verdict = guard::check(sql, &GuardPolicy::new(dialect));
    let checked = verdict.checked()?;
    match crate::warehouse::run(warehouse, checked, &QueryLimits { max_rows: ROW_CAP, ..QueryLimits::default() }).await
    {
        Ok(RunOutcome::Rows(result)) if !result.truncated => Some(normalise(&rows::to_columns(&result.batch))),
        _ => None,
    }
}

/// Turns typed columns into rows of normalised text cells.
pub fn normalise(columns: &[ResultColumn]) -> Rows {
    let height = columns.first().map(|column| column.data.len()).unwrap_or(0);
    (0..height).map(|row| columns.iter().map(|column| cell(&column.data, row)).collect()).collect()
}

fn cell(values: &ColumnValues, row: usize) -> String {
    let text = match values {
        ColumnValues::Int64(values) => values[row].map(|value| value.to_string()),
        ColumnValues::Float64(values) => values[row].map(number),
        ColumnValues::Bool(values) => values[row].map(|value| i64::from(value).to_string()),
        ColumnValues::Date(values) | ColumnValues::Timestamp(values) | ColumnValues::Text(values) => {
            values[row].clone()
        }
    };
    text.unwrap_or_else(|| "NULL".to_owned())
}

/// Writes a number to 6 decimals without trailing zeros, so that the same value computed in floating point by one
/// engine (`2.9999999999`) and exactly by another (`3`) reads the same.
fn number(value: f64) -> String {
    let fixed = format!("{value:.6}");
    let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "-0" { "0".to_owned() } else { trimmed.to_owned() }
}

/// Compares two results as Spider's execution rule does: the same rows, as multisets (as sequences only when
/// `ordered`), columns matched by position or by the permutation of the predicted columns that fits.
pub fn same_result(gold: &Rows, predicted: &Rows, ordered: bool) -> bool {
    if gold.len() != predicted.len() {
        return false;
    }
    let width = gold.first().map_or(0, Vec::len);
    if gold.is_empty() || predicted.first().map_or(0, Vec::len) != width {
        return gold.is_empty();
    }
    // A predicted column can stand for a gold column only if it holds the same values (as a multiset); the
    // permutations are searched among those candidates only, so the search stays small.
    let candidates: Vec<Vec<usize>> = (0..width)
        .map(|wanted| {
            let values = column(gold, wanted, !ordered);
            (0..width).filter(|&index| column(predicted, index, !ordered) == values).collect()
        })
        .collect();
    let mut gold_rows = gold.clone();
    if !ordered {
        gold_rows.sort();
    }
    let mut permutation = Vec::with_capacity(width);
    fits(&candidates, &mut permutation, &mut vec![false; width], &gold_rows, predicted, ordered)
}

/// Returns the values of column `index`, sorted when `sorted`.
fn column(rows: &Rows, index: usize, sorted: bool) -> Vec<&str> {
    let mut values: Vec<&str> = rows.iter().map(|row| row[index].as_str()).collect();
    if sorted {
        values.sort_unstable();
    }
    values
}

/// Depth-first search for a column permutation under which the rows match.
fn fits(
    candidates: &[Vec<usize>],
    permutation: &mut Vec<usize>,
    used: &mut Vec<bool>,
    gold_rows: &Rows,
    predicted: &Rows,
    ordered: bool,
) -> bool {
    let depth = permutation.len();
    if depth == candidates.len() {
        let mut rows: Rows =
            predicted.iter().map(|row| permutation.iter().map(|&index| row[index].clone()).collect()).collect();
        if !ordered {
            rows.sort();
        }
        return &rows == gold_rows;
    }
    for &index in &candidates[depth] {
        if used[index] {
            continue;
        }
        used[index] = true;
        permutation.push(index);
        let found = fits(candidates, permutation, used, gold_rows, predicted, ordered);
        permutation.pop();
        used[index] = false;
        if found {
            return true;
        }
    }
    false
}

/// Aggregates of one strategy over the questions.
#[derive(Debug, Default, Serialize)]
pub struct ExecutionSummary {
    /// Share of questions whose result was right.
    pub execution_accuracy: f64,
    /// Mean prompt tokens per question.
    pub prompt_tokens_mean: f64,
    /// Mean and median seconds per question.
    pub seconds_mean: f64,
    /// Median seconds per question.
    pub seconds_median: f64,
    /// Repairs used, by count (0, 1, 2…).
    pub repairs: BTreeMap<usize, usize>,
    /// Questions that ended without rows.
    pub errors: usize,
}

/// Sums up attempts.
pub fn summarise(attempts: &[&Attempt]) -> ExecutionSummary {
    let count = attempts.len().max(1) as f64;
    let mut seconds: Vec<f64> = attempts.iter().map(|attempt| attempt.seconds).collect();
    seconds.sort_by(f64::total_cmp);
    let mut repairs = BTreeMap::new();
    for attempt in attempts {
        *repairs.entry(attempt.repairs).or_default() += 1;
    }
    ExecutionSummary {
        execution_accuracy: attempts.iter().filter(|attempt| attempt.correct).count() as f64 / count,
        prompt_tokens_mean: attempts.iter().map(|attempt| attempt.prompt_tokens as f64).sum::<f64>() / count,
        seconds_mean: seconds.iter().sum::<f64>() / count,
        seconds_median: seconds.get(seconds.len() / 2).copied().unwrap_or_default(),
        repairs,
        errors: attempts.iter().filter(|attempt| attempt.error.is_some()).count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(data: &[&[&str]]) -> Rows {
        data.iter().map(|row| row.iter().map(|cell| (*cell).to_owned()).collect()).collect()
    }

    #[test]
    fn results_compare_as_multisets_unless_the_gold_is_ordered() {
        let gold = rows(&[&["a", "1"], &["b", "2"]]);
        assert!(same_result(&gold, &rows(&[&["b", "2"], &["a", "1"]]), false));
        assert!(!same_result(&gold, &rows(&[&["b", "2"], &["a", "1"]]), true));
        assert!(same_result(&gold, &rows(&[&["1", "a"], &["2", "b"]]), true), "column order does not matter");
        assert!(!same_result(&gold, &rows(&[&["a", "1"]]), false));
        assert!(!same_result(&gold, &rows(&[&["a", "1"], &["a", "1"]]), false), "multisets, not sets");
        assert!(!same_result(&gold, &rows(&[&["a", "1", "x"], &["b", "2", "x"]]), false), "an extra column");
        assert!(same_result(&Rows::new(), &Rows::new(), false));
    }

    #[test]
    fn columns_are_matched_as_wholes_not_cell_by_cell() {
        // Sorting each row's cells would take these for the same result: the columns do not match as a whole.
        let gold = rows(&[&["1", "2"], &["2", "1"]]);
        assert!(!same_result(&gold, &rows(&[&["1", "2"], &["1", "2"]]), false));
        let gold = rows(&[&["x", "1", "1"], &["y", "2", "1"]]);
        assert!(same_result(&gold, &rows(&[&["1", "x", "1"], &["1", "y", "2"]]), false), "a permutation fits");
        assert!(!same_result(&gold, &rows(&[&["1", "x", "2"], &["1", "y", "1"]]), false), "no permutation fits");
    }

    #[test]
    fn numbers_are_normalised() {
        let columns = vec![
            ResultColumn::new("x", ColumnValues::Float64(vec![Some(3.0), Some(2.5), None])),
            ResultColumn::new("y", ColumnValues::Int64(vec![Some(3), Some(1), Some(0)])),
        ];
        assert_eq!(normalise(&columns), rows(&[&["3", "3"], &["2.5", "1"], &["NULL", "0"]]));
        let engines = vec![ResultColumn::new(
            "x",
            ColumnValues::Float64(vec![Some(2.999_999_999_9), Some(-0.000_000_1), Some(1_234.567_890_4)]),
        )];
        assert_eq!(
            normalise(&engines),
            rows(&[&["3"], &["0"], &["1234.56789"]]),
            "one engine's float, another's exact"
        );
    }
}
