//! The agent loop end to end: a fake Ollama at its HTTP boundary, the real demo warehouse, index and guard.

use std::sync::Arc;

use agent::answer::{AnswerOptions, Answerer};
use agent::llm::LlmClient;
use agent::startup::Core;
use schemas::{ChatEvent, ChatMode, ChatRequest, ColumnValues};
use wiremock::MockServer;

use crate::helpers::test_config;

struct Fixture {
    answerer: Answerer,
    ollama: MockServer,
    _data_dir: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let data_dir = tempfile::TempDir::new().expect("temp dir");
    let ollama = MockServer::start().await;
    let config = test_config(data_dir.path(), &ollama).await;
    let core = Core::prepare(&config).await.expect("core");
    let indexing = Arc::new(core.open_indexing(&config).await.expect("indexing"));
    indexing.reindex(Arc::new(|_| {})).await.expect("index built");
    let llm = LlmClient::new(&ollama.uri(), "ministral-3:3b").expect("client");
    let answerer = Answerer::new(
        agent::llm::LlmPool::new(vec![llm]),
        Arc::clone(indexing.index()),
        core.warehouse.clone(),
        Arc::new(agent::queue::LlmQueue::new(1, 0)),
        AnswerOptions::default(),
    );
    Fixture { answerer, ollama, _data_dir: data_dir }
}

async fn ollama_answers(server: &MockServer, fixture: &str, times: u64) {
    crate::helpers::ollama_answers(server, fixture, times, std::time::Duration::ZERO).await;
}

async fn ask(answerer: &Answerer, question: &str) -> Vec<ChatEvent> {
    let (sender, mut receiver) = tokio::sync::mpsc::channel(256);
    let request =
        ChatRequest { question: question.to_owned(), mode: ChatMode::Sql, history: Vec::new(), conversation_id: None };
    let task = {
        let answerer = answerer.clone();
        tokio::spawn(async move { answerer.answer(request, answerer.open_permissions(), sender).await })
    };
    let mut events = Vec::new();
    while let Some(event) = receiver.recv().await {
        events.push(event);
    }
    task.await.expect("the loop ends");
    events
}

/// The reasons of the `repair` events, in order.
fn repairs(events: &[ChatEvent]) -> Vec<&str> {
    events
        .iter()
        .filter_map(|event| match event {
            ChatEvent::Repair { reason, .. } => Some(reason.as_str()),
            _ => None,
        })
        .collect()
}

/// The statements of the `sql` events, in order.
fn statements(events: &[ChatEvent]) -> Vec<&str> {
    events
        .iter()
        .filter_map(|event| match event {
            ChatEvent::Sql { sql, .. } => Some(sql.as_str()),
            _ => None,
        })
        .collect()
}

/// The first cell of a result, as an integer.
fn first_cell(columns: &[schemas::ResultColumn]) -> Option<i64> {
    match &columns.first()?.data {
        ColumnValues::Int64(values) => values.first().copied().flatten(),
        _ => None,
    }
}

/// The first cell of the first `rows` event.
fn first_count(events: &[ChatEvent]) -> Option<i64> {
    events.iter().find_map(|event| match event {
        ChatEvent::Rows { columns, .. } => first_cell(columns),
        _ => None,
    })
}

/// How many clients live in Paris, asked of the demo warehouse directly (the test's reference answer, not a user's
/// statement: it bypasses the guard on purpose).
#[allow(clippy::disallowed_methods)]
async fn clients_in_paris(answerer: &Answerer) -> Option<i64> {
    let outcome = answerer
        .warehouse
        .run(
            "SELECT COUNT(*) FROM CLIENTS c JOIN ADRESSES a ON c.ID_ADRESSE = a.ID_ADRESSE WHERE a.VILLE = 'Paris'",
            &indexer::source::run::QueryLimits::default(),
        )
        .await
        .expect("the warehouse answers");
    let indexer::source::run::RunOutcome::Rows(rows) = outcome else { panic!("the right query runs") };
    first_cell(&agent::answer::rows::to_columns(&rows.batch))
}

