//! `GET /api/v1/health`: the state of the service and of each dependency, without authentication.
//!
//! Probes run concurrently, each with a short timeout, so a hung dependency cannot hang the health check.

use std::future::Future;
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::State;
use schemas::{DependencyHealth, DependencyState, HealthResponse, ServiceStatus};

use crate::startup::AppState;

const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// `GET /api/v1/health`.
pub async fn get_health(State(state): State<AppState>) -> Json<HealthResponse> {
    let (store, warehouse, llm) = tokio::join!(
        probe("app_store", state.store_target.clone(), state.store.ping()),
        probe("warehouse", state.warehouse.url().redacted().to_owned(), state.warehouse.ping()),
        probe("llm", llm_target(&state), probe_llms(&state)),
    );
    let llm = warming(llm, &state.warm_up.state());
    let index = index_health(&state);
    let embeddings = embeddings_health(&state);
    let status = if store.state != DependencyState::Ok {
        ServiceStatus::Down
    } else if [&warehouse, &llm, &index, &embeddings].iter().any(|dependency| dependency.state != DependencyState::Ok) {
        ServiceStatus::Degraded
    } else {
        ServiceStatus::Ok
    };
    Json(HealthResponse {
        status,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        dependencies: vec![store, warehouse, llm, index, embeddings],
    })
}

/// The backends and the model, e.g. `http://127.0.0.1:11434 (ministral-3:3b)`.
fn llm_target(state: &AppState) -> String {
    let urls: Vec<&str> = state.llm.clients().map(|client| client.url()).collect();
    let model = state.llm.clients().next().map(|client| client.model().to_owned()).unwrap_or_default();
    format!("{} ({model})", urls.join(", "))
}

/// A model that answers but is still reading the prompt's stable part of a new build is `starting`: the first
/// questions wait for it. A failed warm-up is said, the model staying `ok`.
fn warming(mut llm: DependencyHealth, warm: &crate::warmup::WarmState) -> DependencyHealth {
    if llm.state != DependencyState::Ok {
        // A backend that fails its probe may still have been warmed (an OpenAI-compatible server that names its
        // model otherwise, say): said after the failure.
        if let (Some(message), Some(seconds), None) = (&mut llm.message, warm.seconds, &warm.last_error) {
            message.push_str(&format!("; warm: holds the stable part of the prompt (read in {seconds:.0} s)"));
        }
        return llm;
    }
    if warm.warming {
        llm.state = DependencyState::Starting;
        llm.message = Some(format!(
            "warming up: the model is reading the stable part of the prompt (about {} tokens) of the new index \
             build; questions asked meanwhile wait for it",
            warm.tokens
        ));
    } else if let Some(error) = &warm.last_error {
        llm.message = Some(format!("the last warm-up failed ({error}): the first question reads the whole prompt"));
    } else if let Some(seconds) = warm.seconds {
        llm.message = Some(format!(
            "warm: holds the stable part of the prompt (about {} tokens, read in {seconds:.0} s)",
            warm.tokens
        ));
    }
    llm
}

/// Every backend must answer; the first failure is reported (with how many others answered).
async fn probe_llms(state: &AppState) -> anyhow::Result<()> {
    let results = futures_util::future::join_all(state.llm.clients().map(|client| client.probe(PROBE_TIMEOUT))).await;
    let answering = results.iter().filter(|result| result.is_ok()).count();
    match results.into_iter().find_map(Result::err) {
        None => Ok(()),
        Some(error) if answering > 0 => {
            Err(anyhow::anyhow!("{error} ({answering} other backend(s) answer and take the questions)"))
        }
        Some(error) => Err(error.into()),
    }
}

/// The index is `ok` while a build serves (with the last error, if a later build failed), `starting` during the
/// first build, `unavailable` when no build ever succeeded.
fn index_health(state: &AppState) -> DependencyHealth {
    let status = state.indexing.status();
    let target = state.indexing.index().root().display().to_string();
    let (dependency_state, message) = match (&status.serving, &status.last_error, status.building) {
        (Some(_), None, _) => (DependencyState::Ok, None),
        (Some(_), Some(error), _) => {
            (DependencyState::Ok, Some(format!("the last re-index failed, the previous index serves: {error}")))
        }
        (None, _, true) => (DependencyState::Starting, Some("the first index build is running".to_owned())),
        (None, Some(error), false) => (DependencyState::Unavailable, Some(format!("no index: {error}"))),
        (None, None, false) => {
            (DependencyState::Starting, Some("the first index build has not started yet".to_owned()))
        }
    };
    let message = message.or_else(|| {
        status.serving.as_ref().map(|manifest| {
            format!(
                "{} tables, {} columns, {} values, built {}",
                manifest.tables, manifest.columns, manifest.values, manifest.built_at
            )
        })
    });
    DependencyHealth { name: "index".to_owned(), state: dependency_state, target, message, latency_ms: None }
}

fn embeddings_health(state: &AppState) -> DependencyHealth {
    let problem = state.indexing.embeddings_problem();
    DependencyHealth {
        name: "embeddings".to_owned(),
        state: if problem.is_some() { DependencyState::Unavailable } else { DependencyState::Ok },
        target: indexer::embed::MODEL_NAME.to_owned(),
        message: problem.map(str::to_owned),
        latency_ms: None,
    }
}

/// Runs one probe with a timeout and turns its outcome into a [`DependencyHealth`].
async fn probe<E: std::fmt::Display>(
    name: &str,
    target: String,
    check: impl Future<Output = Result<(), E>>,
) -> DependencyHealth {
    let started = Instant::now();
    let outcome = tokio::time::timeout(PROBE_TIMEOUT, check).await;
    let latency_ms = Some(u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
    let (state, message) = match outcome {
        Ok(Ok(())) => (DependencyState::Ok, None),
        Ok(Err(error)) => (DependencyState::Unavailable, Some(format!("{error:#}"))),
        Err(_) => (DependencyState::Unavailable, Some(format!("no answer within {} ms", PROBE_TIMEOUT.as_millis()))),
    };
    if let Some(message) = &message {
        tracing::debug!(dependency = name, %message, "dependency unavailable");
    }
    DependencyHealth { name: name.to_owned(), state, target, message, latency_ms }
}
