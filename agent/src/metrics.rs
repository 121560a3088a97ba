//! Prometheus metrics, rendered in the text format at `GET /metrics`: requests and latencies per route, the LLM
//! queue, tokens, guard refusals, answers by outcome, and the index's age.
//!
//! Hand-rolled counters behind one mutex: a few hundred series at most, updated once per request.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::startup::AppState;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0, 30.0];

#[derive(Debug, Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

#[derive(Debug, Default)]
struct Series {
    requests: BTreeMap<(String, String, u16), u64>,
    latencies: BTreeMap<String, Histogram>,
    tokens: BTreeMap<&'static str, u64>,
    refusals: BTreeMap<String, u64>,
    answers: BTreeMap<String, u64>,
}

/// The service's metrics.
#[derive(Debug, Default)]
pub struct Metrics {
    series: Mutex<Series>,
}

impl Metrics {
    /// Counts one HTTP request.
    pub fn request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let Ok(mut series) = self.series.lock() else { return };
        *series.requests.entry((method.to_owned(), route.to_owned(), status)).or_default() += 1;
        let histogram = series.latencies.entry(route.to_owned()).or_default();
        let seconds = elapsed.as_secs_f64();
        for (bound, count) in BUCKETS.iter().zip(histogram.counts.iter_mut()) {
            if seconds <= *bound {
                *count += 1;
            }
        }
        histogram.sum += seconds;
        histogram.count += 1;
    }

    /// Counts tokens read and written by the model.
    pub fn tokens(&self, prompt: u64, completion: u64) {
        if let Ok(mut series) = self.series.lock() {
            *series.tokens.entry("prompt").or_default() += prompt;
            *series.tokens.entry("completion").or_default() += completion;
        }
    }

    /// Counts a statement the guard refused, by rule.
    pub fn refusal(&self, rule: &str) {
        if let Ok(mut series) = self.series.lock() {
            *series.refusals.entry(rule.to_owned()).or_default() += 1;
        }
    }

    /// Counts an answer by outcome (`done`, an error code, `cancelled`).
    pub fn answer(&self, outcome: &str) {
        if let Ok(mut series) = self.series.lock() {
            *series.answers.entry(outcome.to_owned()).or_default() += 1;
        }
    }

    /// Renders every series, with the gauges read from `state` now.
    pub fn render(&self, state: &AppState) -> String {
        let mut out = String::new();
        let Ok(series) = self.series.lock() else { return out };
        let _ = writeln!(out, "# HELP pstral_http_requests_total HTTP requests by method, route and status.");
        let _ = writeln!(out, "# TYPE pstral_http_requests_total counter");
        for ((method, route, status), count) in &series.requests {
            let _ = writeln!(
                out,
                "pstral_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {count}",
                escape(route)
            );
        }
        let _ = writeln!(out, "# HELP pstral_http_request_duration_seconds Time to the response head, by route.");
        let _ = writeln!(out, "# TYPE pstral_http_request_duration_seconds histogram");
        for (route, histogram) in &series.latencies {
            let route = escape(route);
            for (bound, count) in BUCKETS.iter().zip(histogram.counts) {
                let _ = writeln!(
                    out,
                    "pstral_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "pstral_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                histogram.count
            );
            let _ = writeln!(out, "pstral_http_request_duration_seconds_sum{{route=\"{route}\"}} {}", histogram.sum);
            let _ =
                writeln!(out, "pstral_http_request_duration_seconds_count{{route=\"{route}\"}} {}", histogram.count);
        }
        let _ =
            writeln!(out, "# HELP pstral_llm_tokens_total Tokens read (prompt) and written (completion) by the LLM.");
        let _ = writeln!(out, "# TYPE pstral_llm_tokens_total counter");
        for (kind, count) in &series.tokens {
            let _ = writeln!(out, "pstral_llm_tokens_total{{kind=\"{kind}\"}} {count}");
        }
        let _ = writeln!(out, "# HELP pstral_guard_refusals_total Statements the guard refused, by rule.");
        let _ = writeln!(out, "# TYPE pstral_guard_refusals_total counter");
        for (rule, count) in &series.refusals {
            let _ = writeln!(out, "pstral_guard_refusals_total{{rule=\"{}\"}} {count}", escape(rule));
        }
        let _ = writeln!(out, "# HELP pstral_answers_total Answers by outcome.");
        let _ = writeln!(out, "# TYPE pstral_answers_total counter");
        for (outcome, count) in &series.answers {
            let _ = writeln!(out, "pstral_answers_total{{outcome=\"{}\"}} {count}", escape(outcome));
        }
        let _ = writeln!(out, "# HELP pstral_llm_queue_depth Questions waiting for the LLM.");
        let _ = writeln!(out, "# TYPE pstral_llm_queue_depth gauge");
        let _ = writeln!(out, "pstral_llm_queue_depth {}", state.answerer.queue.depth());
        let status = state.indexing.status();
        let age = status
            .serving
            .as_ref()
            .and_then(|manifest| {
                time::OffsetDateTime::parse(&manifest.built_at, &time::format_description::well_known::Rfc3339).ok()
            })
            .map(|built| (time::OffsetDateTime::now_utc() - built).as_seconds_f64().max(0.0));
        let _ = writeln!(
            out,
            "# HELP pstral_index_age_seconds Age of the serving schema index (absent before the first build)."
        );
        let _ = writeln!(out, "# TYPE pstral_index_age_seconds gauge");
        if let Some(age) = age {
            let _ = writeln!(out, "pstral_index_age_seconds {age:.0}");
        }
        let _ = writeln!(out, "# HELP pstral_index_tables Tables in the serving index.");
        let _ = writeln!(out, "# TYPE pstral_index_tables gauge");
        let _ = writeln!(
            out,
            "pstral_index_tables {}",
            status.serving.as_ref().map(|manifest| manifest.tables).unwrap_or(0)
        );
        let _ = writeln!(out, "# HELP pstral_index_building Whether a re-index runs now.");
        let _ = writeln!(out, "# TYPE pstral_index_building gauge");
        let _ = writeln!(out, "pstral_index_building {}", u8::from(status.building));
        out
    }
}

fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Counts every request by its route pattern (not its concrete path, so ids do not multiply series).
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route =
        request.extensions().get::<MatchedPath>().map(|path| path.as_str().to_owned()).unwrap_or_else(|| {
            if request.uri().path().starts_with("/api/") { "unknown".into() } else { "static".into() }
        });
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    state.metrics.request(&method, &route, response.status().as_u16(), started.elapsed());
    response
}

/// `GET /metrics`.
pub async fn get_metrics(State(state): State<AppState>) -> ([(axum::http::HeaderName, &'static str); 1], String) {
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render(&state))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_are_cumulative() {
        let metrics = Metrics::default();
        metrics.request("GET", "/api/v1/auth/me", 200, Duration::from_millis(3));
        metrics.request("GET", "/api/v1/auth/me", 200, Duration::from_millis(30));
        let series = metrics.series.lock().expect("lock");
        let histogram = &series.latencies["/api/v1/auth/me"];
        assert_eq!(histogram.counts[0], 0, "≤ 1 ms");
        assert_eq!(histogram.counts[2], 1, "≤ 5 ms");
        assert_eq!(histogram.counts[5], 2, "≤ 50 ms");
        assert_eq!(series.requests[&("GET".to_owned(), "/api/v1/auth/me".to_owned(), 200)], 2);
    }
}
