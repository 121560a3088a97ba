//! The agent loop: retrieve → prompt → generate (streamed) → guard → dry-run → repair → run, each step sent as a
//! `ChatEvent`. Every answer ends with `done` or `error`; a closed event channel (the client left) stops the loop
//! and drops the model's stream, which cancels the generation.

pub mod explain;
pub mod extract;
pub mod prompt;
pub mod repair;
pub mod rows;

use std::sync::Arc;
use std::time::Instant;

use futures_util::StreamExt;
use indexer::index::{RetrieveOptions, SchemaIndex};
use indexer::source::Warehouse;
use indexer::source::explain::{DryRun, SqlErrorKind};
use indexer::source::run::{QueryLimits, RunOutcome};
use schemas::{ChatEvent, ChatMode, ChatRequest, RetrievedTableInfo};
use tokio::sync::mpsc::Sender;

use crate::answer::repair::SelfJoin;
use crate::config::{AgentConfig, IndexConfig};
use crate::guard::{self, Dialect, GuardPolicy};
use crate::llm::{GenerationOptions, LlmChunk, LlmPool};
use crate::permissions::{Clearance, Permissions};
use crate::queue::{LlmQueue, Seat};

/// Settings of the loop.
#[derive(Debug, Clone)]
pub struct AnswerOptions {
    /// Repairs after the first attempt (2 by default).
    pub max_repairs: usize,
    /// Earlier turns kept (`MAX_HISTORY_MESSAGES`).
    pub max_history: usize,
    /// Row cap and timeout of the run.
    pub limits: QueryLimits,
    /// Row cap and timeout of exports (`/sql/export`).
    pub export_limits: QueryLimits,
    /// Longest the model may stay silent before the answer fails with `llm_timeout`.
    pub llm_timeout: std::time::Duration,
    /// Sampling settings.
    pub generation: GenerationOptions,
    /// Retrieval settings.
    pub retrieve: RetrieveOptions,
    /// Dialect the model writes and the guard checks, when it is not the warehouse's own (PostgreSQL with the
    /// orafce extension answering in Oracle dialect: the benchmark's Oracle stand-in).
    pub dialect: Option<Dialect>,
    /// Column-name patterns flagging sensitive columns until a steward reviews them.
    pub sensitive_patterns: Vec<String>,
    /// The lowest role cleared for sensitive columns.
    pub clearance: Clearance,
}

impl Default for AnswerOptions {
    fn default() -> Self {
        Self {
            max_repairs: 2,
            max_history: 10,
            limits: QueryLimits::default(),
            export_limits: QueryLimits { max_rows: 50_000, ..QueryLimits::default() },
            llm_timeout: std::time::Duration::from_secs(120),
            generation: GenerationOptions::default(),
            retrieve: RetrieveOptions::default(),
            dialect: None,
            sensitive_patterns: Vec::new(),
            clearance: Clearance::default(),
        }
    }
}

impl AnswerOptions {
    /// Options from the service's configuration.
    pub fn from_config(agent: &AgentConfig, index: &IndexConfig) -> Self {
        let retrieve = index.retrieve_options();
        Self {
            max_repairs: agent.max_repairs,
            max_history: agent.max_history_messages,
            limits: QueryLimits {
                max_rows: agent.row_limit.max(1),
                timeout: std::time::Duration::from_secs(agent.query_timeout_secs.max(1)),
            },
            export_limits: QueryLimits {
                max_rows: agent.export_row_limit.max(1),
                timeout: std::time::Duration::from_secs(agent.query_timeout_secs.max(1)),
            },
            llm_timeout: std::time::Duration::from_secs(agent.llm_timeout_secs.max(1)),
            generation: GenerationOptions::default(),
            retrieve,
            dialect: agent.sql_dialect,
            sensitive_patterns: index.sensitive_patterns.clone(),
            clearance: agent.sensitive_clearance,
        }
    }
}

/// What the loop needs, shared by every answer.
#[derive(Debug, Clone)]
pub struct Answerer {
    /// The model.
    pub llm: LlmPool,
    /// The schema index.
    pub index: Arc<SchemaIndex>,
    /// The warehouse (read-only).
    pub warehouse: Warehouse,
    /// The queue in front of the model.
    pub queue: Arc<LlmQueue>,
    /// Settings.
    pub options: AnswerOptions,
    /// The guard policy of the serving catalog (see [`Answerer::guard_policy`]).
    pub policy_cache: PolicyCache,
}

