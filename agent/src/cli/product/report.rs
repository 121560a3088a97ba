//! The product benchmark's figures: one record per question, and execution accuracy by level, language and need
//! of the documents, tokens sent and evaluated, model calls, seconds cold and warm, error codes, and the share of
//! generated statements Oracle would refuse.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::Answer;
use super::set::{Level, Question};
use crate::config::EvalArgs;
use crate::guard::Dialect;

/// One question's outcome.
#[derive(Debug, Serialize)]
pub struct Record {
    /// The question's identifier in its set.
    pub id: String,
    /// The question as asked.
    pub question: String,
    /// `fr` or `en`.
    pub lang: String,
    /// Difficulty.
    pub level: Level,
    /// Whether it needs the internal documents.
    pub needs_docs: bool,
    /// The codes or rules its gold query applies.
    pub rule: String,
    /// Whether the gold query ran (a question whose gold fails scores 0 and is counted apart).
    pub gold_ran: bool,
    /// Whether the answer's rows equal the gold rows.
    pub correct: bool,
    /// The last statement the model wrote (after corrections).
    pub sql: Option<String>,
    /// The `error` event's code, when the answer ended with one.
    pub error_code: Option<String>,
    /// The `error` event's message.
    pub error_message: Option<String>,
    /// The first question of the run meets a cold prompt cache.
    pub cold: bool,
    /// Wall time from the request to the stream's last event.
    pub seconds: f64,
    /// Prompt tokens sent over all model calls (the server's count).
    pub prompt_tokens: u64,
    /// Prompt tokens the server evaluated (not in its cache), when it says.
    pub prompt_evaluated_tokens: Option<u64>,
    /// Tokens the model wrote.
    pub completion_tokens: u64,
    /// Generations asked of the model.
    pub model_calls: u32,
    /// Repairs the loop made (with or without the model).
    pub repairs: usize,
    /// Tables the gold query reads.
    pub gold_tables: Vec<String>,
    /// Tables retrieval put in the prompt.
    pub retrieved_tables: Vec<String>,
    /// Every table of the gold query was in the prompt.
    pub table_recall: bool,
    /// Document passages put in the prompt.
    pub documents: Vec<String>,
    /// Codes and business terms the question's words named.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vocabulary: Vec<String>,
    /// In Oracle dialect: what Oracle would refuse in the statement.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub oracle_issues: Vec<String>,
}

impl Record {
    /// Builds the record of one answer.
    pub fn new(
        question: &Question,
        cold: bool,
        gold_ran: bool,
        correct: bool,
        answer: Answer,
        dialect: Dialect,
    ) -> Self {
        let gold_tables: Vec<String> =
            super::super::eval::gold_tables(&question.sql).unwrap_or_default().into_iter().collect();
        // Retrieval names a table with its schema on PostgreSQL and Oracle (`PUBLIC.CONTRATS`); gold tables are bare.
        let retrieved: BTreeSet<&str> =
            answer.retrieved_tables.iter().map(|name| name.rsplit('.').next().unwrap_or(name)).collect();
        let oracle_issues = match (&answer.sql, dialect) {
            (Some(sql), Dialect::Oracle) => super::oracle_check::issues(sql),
            _ => Vec::new(),
        };
        Self {
            id: question.id.clone(),
            question: question.question.clone(),
            lang: question.lang.clone(),
            level: question.level,
            needs_docs: question.needs_docs,
            rule: question.rule.clone(),
            gold_ran,
            correct,
            table_recall: gold_tables.iter().all(|table| retrieved.contains(table.as_str())),
            gold_tables,
            sql: answer.sql,
            error_code: answer.error_code,
            error_message: answer.error_message,
            cold,
            seconds: answer.seconds,
            prompt_tokens: answer.prompt_tokens,
            prompt_evaluated_tokens: answer.prompt_evaluated_tokens,
            completion_tokens: answer.completion_tokens,
            model_calls: answer.model_calls,
            repairs: answer.repairs,
            retrieved_tables: answer.retrieved_tables,
            documents: answer.documents,
            vocabulary: answer.vocabulary,
            oracle_issues,
        }
    }
}

