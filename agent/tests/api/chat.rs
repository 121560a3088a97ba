//! `POST /api/v1/chat` over SSE, conversations, feedback, `/sql/execute` and the steward's curation, through the
//! real service with a fake Ollama; the account-and-chat scenario runs on the SQLite and PostgreSQL stores.

use std::time::Duration;

use reqwest::Method;
use schemas::admin::{CatalogTableDetail, ExecuteResponse, VerifiedPairInfo};
use schemas::auth::Role;
use schemas::conversation::{ConversationDetail, ConversationSummary};
use schemas::{ChatEvent, ErrorBody};

use crate::helpers::{
    TestApp, demo_documents, fresh_pg_database, ollama_answers, read_events, spawn_app, spawn_app_with, wait_for_index,
};

async fn ask(app: &TestApp, token: &str, body: serde_json::Value) -> Vec<ChatEvent> {
    let response = app.call(Method::POST, "/api/v1/chat", Some(token), Some(body)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    read_events(response, usize::MAX).await
}

fn conversation_of(events: &[ChatEvent]) -> String {
    match events.first() {
        Some(ChatEvent::Started { conversation_id }) => conversation_id.clone(),
        other => panic!("the stream starts with the conversation: {other:?}"),
    }
}

/// An analyst asks, gets tokens, SQL, plan and rows, finds the conversation kept with its messages, continues it,
/// gives a 👍 (a pending pair for stewards), and every step is in the audit log.
async fn account_and_chat_scenario(app: &TestApp) {
    wait_for_index(app).await;
    let analyst = app.user_token("alice", Role::Analyst).await;
    ollama_answers(&app.ollama, "chat_paris.ndjson", 2, Duration::ZERO).await;
    let events = ask(app, &analyst, serde_json::json!({"question": "Combien de clients habitent à Paris ?"})).await;
    let conversation_id = conversation_of(&events);
    assert!(events.iter().any(|event| matches!(event, ChatEvent::Token { .. })));
    assert!(events.iter().any(|event| matches!(event, ChatEvent::Sql { .. })));
    assert!(events.iter().any(|event| matches!(event, ChatEvent::Plan { .. })));
    // What the statement computes, in French for a French question, before its rows.
    let explained = events.iter().position(|event| {
        matches!(event, ChatEvent::Explanation { text } if text.starts_with("Résultat : nombre de lignes") && text.contains("'Paris'"))
    });
    let rows = events.iter().position(|event| matches!(event, ChatEvent::Rows { row_count: 1, .. }));
    assert!(explained.is_some() && explained < rows, "{events:?}");
    let message_id = events
        .iter()
        .find_map(|event| match event {
            ChatEvent::Saved { message_id } => Some(message_id.clone()),
            _ => None,
        })
        .expect("the answer is saved before the end");
    assert!(matches!(events.last(), Some(ChatEvent::Done { .. })), "{:?}", events.last());

    let follow_up =
        ask(app, &analyst, serde_json::json!({"question": "Et à Lyon ?", "conversation_id": conversation_id})).await;
    assert_eq!(conversation_of(&follow_up), conversation_id);
    let requests = app.ollama.received_requests().await.expect("recorded");
    let chats: Vec<_> = requests.iter().filter(|request| request.url.path() == "/api/chat").collect();
    let prompt = String::from_utf8_lossy(&chats[1].body).to_string();
    assert!(prompt.contains("Combien de clients habitent à Paris"), "the history reaches the model");

    let list: Vec<ConversationSummary> =
        app.call(Method::GET, "/api/v1/conversations", Some(&analyst), None).await.json().await.expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].message_count, 4);
    assert_eq!(list[0].title, "Combien de clients habitent à Paris ?");
    let detail: ConversationDetail = app
        .call(Method::GET, &format!("/api/v1/conversations/{conversation_id}"), Some(&analyst), None)
        .await
        .json()
        .await
        .expect("detail");
    let answer = &detail.messages[1];
    assert_eq!(answer.role, "assistant");
    assert!(answer.sql.as_deref().is_some_and(|sql| sql.contains("VILLE")));
    assert_eq!(answer.row_count, Some(1));
    assert!(answer.tables.iter().any(|table| table == "ADRESSES"));

    let feedback = app
        .call(
            Method::POST,
            "/api/v1/feedback",
            Some(&analyst),
            Some(serde_json::json!({"message_id": message_id, "helpful": true})),
        )
        .await;
    assert_eq!(feedback.status(), 204);
    let steward = app.user_token("sam", Role::Steward).await;
    let pending: Vec<VerifiedPairInfo> = app
        .call(Method::GET, "/api/v1/verified-pairs?status=pending", Some(&steward), None)
        .await
        .json()
        .await
        .expect("pairs");
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].question, "Combien de clients habitent à Paris ?");

    // Another analyst cannot see or touch it.
    let other = app.user_token("bob", Role::Analyst).await;
    let hidden = app.call(Method::GET, &format!("/api/v1/conversations/{conversation_id}"), Some(&other), None).await;
    assert_eq!(hidden.status(), 404);
    let continued = app
        .call(
            Method::POST,
            "/api/v1/chat",
            Some(&other),
            Some(serde_json::json!({"question": "x", "conversation_id": conversation_id})),
        )
        .await;
    assert_eq!(continued.status(), 404);

    for (action, count) in [
        ("chat.question", 2),
        ("chat.sql", 2),
        ("chat.guard", 2),
        ("chat.execute", 2),
        ("chat.done", 2),
        ("feedback", 1),
    ] {
        let rows = app.audit_rows(action).await;
        assert_eq!(rows.len(), count, "{action}: {rows:?}");
        assert!(rows.iter().all(|row| row.username.as_deref() == Some("alice")), "{action}");
    }
    let executed = &app.audit_rows("chat.execute").await[0];
    assert!(executed.details.contains("\"row_count\":1"), "{}", executed.details);
    assert_eq!(executed.resource.as_deref(), Some(format!("conversation:{conversation_id}").as_str()));

    let renamed = app
        .call(
            Method::PATCH,
            &format!("/api/v1/conversations/{conversation_id}"),
            Some(&analyst),
            Some(serde_json::json!({"title": "Clients parisiens"})),
        )
        .await;
    assert_eq!(renamed.status(), 200);
    let found: Vec<ConversationSummary> = app
        .call(Method::GET, "/api/v1/conversations?search=parisiens", Some(&analyst), None)
        .await
        .json()
        .await
        .expect("search");
    assert_eq!(found.len(), 1);
    let deleted =
        app.call(Method::DELETE, &format!("/api/v1/conversations/{conversation_id}"), Some(&analyst), None).await;
    assert_eq!(deleted.status(), 204);
    let gone = app.call(Method::GET, &format!("/api/v1/conversations/{conversation_id}"), Some(&analyst), None).await;
    assert_eq!(gone.status(), 404);
    assert_eq!(app.audit_rows("conversation.delete").await.len(), 1, "the audit row outlives the conversation");
}