/// The guard policy built for one catalog, kept with that catalog.
pub type PolicyCache = Arc<std::sync::Mutex<Option<(Arc<indexer::catalog::Catalog>, Arc<GuardPolicy>)>>>;

impl Answerer {
    /// An answerer with an empty policy cache.
    pub fn new(
        llm: LlmPool,
        index: Arc<SchemaIndex>,
        warehouse: Warehouse,
        queue: Arc<LlmQueue>,
        options: AnswerOptions,
    ) -> Self {
        Self { llm, index, warehouse, queue, options, policy_cache: PolicyCache::default() }
    }
}

/// Why the loop stopped early.
enum Stop {
    /// The client is gone: nothing more to send.
    ClientGone,
    /// A failure to report as the stream's last event.
    Failed { code: &'static str, message: String },
}

impl From<tokio::sync::mpsc::error::SendError<ChatEvent>> for Stop {
    fn from(_: tokio::sync::mpsc::error::SendError<ChatEvent>) -> Self {
        Self::ClientGone
    }
}

/// Runs the answer loop; a panic inside it (a bug) becomes an `internal` failure, logged, instead of a stream that
/// ends with neither `done` nor `error`.
async fn ended_even_on_panic(run: impl Future<Output = Result<(), Stop>>) -> Result<(), Stop> {
    use futures_util::FutureExt;
    match std::panic::AssertUnwindSafe(run).catch_unwind().await {
        Ok(outcome) => outcome,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|text| (*text).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(panic = %what, "the answer loop panicked");
            Err(Stop::Failed {
                code: "internal",
                message: "the answer stopped on an internal error (logged for the administrator): try again, or \
                          rephrase the question"
                    .to_owned(),
            })
        }
    }
}

/// Why an attempt failed, with what the repair message needs.
#[derive(Debug, Default)]
struct Failure {
    /// The guard's or the database's reason (with a hint).
    reason: String,
    /// The kind of mistake, which the corrections and the repair message act on.
    kind: SqlErrorKind,
    /// The guard's rule, when the guard refused.
    refused_by: Option<guard::Rule>,
    /// The query tried, when the answer held one.
    sql: Option<String>,
    /// The tables that query read, as the guard found them.
    tables: Vec<String>,
}

/// Tokens and model calls counted over every attempt.
#[derive(Default)]
struct Usage {
    prompt: u64,
    completion: u64,
    /// Prompt tokens the server evaluated (not cached), while every call said.
    evaluated: Option<u64>,
    calls: u32,
}

impl Usage {
    /// Adds one generation's counts.
    fn add(&mut self, prompt: u64, completion: u64, evaluated: Option<u64>) {
        self.evaluated = match (self.calls, self.evaluated, evaluated) {
            (0, _, now) => now,
            (_, Some(before), Some(now)) => Some(before + now),
            _ => None,
        };
        self.prompt += prompt;
        self.completion += completion;
        self.calls += 1;
    }
}

impl Answerer {
    /// Returns the dialect (the configured one, else the warehouse's) and the guard policy for the serving catalog
    /// (Oracle and no known tables before the first index build: every table is then refused as unknown).
    /// The policy is built once per serving build (its table set has two names per table: 20,000 strings at
    /// 10,000 tables) and shared until the next build is loaded.
    pub fn guard_policy(&self) -> (Dialect, Arc<GuardPolicy>) {
        let catalog = self.index.catalog().unwrap_or_default();
        let dialect = self.options.dialect.or(catalog.engine.map(Dialect::from)).unwrap_or(Dialect::Oracle);
        if let Ok(cache) = self.policy_cache.lock()
            && let Some((cached_for, policy)) = cache.as_ref()
            && Arc::ptr_eq(cached_for, &catalog)
        {
            return (dialect, Arc::clone(policy));
        }
        let policy = Arc::new(GuardPolicy::new(dialect).with_catalog(&catalog));
        if let Ok(mut cache) = self.policy_cache.lock() {
            *cache = Some((catalog, Arc::clone(&policy)));
        }
        (dialect, policy)
    }

    /// Permissions that hide nothing, with the catalog's policy: for the command-line tools.
    pub fn open_permissions(&self) -> Permissions {
        Permissions::open(self.guard_policy().1)
    }