/// Execution accuracy of a group of questions.
#[derive(Debug, Serialize)]
pub struct Share {
    /// Questions answered right.
    pub right: usize,
    /// Questions asked.
    pub questions: usize,
    /// `right / questions`.
    pub accuracy: f64,
}

impl Share {
    fn of<'a>(records: impl Iterator<Item = &'a Record>) -> Self {
        let (mut right, mut questions) = (0, 0);
        for record in records {
            questions += 1;
            right += usize::from(record.correct);
        }
        Self { right, questions, accuracy: if questions == 0 { 0.0 } else { right as f64 / questions as f64 } }
    }

    fn text(&self) -> String {
        format!("{:.2} ({}/{})", self.accuracy, self.right, self.questions)
    }
}

/// Median, 95th percentile and mean of a figure.
#[derive(Debug, Default, Serialize)]
pub struct Spread {
    /// Median (nearest rank).
    pub p50: f64,
    /// 95th percentile (nearest rank).
    pub p95: f64,
    /// Mean.
    pub mean: f64,
    /// Values summed up.
    pub count: usize,
}

impl Spread {
    fn of(values: impl Iterator<Item = f64>) -> Self {
        let mut values: Vec<f64> = values.collect();
        if values.is_empty() {
            return Self::default();
        }
        values.sort_by(f64::total_cmp);
        let at = |percent: usize| values[(values.len() * percent).div_ceil(100).clamp(1, values.len()) - 1];
        Self { p50: at(50), p95: at(95), mean: values.iter().sum::<f64>() / values.len() as f64, count: values.len() }
    }
}

/// The whole run.
#[derive(Debug, Serialize)]
pub struct Report {
    /// The warehouse and dialect, in words (the Oracle stand-in says it is one).
    pub target: String,
    /// Dialect the agent wrote.
    pub dialect: Dialect,
    /// Model asked.
    pub model: String,
    /// Model server.
    pub llm: String,
    /// Questions asked.
    pub questions: usize,
    /// Execution accuracy over every question.
    pub execution_accuracy: Share,
    /// By difficulty.
    pub by_level: BTreeMap<String, Share>,
    /// By the question's language.
    pub by_language: BTreeMap<String, Share>,
    /// Questions that need the documents and those the dictionary answers.
    pub by_needs_docs: BTreeMap<String, Share>,
    /// Share of questions whose gold tables were all in the prompt.
    pub table_recall: f64,
    /// Gold queries that did not run (those questions score 0).
    pub gold_failed: usize,
    /// Seconds of the first question (cold prompt cache).
    pub seconds_cold: Spread,
    /// Seconds of the others.
    pub seconds_warm: Spread,
    /// Prompt tokens sent per question.
    pub prompt_tokens: Spread,
    /// Prompt tokens the server evaluated; absent when it did not say for every question.
    pub prompt_evaluated_tokens: Option<Spread>,
    /// Model calls per question.
    pub model_calls: Spread,
    /// Questions by their number of model calls.
    pub model_calls_by_count: BTreeMap<u32, usize>,
    /// Failures by code (`wrong_result`: rows came back, not the gold's).
    pub error_codes: BTreeMap<String, usize>,
    /// In Oracle dialect: statements Oracle would refuse, of those generated.
    pub oracle_invalid: Option<(usize, usize)>,
    /// One record per question.
    pub records: Vec<Record>,
}