#[tokio::test]
async fn a_question_streams_tokens_sql_plan_and_rows_from_the_demo_warehouse() {
    let fixture = fixture().await;
    ollama_answers(&fixture.ollama, "chat_paris.ndjson", 1).await;
    let events = ask(&fixture.answerer, "Combien de clients habitent à Paris ?").await;
    let last = events.last().expect("events");
    assert!(matches!(last, ChatEvent::Done { prompt_tokens: 812, completion_tokens: 41, .. }), "{events:#?}");
    assert!(events.iter().filter(|event| matches!(event, ChatEvent::Token { .. })).count() >= 3);
    assert!(events.iter().any(|event| matches!(event, ChatEvent::Retrieved { tables, .. } if tables.iter().any(|table| table.name == "ADRESSES"))));
    assert!(events.iter().any(|event| matches!(event, ChatEvent::Guard { allowed: true, .. })));
    assert!(events.iter().any(|event| matches!(event, ChatEvent::Plan { .. })));
    let rows = events.iter().find_map(|event| match event {
        ChatEvent::Rows { columns, row_count, .. } => Some((columns.clone(), *row_count)),
        _ => None,
    });
    let (columns, row_count) = rows.expect("rows were sent");
    assert_eq!(row_count, 1);
    assert_eq!(columns[0].name, "NB_CLIENTS");
    assert!(matches!(&columns[0].data, ColumnValues::Int64(values) if values[0].is_some_and(|count| count > 0)));
}

#[tokio::test]
async fn a_broken_first_answer_is_repaired_with_the_warehouse_error() {
    let fixture = fixture().await;
    ollama_answers(&fixture.ollama, "chat_missing_column.ndjson", 1).await;
    ollama_answers(&fixture.ollama, "chat_paris.ndjson", 1).await;
    let events = ask(&fixture.answerer, "Combien de clients habitent à Paris ?").await;
    let repair = events.iter().find_map(|event| match event {
        ChatEvent::Repair { attempt, reason } => Some((*attempt, reason.clone())),
        _ => None,
    });
    let (attempt, reason) = repair.expect("a repair");
    assert_eq!(attempt, 1);
    assert!(reason.contains("COMMUNE"), "the model is told which column is wrong: {reason}");
    assert!(events.iter().any(|event| matches!(event, ChatEvent::Rows { .. })));
    assert!(matches!(events.last(), Some(ChatEvent::Done { prompt_tokens: 1612, .. })), "{:?}", events.last());
    let requests = fixture.ollama.received_requests().await.expect("recorded");
    let second: serde_json::Value = serde_json::from_slice(&requests[1].body).expect("json");
    let last_message = second["messages"].as_array().and_then(|messages| messages.last()).expect("messages");
    assert!(last_message["content"].as_str().unwrap_or_default().contains("a échoué"));
}

#[tokio::test]
async fn a_column_under_the_wrong_alias_is_corrected_without_asking_the_model_again() {
    let fixture = fixture().await;
    ollama_answers(&fixture.ollama, "chat_wrong_alias.ndjson", 1).await;
    let events = ask(&fixture.answerer, "Combien de clients habitent à Paris ?").await;
    let reasons = repairs(&events);
    assert_eq!(reasons.len(), 1, "{events:#?}");
    assert!(reasons[0].contains("corrected without the model: c.VILLE → a.VILLE"), "{}", reasons[0]);
    let sql = statements(&events);
    assert!(sql.last().is_some_and(|sql| sql.contains("WHERE a.VILLE = 'Paris'")), "{sql:?}");
    assert!(events.iter().any(|event| matches!(event, ChatEvent::Rows { row_count: 1, .. })));
    assert!(matches!(events.last(), Some(ChatEvent::Done { .. })), "{:?}", events.last());
    assert_eq!(fixture.ollama.received_requests().await.expect("recorded").len(), 1, "one call to the model");
}

#[tokio::test]
async fn a_join_on_a_column_compared_with_itself_is_corrected_before_it_runs() {
    // Written so by the model, or made so by moving a missing column to the one table that holds it (the join then
    // compares ADRESSES.VILLE with itself): either way the foreign key tells which join was meant.
    for answer in ["chat_self_join.ndjson", "chat_join_on_missing_column.ndjson"] {
        let fixture = fixture().await;
        ollama_answers(&fixture.ollama, answer, 1).await;
        let events = ask(&fixture.answerer, "Combien de clients habitent à Paris ?").await;
        let reasons = repairs(&events);
        assert!(
            reasons.iter().any(|reason| reason.contains(" = a.ID_ADRESSE → c.ID_ADRESSE = a.ID_ADRESSE")
                || reason.contains(" = a.VILLE → c.ID_ADRESSE = a.ID_ADRESSE")),
            "{answer}: {reasons:?}"
        );
        let sql = statements(&events).last().copied();
        assert!(sql.is_some_and(|sql| sql.contains("ON c.ID_ADRESSE = a.ID_ADRESSE")), "{answer}: {events:#?}");
        assert_eq!(first_count(&events), clients_in_paris(&fixture.answerer).await, "{answer}");
        assert!(matches!(events.last(), Some(ChatEvent::Done { .. })), "{:?}", events.last());
        assert_eq!(fixture.ollama.received_requests().await.expect("recorded").len(), 1, "one call to the model");
    }
}