/// Conversations come a page at a time, newest first: the pages put together are the whole list, in order, each
/// once; a bad page size or a cursor that is not the user's conversation is refused with what to do.
async fn conversation_paging_scenario(app: &TestApp) {
    let alice = app.user_token("alice", Role::Analyst).await;
    app.user_token("bob", Role::Analyst).await;
    let store = agent::store::Store::connect(&secrecy::SecretString::from(app.store_url.clone())).await.expect("store");
    let id_of = async |username: &str| -> String {
        let (id,): (String,) = sqlx::query_as("SELECT id FROM users WHERE username = $1")
            .bind(username)
            .fetch_one(store.pool())
            .await
            .expect("user");
        id
    };
    let (alice_id, bob_id) = (id_of("alice").await, id_of("bob").await);
    let audit = agent::store::audit::AuditRecord { action: "chat.question".into(), ..Default::default() };
    for question in ["Ventes de janvier", "Ventes de février", "Clients de Lyon", "Ventes de mars", "Stocks"] {
        store.record_question(&alice_id, None, question, &audit).await.expect("recorded");
    }
    let bobs = store.record_question(&bob_id, None, "Ventes de Bob", &audit).await.expect("recorded").expect("id");
    store.close().await;

    let list = async |query: &str| -> Vec<ConversationSummary> {
        let response = app.call(Method::GET, &format!("/api/v1/conversations{query}"), Some(&alice), None).await;
        assert_eq!(response.status(), 200, "{query}");
        response.json().await.expect("list")
    };
    let all = list("").await;
    assert_eq!(all.len(), 5, "bob's conversation is not alice's");
    assert_eq!(all[0].title, "Stocks", "newest first");
    let mut paged = Vec::new();
    let mut query = "?limit=2".to_owned();
    loop {
        let page = list(&query).await;
        assert!(page.len() <= 2);
        let Some(last) = page.last() else { break };
        query = format!("?limit=2&before={}", last.id);
        paged.extend(page);
    }
    assert_eq!(paged, all, "the pages put together are the whole list, in order");
    let sales = list("?search=ventes&limit=2").await;
    assert_eq!(sales.iter().map(|c| c.title.as_str()).collect::<Vec<_>>(), ["Ventes de mars", "Ventes de février"]);
    let older_sales = list(&format!("?search=ventes&limit=2&before={}", sales[1].id)).await;
    assert_eq!(older_sales.iter().map(|c| c.title.as_str()).collect::<Vec<_>>(), ["Ventes de janvier"]);

    for (query, says) in [
        ("?limit=0".to_owned(), "1 to 200"),
        ("?limit=201".to_owned(), "1 to 200"),
        ("?before=no-such-conversation".to_owned(), "list again without `before`"),
        (format!("?before={bobs}"), "list again without `before`"),
    ] {
        let response = app.call(Method::GET, &format!("/api/v1/conversations{query}"), Some(&alice), None).await;
        assert_eq!(response.status(), 422, "{query}");
        let body: ErrorBody = response.json().await.expect("error body");
        assert!(body.message.contains(says), "{query}: {}", body.message);
    }
}

