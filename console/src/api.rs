//! The only module that makes HTTP calls: each function returns `schemas` types or a readable error.

use schemas::{ErrorBody, HealthResponse};

/// Returns the service's health report.
pub async fn health() -> Result<HealthResponse, String> {
    let response = gloo_net::http::Request::get("/api/v1/health")
        .send()
        .await
        .map_err(|error| format!("le service ne répond pas / the service does not answer: {error}"))?;
    if !response.ok() {
        let body: Option<ErrorBody> = response.json().await.ok();
        return Err(body.map(|body| body.message).unwrap_or_else(|| format!("HTTP {}", response.status())));
    }
    response.json::<HealthResponse>().await.map_err(|error| format!("réponse illisible / unreadable answer: {error}"))
}