#[tokio::test]
async fn a_column_of_a_table_the_query_forgot_to_join_is_joined_on_its_foreign_key() {
    let fixture = fixture().await;
    ollama_answers(&fixture.ollama, "chat_missing_join.ndjson", 1).await;
    let events = ask(&fixture.answerer, "Combien de clients habitent à Paris ?").await;
    let reasons = repairs(&events);
    assert!(
        reasons.iter().any(|reason| reason
            .contains("c.VILLE → ADRESSES.VILLE, joining ADRESSES on ADRESSES.ID_ADRESSE = c.ID_ADRESSE")),
        "{reasons:?}"
    );
    let sql = statements(&events).last().copied();
    assert!(sql.is_some_and(|sql| sql.contains("JOIN ADRESSES ON ADRESSES.ID_ADRESSE = c.ID_ADRESSE")), "{events:#?}");
    assert_eq!(first_count(&events), clients_in_paris(&fixture.answerer).await);
    assert!(matches!(events.last(), Some(ChatEvent::Done { .. })), "{:?}", events.last());
    assert_eq!(fixture.ollama.received_requests().await.expect("recorded").len(), 1, "one call to the model");
}

#[tokio::test]
async fn a_join_on_a_column_compared_with_itself_without_a_clear_link_goes_back_to_the_model() {
    let fixture = fixture().await;
    ollama_answers(&fixture.ollama, "chat_self_join_unclear.ndjson", 1).await;
    ollama_answers(&fixture.ollama, "chat_paris.ndjson", 1).await;
    let events = ask(&fixture.answerer, "Combien de clients habitent à Paris ?").await;
    let reason = repairs(&events).first().copied().expect("a repair");
    assert!(reason.contains("p.ID_PRODUIT = p.ID_PRODUIT compares a column with itself"), "{reason}");
    let plans = events.iter().filter(|event| matches!(event, ChatEvent::Plan { .. })).count();
    assert_eq!(plans, 1, "the first query was not even planned");
    let rows: Vec<usize> = events
        .iter()
        .filter_map(|event| match event {
            ChatEvent::Rows { row_count, .. } => Some(*row_count),
            _ => None,
        })
        .collect();
    assert_eq!(rows, [1], "only the repaired query ran: {events:#?}");
    let requests = fixture.ollama.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 2, "the model was asked again");
    let second: serde_json::Value = serde_json::from_slice(&requests[1].body).expect("json");
    let last_message = second["messages"].as_array().and_then(|messages| messages.last()).expect("messages");
    assert!(last_message["content"].as_str().unwrap_or_default().contains("REFERENCES"), "{last_message}");
}

#[tokio::test]
async fn a_refused_statement_never_reaches_the_warehouse() {
    let fixture = fixture().await;
    ollama_answers(&fixture.ollama, "chat_hostile.ndjson", 10).await;
    let events = ask(&fixture.answerer, "Supprime les clients").await;
    assert!(
        events
            .iter()
            .any(|event| matches!(event, ChatEvent::Guard { allowed: false, rule, .. } if rule == "single_statement"))
    );
    assert!(
        !events.iter().any(|event| matches!(event, ChatEvent::Plan { .. } | ChatEvent::Rows { .. })),
        "{events:#?}"
    );
    assert!(
        matches!(events.last(), Some(ChatEvent::Error { code, .. }) if code == "sql_failed"),
        "{:?}",
        events.last()
    );
}

#[tokio::test]
async fn an_unreachable_llm_ends_the_stream_with_a_clear_error() {
    let mut fixture = fixture().await;
    fixture.answerer.llm =
        agent::llm::LlmPool::new(vec![LlmClient::new("http://127.0.0.1:9", "ministral-3:3b").expect("client")]);
    let events = ask(&fixture.answerer, "Combien de contrats ?").await;
    match events.last() {
        Some(ChatEvent::Error { code, message, .. }) => {
            assert_eq!(code, "llm_unavailable");
            assert!(message.contains("OLLAMA_URL"), "{message}");
        }
        other => panic!("expected an error event, got {other:?}"),
    }
}