#[tokio::test]
async fn conversations_come_a_page_at_a_time_on_the_sqlite_store() {
    let app = spawn_app_with(|config| config.store_url = None).await;
    conversation_paging_scenario(&app).await;
}

#[tokio::test]
async fn conversations_come_a_page_at_a_time_on_the_postgres_store() {
    let url = fresh_pg_database().await;
    let app = spawn_app_with(|config| config.store_url = Some(secrecy::SecretString::from(url))).await;
    conversation_paging_scenario(&app).await;
}

#[tokio::test]
async fn accounts_conversations_and_audit_on_the_sqlite_store() {
    let app = spawn_app_with(|config| config.store_url = None).await;
    account_and_chat_scenario(&app).await;
}

#[tokio::test]
async fn accounts_conversations_and_audit_on_the_postgres_store() {
    let url = fresh_pg_database().await;
    let app = spawn_app_with(|config| config.store_url = Some(secrecy::SecretString::from(url))).await;
    account_and_chat_scenario(&app).await;
}

#[tokio::test]
async fn a_client_that_disconnects_cancels_the_answer_and_keeps_the_question() {
    let app = spawn_app().await;
    wait_for_index(&app).await;
    let analyst = app.user_token("alice", Role::Analyst).await;
    ollama_answers(&app.ollama, "chat_paris.ndjson", 1, Duration::from_secs(30)).await;
    let response = app
        .call(
            Method::POST,
            "/api/v1/chat",
            Some(&analyst),
            Some(serde_json::json!({"question": "Combien de clients ?"})),
        )
        .await;
    let first = read_events(response, 3).await; // started, status, retrieved: the body is dropped after them
    let conversation_id = conversation_of(&first);
    let mut detail = None;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let current: ConversationDetail = app
            .call(Method::GET, &format!("/api/v1/conversations/{conversation_id}"), Some(&analyst), None)
            .await
            .json()
            .await
            .expect("detail");
        if current.messages.len() == 2 {
            detail = Some(current);
            break;
        }
    }
    let detail = detail.expect("the cancelled answer is saved within seconds, not after the model's 30 s");
    assert_eq!(detail.messages[0].content, "Combien de clients ?");
    assert!(detail.messages[1].error.as_deref().is_some_and(|error| error.contains("cancelled")));
    assert_eq!(app.audit_rows("chat.cancelled").await.len(), 1);
}

