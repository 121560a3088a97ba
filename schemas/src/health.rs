//! `GET /api/v1/health`: the state of the service and of each dependency.

use serde::{Deserialize, Serialize};

/// Overall status of the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ServiceStatus {
    /// Every dependency answers.
    Ok,
    /// The service runs but an optional dependency (LLM, embeddings, index) is missing.
    Degraded,
    /// A required dependency (the app store) is down.
    Down,
}

/// State of one dependency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DependencyState {
    /// The dependency answered the probe.
    Ok,
    /// The dependency is still being prepared (e.g. the first index build).
    Starting,
    /// The dependency is missing or does not answer; the message says what to do.
    Unavailable,
}

/// Health of one dependency, with a message in plain words when it is not `ok`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DependencyHealth {
    /// Name shown to people: `app_store`, `warehouse`, `index`, `llm`, `embeddings`.
    pub name: String,
    /// Current state.
    pub state: DependencyState,
    /// What was probed (a URL without credentials, a path, a model name).
    #[serde(default)]
    pub target: String,
    /// What happened and what to do, when the state is not `ok`.
    #[serde(default)]
    pub message: Option<String>,
    /// How long the probe took, in milliseconds.
    #[serde(default)]
    pub latency_ms: Option<u64>,
}

/// Body of `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct HealthResponse {
    /// Worst state over the dependencies that matter.
    pub status: ServiceStatus,
    /// Version of the `pstral` binary.
    pub version: String,
    /// One entry per dependency, in a stable order.
    pub dependencies: Vec<DependencyHealth>,
}

impl HealthResponse {
    /// Returns the entry for the dependency called `name`, if any.
    pub fn dependency(&self, name: &str) -> Option<&DependencyHealth> {
        self.dependencies.iter().find(|dependency| dependency.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_response_reads_bodies_without_optional_fields() {
        let body = r#"{"status":"degraded","version":"0.1.0","dependencies":[{"name":"llm","state":"unavailable"}]}"#;
        let parsed: HealthResponse = serde_json::from_str(body).expect("valid body");
        assert_eq!(parsed.status, ServiceStatus::Degraded);
        let llm = parsed.dependency("llm").expect("llm entry");
        assert_eq!(llm.state, DependencyState::Unavailable);
        assert!(llm.message.is_none());
    }
}
