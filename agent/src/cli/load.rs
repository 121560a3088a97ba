//! `pstral bench load`: a bounded load test on loopback. Starts the real service (fresh data directory, demo
//! warehouse) with a fake Ollama that streams tokens at a steady pace, then measures
//! 1. the cheap endpoints (`/api/v1/auth/me`, `/api/v1/conversations`) with N concurrent keep-alive connections:
//!    requests per second, p50 and p99;
//! 2. M simultaneous `/api/v1/chat` streams (most of them queued for the model): how many stay open at once, how
//!    many end with `done`, how many fail, and the resident memory;
//! 3. a mixed phase ([`mixed`]): analysts asking in a loop while the cheap endpoints are hammered — latency under
//!    a full queue, memory over time, queue fairness.
//!
//! Client and server share the process and the machine's cores, so the figures are a floor.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use axum::Router;
use axum::routing::{get, post};
use clap::Parser;
use futures_util::StreamExt;

use super::bench::{memory_kib, percentile};
use crate::config::{BenchLoadArgs, Cli};
use crate::startup::Application;

mod mixed;

const PASSWORD: &str = "mot de passe du banc de charge";

/// Runs the load test and prints its figures; the last line sums them up.
pub async fn run(args: BenchLoadArgs) -> anyhow::Result<()> {
    let fake_llm = fake_ollama(Duration::from_millis(args.token_ms)).await?;
    let data_dir = tempfile::TempDir::new()?;
    let mut config = Cli::try_parse_from(["pstral"])?.serve;
    config.bind = "127.0.0.1:0".parse()?;
    config.data_dir = data_dir.path().to_path_buf();
    config.ollama_url = Some(fake_llm);
    config.index = args.index.clone();
    config.index.reindex_cron = String::new();
    config.auth.admin_password = Some(PASSWORD.to_owned().into());
    config.agent.llm_concurrency = args.llm_concurrency;
    config.agent.max_questions_per_user = args.max_questions_per_user;
    let application = Application::build(config).await?;
    let base = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run_until_stopped(std::future::pending()));
    let client = reqwest::Client::builder().pool_max_idle_per_host(args.connections.max(args.streams)).build()?;
    wait_until_indexed(&client, &base).await?;
    let token = login(&client, &base, "admin", PASSWORD).await?;
    println!("service on {base}, {} connections, {} s per endpoint", args.connections, args.seconds);
    let mut summary = Vec::new();
    for path in ["/api/v1/auth/me", "/api/v1/conversations"] {
        let (rate, p50, p99, errors) = hammer(&client, &base, path, &token, args.connections, args.seconds).await;
        println!("{path}: {rate:.0} req/s, p50 {p50:.2} ms, p99 {p99:.2} ms, {errors} errors");
        summary.push(format!("{path} {rate:.0} req/s p99 {p99:.1} ms"));
    }
    let before = memory_kib().0;
    let (peak, done, failed, elapsed) = streams(&client, &base, &token, args.streams).await;
    let (rss, high) = memory_kib();
    println!(
        "chat: {} streams opened at once, {peak} open at the peak, {done} ended with done, {failed} failed, {:.1} s; RSS {} MB before, {} MB after (peak {} MB)",
        args.streams,
        elapsed.as_secs_f64(),
        before / 1024,
        rss / 1024,
        high / 1024
    );
    let mut line = format!(
        "bench load: {}; {} SSE streams held (peak {peak} open), {done} done, {failed} failed; RSS peak {} MB",
        summary.join(", "),
        args.streams,
        high / 1024
    );
    if args.mixed_seconds > 0 {
        let mut analysts = analyst_tokens(&client, &base, &token, args.analysts + usize::from(args.greedy > 0)).await?;
        let greedy = if args.greedy > 0 {
            analysts.pop().map(|token| mixed::Greedy { token, burst: args.greedy })
        } else {
            None
        };
        let connections = args.connections / 4;
        let mixed = mixed::run(&client, &base, &token, &analysts, greedy, connections, args.mixed_seconds).await;
        line.push_str("; ");
        line.push_str(&mixed);
    }
    println!("{line}");
    Ok(())
}

/// Creates `count` analyst accounts and signs each in.
async fn analyst_tokens(
    client: &reqwest::Client,
    base: &str,
    admin_token: &str,
    count: usize,
) -> anyhow::Result<Vec<String>> {
    let mut tokens = Vec::with_capacity(count);
    for index in 0..count {
        let username = format!("analyste{index}");
        let body = serde_json::json!({"username": username, "password": PASSWORD, "role": "analyst"});
        let created = client.post(format!("{base}/api/v1/users")).bearer_auth(admin_token).json(&body).send().await?;
        anyhow::ensure!(created.status().is_success(), "creating {username}: {}", created.status());
        tokens.push(login(client, base, &username, PASSWORD).await?);
    }
    Ok(tokens)
}