#[tokio::test]
async fn a_second_question_waits_in_the_queue_and_is_told_its_position() {
    let app = spawn_app().await;
    wait_for_index(&app).await;
    let first_user = app.user_token("alice", Role::Analyst).await;
    let second_user = app.user_token("bob", Role::Analyst).await;
    ollama_answers(&app.ollama, "chat_paris.ndjson", 2, Duration::from_millis(1_500)).await;
    let first = {
        let (address, client, token) = (app.address.clone(), app.client.clone(), first_user.clone());
        tokio::spawn(async move {
            let response = client
                .post(format!("{address}/api/v1/chat"))
                .bearer_auth(token)
                .json(&serde_json::json!({"question": "Combien de clients habitent à Paris ?"}))
                .send()
                .await
                .expect("sent");
            read_events(response, usize::MAX).await
        })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    let second =
        ask(&app, &second_user, serde_json::json!({"question": "Combien de clients habitent à Paris ?"})).await;
    let first = first.await.expect("joins");
    assert!(!first.iter().any(|event| matches!(event, ChatEvent::Queued { .. })));
    assert!(second.iter().any(|event| matches!(event, ChatEvent::Queued { position: 1 })), "{second:#?}");
    assert!(matches!(second.last(), Some(ChatEvent::Done { .. })));
}

/// With a cap of one question in flight per user, a second question of the same analyst is refused at once with
/// its own code (saved in the conversation and the audit log), while another analyst's question is queued and
/// answered.
#[tokio::test]
async fn a_question_beyond_the_users_cap_is_refused_at_once_and_the_others_are_answered() {
    let app = spawn_app_with(|config| config.agent.max_questions_per_user = 1).await;
    wait_for_index(&app).await;
    let alice = app.user_token("alice", Role::Analyst).await;
    let bob = app.user_token("bob", Role::Analyst).await;
    ollama_answers(&app.ollama, "chat_paris.ndjson", 2, Duration::from_millis(1_500)).await;
    let question = serde_json::json!({"question": "Combien de clients habitent à Paris ?"});
    let first = {
        let (address, client, token, question) =
            (app.address.clone(), app.client.clone(), alice.clone(), question.clone());
        tokio::spawn(async move {
            let response = client
                .post(format!("{address}/api/v1/chat"))
                .bearer_auth(token)
                .json(&question)
                .send()
                .await
                .expect("sent");
            read_events(response, usize::MAX).await
        })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    let started = std::time::Instant::now();
    let refused = ask(&app, &alice, question.clone()).await;
    assert!(started.elapsed() < Duration::from_secs(1), "refused at once, not after the first answer");
    let Some(ChatEvent::Error { code, message, model_calls, .. }) = refused.last() else {
        panic!("the refused stream ends with an error: {refused:#?}")
    };
    assert_eq!(code, "too_many_questions");
    assert!(message.contains("1 questions in progress") && message.contains("ask again"), "{message}");
    assert_eq!(*model_calls, 0);
    let other = ask(&app, &bob, question).await;
    assert!(matches!(other.last(), Some(ChatEvent::Done { .. })), "{other:#?}");
    assert!(matches!(first.await.expect("joins").last(), Some(ChatEvent::Done { .. })));
    let detail: ConversationDetail = app
        .call(Method::GET, &format!("/api/v1/conversations/{}", conversation_of(&refused)), Some(&alice), None)
        .await
        .json()
        .await
        .expect("detail");
    assert!(detail.messages[1].error.as_deref().is_some_and(|error| error.contains("questions in progress")));
    let errors = app.audit_rows("chat.error").await;
    assert!(errors.iter().any(|row| row.details.contains("too_many_questions")), "{errors:#?}");
}

#[tokio::test]
async fn edited_sql_runs_through_the_guard_and_read_only_path() {
    let app = spawn_app().await;
    wait_for_index(&app).await;
    let analyst = app.user_token("alice", Role::Analyst).await;
    let run = |sql: &'static str| {
        let app = &app;
        let analyst = analyst.clone();
        async move {
            let response = app
                .call(Method::POST, "/api/v1/sql/execute", Some(&analyst), Some(serde_json::json!({"sql": sql})))
                .await;
            assert_eq!(response.status(), 200);
            response.json::<ExecuteResponse>().await.expect("execute body")
        }
    };
    let rows = run("SELECT CD_BRANCHE, COUNT(*) AS N FROM PRODUITS GROUP BY CD_BRANCHE ORDER BY 1").await;
    assert!(rows.allowed && rows.plan.is_some() && rows.row_count > 0, "{rows:?}");
    let refused = run("DELETE FROM CLIENTS").await;
    assert!(!refused.allowed);
    assert_eq!(refused.rule, "read_only");
    let unknown = run("SELECT * FROM SALAIRES").await;
    assert!(!unknown.allowed);
    assert_eq!(unknown.rule, "unknown_table");
    let broken = run("SELECT NOPE FROM CLIENTS").await;
    assert!(broken.allowed && broken.error.is_some(), "{broken:?}");
    let audit = app.audit_rows("sql.execute").await;
    let statuses: Vec<_> = audit.iter().rev().map(|row| row.status.as_str()).collect();
    assert_eq!(statuses, ["ok", "refused", "refused", "failed"]);
    assert!(audit.iter().any(|row| row.details.contains("DELETE FROM CLIENTS")));
}

#[tokio::test]
async fn a_steward_curates_a_description_and_marks_a_column_sensitive() {
    let app = spawn_app().await;
    wait_for_index(&app).await;
    let steward = app.user_token("sam", Role::Steward).await;
    let curate =
        |body: serde_json::Value| app.call(Method::PUT, "/api/v1/catalog/curations", Some(&steward), Some(body));
    let saved =
        curate(serde_json::json!({"table": "CLIENTS", "description": "Sociétaires : personnes assurées"})).await;
    assert_eq!(saved.status(), 204);
    let sensitive = curate(serde_json::json!({"table": "CLIENTS", "column": "NOM", "sensitive": true})).await;
    assert_eq!(sensitive.status(), 204);
    let unknown = curate(serde_json::json!({"table": "CLIENTS", "column": "NOPE", "description": "x"})).await;
    assert_eq!(unknown.status(), 404);
    let detail: CatalogTableDetail = app
        .call(Method::GET, "/api/v1/catalog/tables/CLIENTS", Some(&steward), None)
        .await
        .json()
        .await
        .expect("table");
    assert_eq!(detail.table.description.as_deref(), Some("Sociétaires : personnes assurées"));
    let nom = detail.columns.iter().find(|column| column.name == "NOM").expect("NOM");
    assert!(nom.sensitive && nom.sample_values.is_empty());
    let search: Vec<schemas::admin::CatalogTableSummary> = app
        .call(Method::GET, "/api/v1/catalog/tables?search=soci%C3%A9taires", Some(&steward), None)
        .await
        .json()
        .await
        .expect("search");
    assert_eq!(search.iter().map(|table| table.name.as_str()).collect::<Vec<_>>(), ["CLIENTS"]);
    let rows = app.audit_rows("catalog.curate").await;
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().any(|row| row.resource.as_deref() == Some("column:CLIENTS.NOM")));
    let rebuild = app.call(Method::POST, "/api/v1/index/rebuild", Some(&steward), None).await;
    assert_eq!(rebuild.status(), 202);
    let bad_pair = app
        .call(
            Method::POST,
            "/api/v1/verified-pairs",
            Some(&steward),
            Some(serde_json::json!({"question": "q", "sql": "DROP TABLE CLIENTS", "status": "verified"})),
        )
        .await;
    assert_eq!(bad_pair.status(), 422);
    let message: ErrorBody = bad_pair.json().await.expect("error");
    assert!(message.message.contains("guard"), "{}", message.message);
}