impl Report {
    /// Sums up the records.
    pub fn new(target: String, dialect: Dialect, args: &EvalArgs, records: Vec<Record>) -> Self {
        let by = |key: &dyn Fn(&Record) -> String| {
            let keys: BTreeSet<String> = records.iter().map(key).collect();
            keys.into_iter()
                .map(|wanted| {
                    let share = Share::of(records.iter().filter(|record| key(record) == wanted));
                    (wanted, share)
                })
                .collect::<BTreeMap<_, _>>()
        };
        let evaluated: Option<Vec<f64>> =
            records.iter().map(|record| record.prompt_evaluated_tokens.map(|tokens| tokens as f64)).collect();
        let mut error_codes = BTreeMap::new();
        let mut model_calls_by_count = BTreeMap::new();
        for record in &records {
            if let Some(code) = &record.error_code {
                *error_codes.entry(code.clone()).or_insert(0) += 1;
            } else if !record.correct {
                *error_codes.entry("wrong_result".to_owned()).or_insert(0) += 1;
            }
            *model_calls_by_count.entry(record.model_calls).or_insert(0) += 1;
        }
        let generated = records.iter().filter(|record| record.sql.is_some()).count();
        let invalid = records.iter().filter(|record| !record.oracle_issues.is_empty()).count();
        Self {
            target,
            dialect,
            model: args.model.clone(),
            llm: args.llm.clone(),
            questions: records.len(),
            execution_accuracy: Share::of(records.iter()),
            by_level: by(&|record| format!("{:?}", record.level).to_lowercase()),
            by_language: by(&|record| record.lang.clone()),
            by_needs_docs: by(&|record| {
                if record.needs_docs { "needs documents" } else { "dictionary only" }.to_owned()
            }),
            table_recall: records.iter().filter(|record| record.table_recall).count() as f64
                / records.len().max(1) as f64,
            gold_failed: records.iter().filter(|record| !record.gold_ran).count(),
            seconds_cold: Spread::of(records.iter().filter(|record| record.cold).map(|record| record.seconds)),
            seconds_warm: Spread::of(records.iter().filter(|record| !record.cold).map(|record| record.seconds)),
            prompt_tokens: Spread::of(records.iter().map(|record| record.prompt_tokens as f64)),
            prompt_evaluated_tokens: evaluated.map(|values| Spread::of(values.into_iter())),
            model_calls: Spread::of(records.iter().map(|record| f64::from(record.model_calls))),
            model_calls_by_count,
            error_codes,
            oracle_invalid: (dialect == Dialect::Oracle).then_some((invalid, generated)),
            records,
        }
    }

    /// Prints the figures; the last line sums them up.
    pub fn print(&self) {
        let shares = |groups: &BTreeMap<String, Share>| {
            groups.iter().map(|(name, share)| format!("{name} {}", share.text())).collect::<Vec<_>>().join(", ")
        };
        println!("target: {}; model {} at {}", self.target, self.model, self.llm);
        println!("by level: {}", shares(&self.by_level));
        println!("by language: {}", shares(&self.by_language));
        println!("by documents: {}", shares(&self.by_needs_docs));
        println!(
            "table recall {:.2}; gold queries that failed {}; errors {:?}",
            self.table_recall, self.gold_failed, self.error_codes
        );
        let evaluated = match &self.prompt_evaluated_tokens {
            Some(spread) => format!("median {:.0} mean {:.0}", spread.p50, spread.mean),
            None => "not reported by the server (Ollama's API has one count; use an OpenAI-compatible endpoint)".into(),
        };
        println!(
            "prompt tokens sent median {:.0} mean {:.0}; evaluated {evaluated}; model calls mean {:.2} {:?}",
            self.prompt_tokens.p50, self.prompt_tokens.mean, self.model_calls.mean, self.model_calls_by_count
        );
        if let Some((invalid, generated)) = self.oracle_invalid {
            println!(
                "oracle stand-in: statements run on PostgreSQL with orafce, not on Oracle; {invalid} of {generated} \
                 generated statements would not be valid Oracle (sqlparser's Oracle dialect, LIMIT, AS before a table \
                 alias, ::, ILIKE, PostgreSQL-only functions)"
            );
        }
        println!(
            "eval {:?}: {} questions, execution accuracy {}; seconds warm p50 {:.1} p95 {:.1}, cold {:.1}",
            self.dialect,
            self.questions,
            self.execution_accuracy.text(),
            self.seconds_warm.p50,
            self.seconds_warm.p95,
            self.seconds_cold.p50
        );
    }
}
