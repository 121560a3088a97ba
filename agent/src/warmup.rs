//! Warm-up: nobody pays the first read of the prompt's stable part. When an index build is published (the first
//! build, the nightly re-index, a steward's re-index, a build published by `pstral index`), the stable part
//! ([`crate::answer::prompt::stable_part`]) is sent once to every model backend, asking for a single token, so the
//! server's prompt cache holds it before the first question. Meanwhile the health report says the model is warming
//! up. The part warmed is the one readers without clearance and without a table grant share — which cleared
//! readers share too (their sensitive columns come after it); a reader under a table grant has their own.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use schemas::auth::Role;

use crate::answer::{Answerer, prompt};
use crate::llm::{GenerationOptions, LlmChunk, prefix_key};
use crate::permissions::Permissions;
use crate::store::Store;

/// How often the serving build is checked for a new one.
const WATCH_EVERY: Duration = Duration::from_secs(1);

/// Where the warm-up stands, for the health report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WarmState {
    /// A warm-up is running.
    pub warming: bool,
    /// Estimated tokens of the stable part being (or last) warmed.
    pub tokens: usize,
    /// Seconds the last finished warm-up took (the slowest backend).
    pub seconds: Option<f64>,
    /// Why the last warm-up failed on some backend, if it did.
    pub last_error: Option<String>,
    /// Warm-ups finished so far.
    pub finished: u64,
}

/// The warm-up's state, shared with the health report.
#[derive(Debug, Default)]
pub struct WarmUp {
    state: Mutex<WarmState>,
}

impl WarmUp {
    /// Returns where the warm-up stands.
    pub fn state(&self) -> WarmState {
        self.state.lock().map(|state| state.clone()).unwrap_or_default()
    }

    fn update(&self, change: impl FnOnce(&mut WarmState)) {
        if let Ok(mut state) = self.state.lock() {
            change(&mut state);
        }
    }

    /// Watches the serving build and warms every backend each time a new one is published (at start too).
    pub fn spawn(self: &Arc<Self>, answerer: Answerer, store: Store) -> tokio::task::JoinHandle<()> {
        let warm_up = Arc::clone(self);
        tokio::spawn(async move {
            let mut warmed: Option<Arc<indexer::catalog::Catalog>> = None;
            loop {
                if let Some(catalog) = answerer.index.catalog()
                    && !warmed.as_ref().is_some_and(|before| Arc::ptr_eq(before, &catalog))
                {
                    warm_up.warm(&answerer, &store).await;
                    warmed = Some(catalog);
                }
                tokio::time::sleep(WATCH_EVERY).await;
            }
        })
    }

    /// Sends the stable part of the serving build to every backend, all at once; failures are recorded (a backend
    /// that is down gets it from its first question).
    pub async fn warm(&self, answerer: &Answerer, store: &Store) {
        let messages = match stable_messages(answerer, store).await {
            Ok(Some(messages)) => messages,
            Ok(None) => return,
            Err(error) => {
                tracing::warn!(%error, "the warm-up could not read the analysts' permissions");
                self.update(|state| state.last_error = Some(format!("{error:#}")));
                return;
            }
        };
        let tokens = indexer::index::text::estimate_tokens(&messages[0].1);
        self.update(|state| {
            state.warming = true;
            state.tokens = tokens;
        });
        let started = Instant::now();
        let key = prefix_key(&messages[0].1);
        let options = GenerationOptions { num_predict: 1, ..answerer.options.generation.clone() };
        let outcomes = futures_util::future::join_all(answerer.llm.clients().map(|client| {
            let (messages, options) = (&messages, &options);
            async move {
                let outcome = tokio::time::timeout(answerer.options.llm_timeout * 4, async {
                    let mut stream = Box::pin(client.chat_stream(messages, options).await?);
                    while let Some(chunk) = stream.next().await {
                        if let LlmChunk::Done { .. } = chunk? {
                            break;
                        }
                    }
                    Ok::<(), crate::llm::LlmError>(())
                })
                .await;
                match outcome {
                    Ok(Ok(())) => {
                        answerer.llm.mark_cached(client, key);
                        None
                    }
                    Ok(Err(error)) => Some(format!("{}: {error}", client.url())),
                    Err(_) => Some(format!("{}: no answer in time", client.url())),
                }
            }
        }))
        .await;
        let errors: Vec<String> = outcomes.into_iter().flatten().collect();
        let seconds = started.elapsed().as_secs_f64();
        if errors.is_empty() {
            tracing::info!(tokens, seconds, "warm-up: every model backend holds the stable part of the prompt");
        } else {
            tracing::warn!(errors = %errors.join("; "), "warm-up failed on some backend");
        }
        self.update(|state| {
            state.warming = false;
            state.seconds = Some(seconds);
            state.last_error = (!errors.is_empty()).then(|| errors.join("; "));
            state.finished += 1;
        });
    }
}

/// The messages of a warm-up: the stable part of analysts (no clearance, their role's grant), then an empty
/// question. `None` in chat-less setups (no build serving, no stable part).
async fn stable_messages(answerer: &Answerer, store: &Store) -> anyhow::Result<Option<Vec<(String, String)>>> {
    let Some(catalog) = answerer.index.catalog() else { return Ok(None) };
    let (dialect, base) = answerer.guard_policy();
    let mut marks = store.sensitive_marks().await?;
    marks.sensitive_patterns = answerer.options.sensitive_patterns.clone();
    let grant = store.grant(Role::Analyst).await?;
    let analysts = Permissions::build(&base, &catalog, &marks, &grant, false, "warm-up".to_owned());
    let Some(stable) =
        answerer.index.stable_schema(&analysts.visibility, answerer.options.retrieve.stable_budget_tokens)
    else {
        return Ok(None);
    };
    Ok(Some(vec![
        ("system".to_owned(), prompt::stable_part(dialect, Some(&stable))),
        ("user".to_owned(), "Question :".to_owned()),
    ]))
}