    /// Answers `request` for a user with `permissions`, sending events to `events` until `done` or `error` — an
    /// `error` too when the loop panics (a bug): the client is never left without an end.
    pub async fn answer(&self, request: ChatRequest, permissions: Permissions, events: Sender<ChatEvent>) {
        let started = Instant::now();
        let mut usage = Usage::default();
        let outcome = match self.queue.enter(&permissions.policy.subject) {
            Ok(seat) => ended_even_on_panic(self.run(&request, &permissions, &seat, &events, &mut usage)).await,
            Err(refused) => Err(Stop::Failed {
                code: "too_many_questions",
                message: format!(
                    "you already have {} questions in progress, the most one user may have at once: wait for one of \
                     their answers (or stop one) and ask again",
                    refused.limit
                ),
            }),
        };
        let last = match outcome {
            Ok(()) => ChatEvent::Done {
                elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                prompt_tokens: usage.prompt,
                completion_tokens: usage.completion,
                prompt_evaluated_tokens: usage.evaluated,
                model_calls: usage.calls,
            },
            Err(Stop::ClientGone) => return,
            Err(Stop::Failed { code, message }) => ChatEvent::Error {
                code: code.to_owned(),
                message,
                prompt_tokens: usage.prompt,
                completion_tokens: usage.completion,
                prompt_evaluated_tokens: usage.evaluated,
                model_calls: usage.calls,
            },
        };
        let _client_may_be_gone = events.send(last).await;
    }

    async fn run(
        &self,
        request: &ChatRequest,
        permissions: &Permissions,
        seat: &Seat<'_>,
        events: &Sender<ChatEvent>,
        usage: &mut Usage,
    ) -> Result<(), Stop> {
        events.send(ChatEvent::Status { step: "retrieving".into() }).await?;
        let index = Arc::clone(&self.index);
        let question = request.question.clone();
        let retrieve = self.options.retrieve;
        let visibility = permissions.visibility.clone();
        let mut retrieval = tokio::task::spawn_blocking(move || index.retrieve_for(&question, &retrieve, &visibility))
            .await
            .map_err(|join| Stop::Failed { code: "internal", message: format!("retrieval failed: {join}") })?
            .map_err(|error| Stop::Failed { code: "index_unavailable", message: error.to_string() })?;
        let policy = Arc::clone(&permissions.policy);
        // A verified pair reading what this user may not read is no example for them.
        retrieval.examples.retain(|pair| guard::check(&pair.sql, &policy).allowed);
        events
            .send(ChatEvent::Retrieved {
                tables: retrieval
                    .tables
                    .iter()
                    .map(|table| RetrievedTableInfo { name: table.name.clone(), reasons: table.reasons.clone() })
                    .collect(),
                schema_tokens: retrieval.schema_tokens,
                documents: retrieval
                    .documents
                    .iter()
                    .map(|chunk| format!("{} › {}", chunk.source, chunk.title))
                    .collect(),
                vocabulary: prompt::vocabulary(&retrieval),
            })
            .await?;
        let dialect = policy.dialect;
        let history_start = request.history.len().saturating_sub(self.options.max_history);
        let mut messages =
            prompt::build(request.mode, dialect, &retrieval, &request.history[history_start..], &request.question);
        if request.mode == ChatMode::Chat {
            self.generate(seat, &messages, events, usage).await?;
            return Ok(());
        }
        // Corrections and repair messages name only what this user may see.
        let catalog = permissions.visible_catalog(&self.index.catalog().unwrap_or_default());
        let mut tried: Vec<String> = Vec::new();
        let lang = explain::Lang::of(&request.question);
        for attempt in 0..=self.options.max_repairs {
            let text = self.generate(seat, &messages, events, usage).await?;
            let mut outcome = match extract::extract_sql(&text) {
                Some(sql) => self.check_joins_and_run(sql, attempt, &policy, &catalog, lang, events).await?,
                None => Some(Failure { reason: "the answer holds no SELECT query".to_owned(), ..Failure::default() }),
            };
            // A column the query's own tables hold under another alias or spelling, or that one more table joined
            // on its foreign key holds, is corrected here, without a round trip to the model (the slow part); at
            // most three corrections per attempt.
            for _ in 0..3 {
                let Some(Failure { sql: Some(sql), reason, kind, .. }) = &outcome else { break };
                let Some((fixed, change)) = repair::correct(sql, kind, &catalog, dialect) else {
                    break;
                };
                // Moving a column to the table that holds it can leave a join comparing it with itself; when the
                // catalog does not tell what that join meant, the model is better told of the missing column.
                if matches!(repair::self_join(&fixed, &catalog, dialect), SelfJoin::Unclear { .. }) {
                    break;
                }
                let reason = format!("{reason}; corrected without the model: {change}");
                events.send(ChatEvent::Repair { attempt: attempt + 1, reason }).await?;
                outcome = self.check_joins_and_run(fixed, attempt, &policy, &catalog, lang, events).await?;
            }
            let Some(failure) = outcome else { return Ok(()) };
            // The same failed query again: another round would fail the same way, and the model is the slow part.
            let repeated =
                failure.sql.as_deref().is_some_and(|sql| tried.iter().any(|old| repair::same_query(old, sql)));
            tried.extend(failure.sql.clone());
            if attempt == self.options.max_repairs || repeated {
                let why = if repeated { " (the model wrote a failed query again)" } else { "" };
                // A question that needs what the user may not read says so, in its own code, for the console to
                // explain in the user's language.
                let code = match failure.refused_by {
                    Some(guard::Rule::SensitiveColumn) => "sensitive_column",
                    Some(guard::Rule::TableNotAllowed) => "table_not_allowed",
                    _ => "sql_failed",
                };
                return Err(Stop::Failed {
                    code,
                    message: format!(
                        "no valid query after {} attempts{why}: {}; rephrase the question or name the tables",
                        attempt + 1,
                        failure.reason
                    ),
                });
            }
            events.send(ChatEvent::Repair { attempt: attempt + 1, reason: failure.reason.clone() }).await?;
            messages.push(("assistant".to_owned(), text));
            messages
                .push(("user".to_owned(), repair::message(&failure.reason, &failure.kind, &failure.tables, &catalog)));
        }
        Ok(())
    }

