//! The prompt's stable part, as the fake model receives it: byte for byte the same for two different questions and
//! two roles, changed by a steward's edit once re-indexed, and sent to the model by itself each time a build is
//! published (the warm-up), while the health report says the model is warming up.

use std::time::Duration;

use reqwest::Method;
use schemas::auth::Role;
use schemas::{ChatEvent, DependencyState, HealthResponse};

use crate::helpers::{TestApp, ollama_answers, ollama_has_models, read_events, spawn_app_with, wait_for_index};

/// The bodies of the model calls received so far, in order.
async fn calls(app: &TestApp) -> Vec<serde_json::Value> {
    let requests = app.ollama.received_requests().await.expect("recorded");
    requests
        .iter()
        .filter(|request| request.url.path() == "/api/chat")
        .map(|request| serde_json::from_slice(&request.body).expect("a JSON body"))
        .collect()
}

fn system_message(call: &serde_json::Value) -> String {
    let first = &call["messages"][0];
    assert_eq!(first["role"], "system");
    first["content"].as_str().expect("text").to_owned()
}

fn is_warm_up(call: &serde_json::Value) -> bool {
    call["options"]["num_predict"] == 1
}

/// Waits until `count` warm-ups reached the model (at most a minute).
async fn warm_ups(app: &TestApp, count: usize) -> Vec<serde_json::Value> {
    for _ in 0..600 {
        let warm: Vec<serde_json::Value> = calls(app).await.into_iter().filter(is_warm_up).collect();
        if warm.len() >= count {
            return warm;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no warm-up #{count} within a minute");
}

async fn ask(app: &TestApp, token: &str, question: &str) -> Vec<ChatEvent> {
    let response =
        app.call(Method::POST, "/api/v1/chat", Some(token), Some(serde_json::json!({"question": question}))).await;
    assert_eq!(response.status(), 200);
    read_events(response, usize::MAX).await
}

#[tokio::test]
async fn the_stable_part_is_warmed_on_publish_shared_by_every_question_and_changed_by_a_stewards_edit() {
    let app = spawn_app_with(|config| {
        config.agent.warm_up = true;
        config.index.stable_schema_tokens = 6000;
    })
    .await;
    ollama_has_models(&app.ollama, &["ministral-3:3b"]).await;
    // The first warm-up takes a while: the health report says so meanwhile.
    ollama_answers(&app.ollama, "chat_paris.ndjson", 1, Duration::from_millis(1500)).await;
    ollama_answers(&app.ollama, "chat_paris.ndjson", 10, Duration::ZERO).await;
    wait_for_index(&app).await;
    let mut saw_warming = false;
    for _ in 0..100 {
        let report: HealthResponse = app.get("/api/v1/health").await.json().await.expect("health");
        let llm = report.dependency("llm").expect("llm entry").clone();
        if llm.state == DependencyState::Starting {
            assert!(llm.message.as_deref().is_some_and(|message| message.contains("warming up")), "{llm:?}");
            saw_warming = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(saw_warming, "the health report says the model is warming up");
    let first_warm_up = system_message(&warm_ups(&app, 1).await[0]);
    assert!(first_warm_up.contains("CREATE TABLE CLIENTS") && first_warm_up.contains("CREATE TABLE SINISTRES"));
    for _ in 0..100 {
        let report: HealthResponse = app.get("/api/v1/health").await.json().await.expect("health");
        if report.dependency("llm").is_some_and(|llm| llm.state == DependencyState::Ok) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Two different questions from an analyst and a steward (cleared for sensitive columns): the same stable part,
    // byte for byte, as warmed; the question comes after it.
    let analyst = app.user_token("alice", Role::Analyst).await;
    let steward = app.user_token("sam", Role::Steward).await;
    let events = ask(&app, &analyst, "Combien de clients habitent à Paris ?").await;
    assert!(matches!(events.last(), Some(ChatEvent::Done { .. })), "{:?}", events.last());
    ask(&app, &steward, "Quels contrats auto ont été résiliés en 2024 ?").await;
    let questions: Vec<serde_json::Value> = calls(&app).await.into_iter().filter(|call| !is_warm_up(call)).collect();
    assert_eq!(questions.len(), 2);
    assert_eq!(system_message(&questions[0]), first_warm_up, "the analyst's question reads the warmed part");
    assert_eq!(system_message(&questions[1]), first_warm_up, "the steward's too");
    assert!(!first_warm_up.contains("Paris") && !first_warm_up.contains("résiliés"), "nothing of a question");
    let last = |call: &serde_json::Value| {
        let messages = call["messages"].as_array().expect("messages");
        messages.last().and_then(|message| message["content"].as_str()).unwrap_or_default().to_owned()
    };
    assert!(last(&questions[0]).ends_with("Question : Combien de clients habitent à Paris ?"));
    // The steward's sensitive columns (hidden from analysts) come in their question's own part, not the shared one.
    assert!(!first_warm_up.contains("EMAIL"), "no sensitive column in the shared part");
    assert!(last(&questions[1]).contains("EMAIL"), "{}", last(&questions[1]));

    // A steward's description, once re-indexed, changes the stable part, and the new build is warmed at once.
    let curated = "Sociétaires : personnes assurées titulaires d'un contrat";
    let body = serde_json::json!({"table": "CLIENTS", "description": curated});
    let saved = app.call(Method::PUT, "/api/v1/catalog/curations", Some(&steward), Some(body)).await;
    assert_eq!(saved.status(), 204);
    let rebuild = app.call(Method::POST, "/api/v1/index/rebuild", Some(&steward), None).await;
    assert_eq!(rebuild.status(), 202);
    let second_warm_up = system_message(&warm_ups(&app, 2).await[1]);
    assert_ne!(second_warm_up, first_warm_up);
    assert!(second_warm_up.contains(curated), "the edit is in the new stable part");
    ask(&app, &analyst, "Combien de sociétaires ?").await;
    let questions: Vec<serde_json::Value> = calls(&app).await.into_iter().filter(|call| !is_warm_up(call)).collect();
    assert_eq!(system_message(&questions[2]), second_warm_up);
}