#[tokio::test]
async fn a_stewards_code_label_wins_over_the_documents_survives_reindexing_and_labels_the_results() {
    let documents = demo_documents().await;
    let app = spawn_app_with(|config| config.index.docs_dir = Some(documents)).await;
    wait_for_index(&app).await;
    let steward = app.user_token("sam", Role::Steward).await;
    let analyst = app.user_token("alice", Role::Analyst).await;
    let label = |body: serde_json::Value| app.call(Method::PUT, "/api/v1/catalog/codes", Some(&steward), Some(body));
    let saved =
        label(serde_json::json!({"table": "CONTRATS", "column": "CD_BRANCHE", "code": "10", "label": "Auto"})).await;
    assert_eq!(saved.status(), 204);
    let unknown = label(serde_json::json!({"table": "CONTRATS", "column": "NOPE", "code": "10", "label": "x"})).await;
    assert_eq!(unknown.status(), 404);
    let blank =
        label(serde_json::json!({"table": "CONTRATS", "column": "CD_BRANCHE", "code": "10", "label": " "})).await;
    assert_eq!(blank.status(), 422, "an empty label is refused");
    let denied = app
        .call(
            Method::PUT,
            "/api/v1/catalog/codes",
            Some(&analyst),
            Some(serde_json::json!({"table": "CONTRATS", "column": "CD_BRANCHE", "code": "10", "label": "x"})),
        )
        .await;
    assert_eq!(denied.status(), 403, "labels are the stewards'");
    let branch = |detail: &CatalogTableDetail| {
        detail.columns.iter().find(|column| column.name == "CD_BRANCHE").expect("CD_BRANCHE").codes.clone()
    };
    let detail: CatalogTableDetail = app
        .call(Method::GET, "/api/v1/catalog/tables/CONTRATS", Some(&steward), None)
        .await
        .json()
        .await
        .expect("table");
    let codes = branch(&detail);
    let auto = codes.iter().find(|code| code.value == "10").expect("code 10");
    assert_eq!((auto.label.as_str(), auto.source.as_str()), ("Auto", "steward"), "shown at once: {codes:?}");
    assert!(codes.iter().any(|code| code.value == "20" && code.source == "codes.md"), "the others stay the documents'");
    assert_eq!(app.audit_rows("catalog.code").await.len(), 1, "one audit row per saved label");
    let status = || async {
        let response = app.call(Method::GET, "/api/v1/index/status", Some(&steward), None).await;
        response.json::<schemas::admin::IndexStatusInfo>().await.expect("status")
    };
    for _ in 0..2 {
        let before = status().await;
        let rebuild = app.call(Method::POST, "/api/v1/index/rebuild", Some(&steward), None).await;
        assert_eq!(rebuild.status(), 202);
        for _ in 0..600 {
            let now = status().await;
            if !now.building && now.built_at != before.built_at {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let shown: ExecuteResponse = app
        .call(
            Method::POST,
            "/api/v1/sql/execute",
            Some(&analyst),
            Some(serde_json::json!({"sql": "SELECT CD_BRANCHE, COUNT(*) AS N FROM CONTRATS GROUP BY CD_BRANCHE"})),
        )
        .await
        .json()
        .await
        .expect("execute");
    assert_eq!(shown.columns[0].label_of("10"), Some("Auto"), "after two re-indexes: {:?}", shown.columns[0].codes);
}

#[tokio::test]
async fn an_openai_compatible_backend_answers_like_ollama() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let openai = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/models"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": [{"id": "ministral-3:3b"}]})))
        .mount(&openai)
        .await;
    let chunk = |content: &str| {
        format!("data: {}\n\n", serde_json::json!({"choices": [{"index": 0, "delta": {"content": content}}]}))
    };
    let body = [
        chunk("```sql\nSELECT COUNT(*) AS NB_CLIENTS FROM CLIENTS c "),
        chunk("JOIN ADRESSES a ON a.ID_ADRESSE = c.ID_ADRESSE WHERE a.VILLE = 'Paris'\n```"),
        format!(
            "data: {}\n\n",
            serde_json::json!({"choices": [], "usage": {"prompt_tokens": 700, "completion_tokens": 30}})
        ),
        "data: [DONE]\n\n".to_owned(),
    ]
    .concat();
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream"))
        .mount(&openai)
        .await;
    let backend = format!("openai={}/v1", openai.uri());
    let app = spawn_app_with(|config| config.llm_backends = vec![backend]).await;
    wait_for_index(&app).await;
    let health: schemas::HealthResponse = app.get("/api/v1/health").await.json().await.expect("health");
    let llm = health.dependency("llm").expect("llm");
    assert_eq!(llm.state, schemas::DependencyState::Ok, "{llm:?}");
    let analyst = app.user_token("alice", Role::Analyst).await;
    let events = ask(&app, &analyst, serde_json::json!({"question": "Combien de clients habitent à Paris ?"})).await;
    assert!(events.iter().any(|event| matches!(event, ChatEvent::Rows { row_count: 1, .. })), "{events:#?}");
    assert!(matches!(events.last(), Some(ChatEvent::Done { prompt_tokens: 700, completion_tokens: 30, .. })));
    let requests = openai.received_requests().await.expect("recorded");
    let sent: serde_json::Value = requests
        .iter()
        .find(|request| request.url.path() == "/v1/chat/completions")
        .map(|request| serde_json::from_slice(&request.body).expect("json"))
        .expect("a completion request");
    assert_eq!(sent["stream"], true);
    assert_eq!(sent["model"], "ministral-3:3b");
}