/// Sends `GET path` from `connections` loops for `seconds`; returns (req/s, p50 ms, p99 ms, errors).
async fn hammer(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    token: &str,
    connections: usize,
    seconds: u64,
) -> (f64, f64, f64, usize) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let errors = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::with_capacity(connections);
    for _ in 0..connections {
        let (client, url, token, errors) =
            (client.clone(), format!("{base}{path}"), token.to_owned(), Arc::clone(&errors));
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let started = Instant::now();
                match client.get(&url).bearer_auth(&token).send().await {
                    Ok(response) if response.status().is_success() => {
                        let _ = response.bytes().await;
                        latencies.push(started.elapsed());
                    }
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            latencies
        }));
    }
    let started = Instant::now();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap_or_default());
    }
    let elapsed = started.elapsed().as_secs_f64().max(seconds as f64);
    all.sort();
    let millis = |duration: Duration| duration.as_secs_f64() * 1000.0;
    (
        all.len() as f64 / elapsed,
        millis(percentile(&all, 50)),
        millis(percentile(&all, 99)),
        errors.load(Ordering::Relaxed),
    )
}

/// Opens `count` chat streams at once and reads each to its end; returns (peak open, done, failed, elapsed).
async fn streams(client: &reqwest::Client, base: &str, token: &str, count: usize) -> (usize, usize, usize, Duration) {
    let open = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(count);
    for index in 0..count {
        let (client, url, token) = (client.clone(), format!("{base}/api/v1/chat"), token.to_owned());
        let (open, peak) = (Arc::clone(&open), Arc::clone(&peak));
        tasks.push(tokio::spawn(async move {
            let body = serde_json::json!({"question": format!("Combien de clients ? ({index})")});
            let Ok(response) = client.post(&url).bearer_auth(&token).json(&body).send().await else { return false };
            if !response.status().is_success() {
                return false;
            }
            let now_open = open.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now_open, Ordering::SeqCst);
            let mut text = String::new();
            let mut body = response.bytes_stream();
            while let Some(Ok(chunk)) = body.next().await {
                text.push_str(&String::from_utf8_lossy(&chunk));
            }
            open.fetch_sub(1, Ordering::SeqCst);
            text.contains("\"type\":\"done\"")
        }));
    }
    let mut done = 0;
    for task in tasks {
        done += usize::from(task.await.unwrap_or(false));
    }
    (peak.load(Ordering::SeqCst), done, count - done, started.elapsed())
}

/// Waits until the service at `base` serves an index (its first build on start).
pub(crate) async fn wait_until_indexed(client: &reqwest::Client, base: &str) -> anyhow::Result<()> {
    for _ in 0..3_000 {
        let report: schemas::HealthResponse = client.get(format!("{base}/api/v1/health")).send().await?.json().await?;
        if report.dependency("index").is_some_and(|index| index.state == schemas::DependencyState::Ok) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("the index was not built within five minutes")
}

/// Signs `username` in and returns the session token.
pub(crate) async fn login(
    client: &reqwest::Client,
    base: &str,
    username: &str,
    password: &str,
) -> anyhow::Result<String> {
    let response = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"username": username, "password": password}))
        .send()
        .await?;
    let token: schemas::auth::TokenResponse = response.json().await.context("login")?;
    Ok(token.access_token)
}

/// A fake Ollama on loopback: the model list, and a chat answer streamed one token every `pace`.
async fn fake_ollama(pace: Duration) -> anyhow::Result<String> {
    let tokens: Vec<String> =
        ["```sql\n", "SELECT", " COUNT", "(*)", " AS", " NB", "_CLIENTS", "\n", "FROM", " CLIENTS", "\n```"]
            .into_iter()
            .map(str::to_owned)
            .collect();
    let router = Router::new()
        .route(
            "/api/tags",
            get(|| async {
                axum::Json(serde_json::json!({"models": [{"name": "ministral-3:3b", "modified_at": "2026-11-01T00:00:00Z", "size": 1}]}))
            }),
        )
        .route(
            "/api/chat",
            post(move || {
                let tokens = tokens.clone();
                async move {
                    let lines = futures_util::stream::iter(tokens.into_iter().map(Some).chain([None])).then(move |token| async move {
                        tokio::time::sleep(pace).await;
                        let line = match token {
                            Some(text) => serde_json::json!({"message": {"role": "assistant", "content": text}, "done": false}),
                            None => serde_json::json!({"done": true, "prompt_eval_count": 500, "eval_count": 11}),
                        };
                        Ok::<_, std::convert::Infallible>(format!("{line}\n"))
                    });
                    axum::body::Body::from_stream(lines)
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(format!("http://{address}"))
}