    /// Waits for the model in the question's seat, then streams one answer from it, forwarding tokens; returns the
    /// whole text.
    async fn generate(
        &self,
        seat: &Seat<'_>,
        messages: &[(String, String)],
        events: &Sender<ChatEvent>,
        usage: &mut Usage,
    ) -> Result<String, Stop> {
        let _slot = seat.slot(events).await.ok_or(Stop::ClientGone)?;
        events.send(ChatEvent::Status { step: "generating".into() }).await?;
        let llm_failed =
            |error: crate::llm::LlmError| Stop::Failed { code: "llm_unavailable", message: error.to_string() };
        let prefix = messages.first().map(|(_, stable_part)| crate::llm::prefix_key(stable_part));
        let lease = self.llm.lease(prefix).ok_or_else(|| Stop::Failed {
            code: "llm_unavailable",
            message: "no LLM backend is configured: set OLLAMA_URL or PSTRAL_LLM_BACKENDS".to_owned(),
        })?;
        let silent = self.options.llm_timeout;
        let timed_out = || Stop::Failed {
            code: "llm_timeout",
            message: format!(
                "the model sent nothing for {} s: it may be overloaded or stuck; try again in a moment, or raise \
                 PSTRAL_LLM_TIMEOUT_SECS",
                silent.as_secs()
            ),
        };
        let started = tokio::select! {
            started = tokio::time::timeout(silent, lease.client.chat_stream(messages, &self.options.generation)) => {
                started.map_err(|_| timed_out())?
            }
            () = events.closed() => return Err(Stop::ClientGone),
        };
        let mut stream = Box::pin(started.map_err(llm_failed)?);
        let mut text = String::new();
        loop {
            // A client that leaves while the model reads the prompt (seconds on a CPU) stops it at once.
            let chunk = tokio::select! {
                chunk = tokio::time::timeout(silent, stream.next()) => chunk.map_err(|_| timed_out())?,
                () = events.closed() => return Err(Stop::ClientGone),
            };
            let Some(chunk) = chunk else { break };
            match chunk.map_err(llm_failed)? {
                LlmChunk::Text(token) => {
                    text.push_str(&token);
                    events.send(ChatEvent::Token { text: token }).await?;
                }
                LlmChunk::Done { prompt_tokens, completion_tokens, prompt_evaluated } => {
                    usage.add(prompt_tokens, completion_tokens, prompt_evaluated);
                    break;
                }
            }
        }
        Ok(text)
    }

    /// Corrects a join condition that compares a column with itself — it runs and returns a cross product, so no
    /// error would ask for a repair — or, when the right link is not clear, fails the attempt for the model to
    /// repair; then [`Self::check_and_run`].
    async fn check_joins_and_run(
        &self,
        sql: String,
        attempt: usize,
        policy: &GuardPolicy,
        catalog: &indexer::catalog::Catalog,
        lang: explain::Lang,
        events: &Sender<ChatEvent>,
    ) -> Result<Option<Failure>, Stop> {
        match repair::self_join(&sql, catalog, policy.dialect) {
            SelfJoin::None => self.check_and_run(sql, attempt, policy, (catalog, lang), events).await,
            SelfJoin::Fixed { sql: fixed, change } => {
                let reason = format!(
                    "a join condition compared a column with itself (always true); corrected without the model: \
                     {change}"
                );
                events.send(ChatEvent::Repair { attempt: attempt + 1, reason }).await?;
                self.check_and_run(fixed, attempt, policy, (catalog, lang), events).await
            }
            SelfJoin::Unclear { condition } => {
                events.send(ChatEvent::Sql { sql: sql.clone(), attempt }).await?;
                let tables = guard::check(&sql, policy).tables;
                let reason = format!(
                    "the join condition {condition} compares a column with itself, so it keeps every pair of rows: \
                     join the two tables on the key that links them (REFERENCES in the schema)"
                );
                Ok(Some(Failure { reason, sql: Some(sql), tables, ..Failure::default() }))
            }
        }
    }

    /// Guards, plans, explains (in the question's language, from the catalog the user sees) and runs one
    /// statement. `Ok(None)` when rows were sent; `Ok(Some(failure))` when the attempt failed in a way the model (or
    /// [`repair::fix_column`]) may repair.
    async fn check_and_run(
        &self,
        sql: String,
        attempt: usize,
        policy: &GuardPolicy,
        (catalog, lang): (&indexer::catalog::Catalog, explain::Lang),
        events: &Sender<ChatEvent>,
    ) -> Result<Option<Failure>, Stop> {
        events.send(ChatEvent::Sql { sql: sql.clone(), attempt }).await?;
        events.send(ChatEvent::Status { step: "checking".into() }).await?;
        let verdict = guard::check(&sql, policy);
        events
            .send(ChatEvent::Guard {
                allowed: verdict.allowed,
                rule: verdict.rule.as_str().to_owned(),
                message: verdict.message.clone(),
            })
            .await?;
        let failed = |reason: String, kind: SqlErrorKind| {
            Some(Failure { reason, kind, sql: Some(sql.clone()), tables: verdict.tables.clone(), refused_by: None })
        };
        let Some(checked) = verdict.checked() else {
            let kind = match verdict.rule {
                guard::Rule::UnknownTable => SqlErrorKind::UnknownTable { name: verdict.unknown_table.clone() },
                _ => SqlErrorKind::Other,
            };
            let reason = format!("refused by rule {}: {}", verdict.rule.as_str(), verdict.message);
            return Ok(failed(reason, kind).map(|failure| Failure { refused_by: Some(verdict.rule), ..failure }));
        };
        let unavailable = |error: indexer::IndexerError| Stop::Failed {
            code: "warehouse_unavailable",
            message: format!("{error}; check the warehouse connection (PSTRAL_WAREHOUSE_URL) and try again"),
        };
        events.send(ChatEvent::Status { step: "planning".into() }).await?;
        match crate::warehouse::explain(&self.warehouse, checked).await.map_err(unavailable)? {
            DryRun::Plan(plan) => events.send(ChatEvent::Plan { plan }).await?,
            DryRun::Refused(error) => return Ok(failed(error.hint, error.kind)),
        }
        if let Some(text) = explain::explain(checked, catalog, lang) {
            events.send(ChatEvent::Explanation { text }).await?;
        }
        events.send(ChatEvent::Status { step: "running".into() }).await?;
        match crate::warehouse::run(&self.warehouse, checked, &self.options.limits).await.map_err(unavailable)? {
            RunOutcome::Rows(rows) => {
                let mut columns = rows::to_columns(&rows.batch);
                rows::label_codes(&mut columns, checked, catalog);
                events
                    .send(ChatEvent::Rows {
                        columns,
                        row_count: rows.batch.num_rows(),
                        truncated: rows.truncated,
                        elapsed_ms: rows.elapsed_ms,
                    })
                    .await?;
                Ok(None)
            }
            RunOutcome::Refused(error) => Ok(failed(error.hint, error.kind)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_loop_still_ends_with_an_internal_error() {
        let outcome = ended_even_on_panic(async {
            if "İstanbul".len() > 1 {
                panic!("a bug in a repair");
            }
            Ok(())
        })
        .await;
        assert!(matches!(outcome, Err(Stop::Failed { code: "internal", .. })));
        assert!(matches!(ended_even_on_panic(async { Ok(()) }).await, Ok(())));
    }
}
