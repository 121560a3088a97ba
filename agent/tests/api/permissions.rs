//! Who may see what, on every path: a sensitive column's values never reach a role without clearance (chat with a
//! model that writes the forbidden statement, execute, exports, conversation export, pairs), a steward's mark
//! acts at once, and a table outside a role's grant is absent from retrieval, the prompt and the catalog, and
//! refused if named. Every refusal is audited.

use std::time::Duration;

use reqwest::Method;
use schemas::admin::{CatalogTableDetail, CatalogTableSummary, ExecuteResponse, RoleGrant, VerifiedPairInfo};
use schemas::auth::Role;
use schemas::{ChatEvent, ErrorBody};

use crate::helpers::{TestApp, ollama_answers, read_events, spawn_app, wait_for_index};

async fn execute(app: &TestApp, token: &str, sql: &str) -> ExecuteResponse {
    let response =
        app.call(Method::POST, "/api/v1/sql/execute", Some(token), Some(serde_json::json!({"sql": sql}))).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("execute body")
}

async fn ask(app: &TestApp, token: &str, question: &str) -> Vec<ChatEvent> {
    let body = serde_json::json!({"question": question});
    let response = app.call(Method::POST, "/api/v1/chat", Some(token), Some(body)).await;
    assert_eq!(response.status(), 200);
    read_events(response, usize::MAX).await
}

/// The prompts the fake model received, in order.
async fn prompts(app: &TestApp) -> Vec<String> {
    let requests = app.ollama.received_requests().await.expect("recorded");
    requests
        .iter()
        .filter(|request| request.url.path() == "/api/chat")
        .map(|request| String::from_utf8_lossy(&request.body).to_string())
        .collect()
}

#[tokio::test]
async fn a_stewards_mark_hides_a_column_from_analysts_at_once_on_every_path() {
    let app = spawn_app().await;
    wait_for_index(&app).await;
    let analyst = app.user_token("alice", Role::Analyst).await;
    let steward = app.user_token("sam", Role::Steward).await;

    // Before the mark, an analyst reads PRENOM (no pattern flags it).
    let before = execute(&app, &analyst, "SELECT NOM, PRENOM FROM CLIENTS WHERE PRENOM IS NOT NULL").await;
    assert!(before.allowed && before.row_count > 0, "{before:?}");
    let marked = app
        .call(
            Method::PUT,
            "/api/v1/catalog/curations",
            Some(&steward),
            Some(serde_json::json!({"table": "CLIENTS", "column": "PRENOM", "sensitive": true})),
        )
        .await;
    assert_eq!(marked.status(), 204);

    // At once, without a re-index: execute refuses it, in the output, a condition or behind a star.
    for sql in [
        "SELECT NOM, PRENOM FROM CLIENTS",
        "SELECT COUNT(*) FROM CLIENTS WHERE PRENOM LIKE 'A%'",
        "SELECT c.* FROM CLIENTS c",
        "SELECT UPPER(c.prenom) FROM CONTRATS t JOIN CLIENTS c ON c.ID_CLIENT = t.ID_CLIENT",
    ] {
        let refused = execute(&app, &analyst, sql).await;
        assert!(!refused.allowed && refused.columns.is_empty(), "{sql}: {refused:?}");
        assert_eq!(refused.rule, "sensitive_column");
        assert!(refused.message.contains("PRENOM"), "the refusal names the column: {}", refused.message);
    }
    // The steward (cleared by default) still reads it; the analyst reads the other columns.
    assert!(execute(&app, &steward, "SELECT PRENOM FROM CLIENTS").await.allowed);
    assert!(execute(&app, &analyst, "SELECT NOM FROM CLIENTS").await.allowed);
    let audit = app.audit_rows("sql.execute").await;
    assert!(
        audit.iter().any(|row| row.status == "refused" && row.details.contains("sensitive_column")),
        "the refusal is audited"
    );

    // Exports: every format refuses, with the column named; none carries a value.
    for format in ["csv", "xlsx", "json"] {
        let body = serde_json::json!({"sql": "SELECT * FROM CLIENTS", "format": format});
        let response = app.call(Method::POST, "/api/v1/sql/export", Some(&analyst), Some(body)).await;
        assert_eq!(response.status(), 422, "{format}");
        let error: ErrorBody = response.json().await.expect("error body");
        assert!(error.message.contains("PRENOM") && error.message.contains("EMAIL"), "{}", error.message);
    }
    let export_rows = app.audit_rows("sql.export").await;
    assert_eq!(export_rows.iter().filter(|row| row.status == "refused").count(), 3);
}

#[tokio::test]
async fn a_model_that_writes_a_sensitive_column_is_refused_and_told_and_nothing_leaks() {
    let app = spawn_app().await;
    wait_for_index(&app).await;
    let analyst = app.user_token("alice", Role::Analyst).await;
    // EMAIL is flagged by the default name patterns: hidden from analysts without any steward action.
    ollama_answers(&app.ollama, "chat_sensitive.ndjson", 3, Duration::ZERO).await;
    let events = ask(&app, &analyst, "Donne les e-mails des clients particuliers").await;
    assert!(!events.iter().any(|event| matches!(event, ChatEvent::Rows { .. })), "no rows: {events:#?}");
    assert!(events.iter().any(|event| matches!(
        event,
        ChatEvent::Guard { allowed: false, rule, .. } if rule == "sensitive_column"
    )));
    match events.last() {
        Some(ChatEvent::Error { code, message, .. }) => {
            assert_eq!(code, "sensitive_column");
            assert!(message.contains("EMAIL"), "{message}");
        }
        other => panic!("the answer ends with an error: {other:?}"),
    }
    let prompts = prompts(&app).await;
    assert!(prompts.len() >= 2, "the refusal went back to the model as a repair");
    assert!(!prompts[0].contains("EMAIL") && !prompts[0].contains("DATE_NAISSANCE"), "no sensitive name is prompted");
    assert!(prompts[1].contains("sensitive_column"), "the repair message carries the refusal");
    let refusals = app.audit_rows("chat.guard").await;
    assert!(refusals.iter().any(|row| row.status == "refused"), "{refusals:?}");

    // The conversation export has the refused statement, never a value.
    let conversation_id = match events.first() {
        Some(ChatEvent::Started { conversation_id }) => conversation_id.clone(),
        other => panic!("{other:?}"),
    };
    let export = app
        .call(Method::GET, &format!("/api/v1/conversations/{conversation_id}/export?format=csv"), Some(&analyst), None)
        .await;
    assert_eq!(export.status(), 200);
    let text = export.text().await.expect("csv");
    assert!(!text.contains('@'), "no e-mail address in the export");
}

#[tokio::test]
async fn a_table_outside_a_roles_grant_is_absent_everywhere_and_refused_if_named() {
    let app = spawn_app().await;
    wait_for_index(&app).await;
    let admin = app.admin_token().await;
    let analyst = app.user_token("alice", Role::Analyst).await;
    let steward = app.user_token("sam", Role::Steward).await;
    for (role, tables) in [("analyst", ["CLIENTS", "ADRESSES"]), ("steward", ["CLIENTS", "ADRESSES"])] {
        let grant = serde_json::json!({"role": role, "tables": tables});
        let response = app.call(Method::PUT, "/api/v1/grants", Some(&admin), Some(grant)).await;
        assert_eq!(response.status(), 200);
    }
    let grants: Vec<RoleGrant> =
        app.call(Method::GET, "/api/v1/grants", Some(&admin), None).await.json().await.expect("grants");
    assert_eq!(grants[0].tables.as_deref(), Some(&["CLIENTS".to_owned(), "ADRESSES".to_owned()][..]));
    assert_eq!(app.audit_rows("grant.update").await.len(), 2);
    let admins = serde_json::json!({"role": "admin", "tables": ["CLIENTS"]});
    assert_eq!(app.call(Method::PUT, "/api/v1/grants", Some(&admin), Some(admins)).await.status(), 422);

    // Refused if named, in the same words as a table that does not exist.
    let refused = execute(&app, &analyst, "SELECT COUNT(*) FROM SINISTRES").await;
    assert_eq!(refused.rule, "table_not_allowed");
    let missing = execute(&app, &analyst, "SELECT COUNT(*) FROM NOWHERE").await;
    assert_eq!(missing.rule, "table_not_allowed");
    assert!(execute(&app, &analyst, "SELECT COUNT(*) FROM CLIENTS").await.allowed);

    // Absent from retrieval and from the prompt the model receives.
    ollama_answers(&app.ollama, "chat_paris.ndjson", 1, Duration::ZERO).await;
    let events = ask(&app, &analyst, "Combien de sinistres ont été déclarés à Paris ?").await;
    let retrieved: Vec<String> = events
        .iter()
        .filter_map(|event| match event {
            ChatEvent::Retrieved { tables, .. } => Some(tables.iter().map(|table| table.name.clone())),
            _ => None,
        })
        .flatten()
        .collect();
    assert!(
        !retrieved.is_empty() && retrieved.iter().all(|name| name == "CLIENTS" || name == "ADRESSES"),
        "{retrieved:?}"
    );
    let prompt = prompts(&app).await.pop().expect("a prompt");
    for hidden in ["CREATE TABLE SINISTRES", "CREATE TABLE CONTRATS", "REFERENCES AGENCES"] {
        assert!(!prompt.contains(hidden), "no table outside the grant is prompted: {hidden}");
    }
    assert!(prompt.contains("CREATE TABLE CLIENTS"), "the granted tables are");
    assert!(matches!(events.last(), Some(ChatEvent::Done { .. })), "{:?}", events.last());

    // Absent from the catalog pages of a steward with the same grant.
    let tables: Vec<CatalogTableSummary> =
        app.call(Method::GET, "/api/v1/catalog/tables", Some(&steward), None).await.json().await.expect("tables");
    let names: Vec<&str> = tables.iter().map(|table| table.name.as_str()).collect();
    assert_eq!(names, ["ADRESSES", "CLIENTS"]);
    let hidden = app.call(Method::GET, "/api/v1/catalog/tables/SINISTRES", Some(&steward), None).await;
    assert_eq!(hidden.status(), 404);
    let detail: CatalogTableDetail = app
        .call(Method::GET, "/api/v1/catalog/tables/CLIENTS", Some(&steward), None)
        .await
        .json()
        .await
        .expect("detail");
    assert!(detail.foreign_keys.iter().all(|key| key.referenced_table == "ADRESSES"), "{:?}", detail.foreign_keys);

    // `null` gives every table back.
    let open = serde_json::json!({"role": "analyst", "tables": null});
    assert_eq!(app.call(Method::PUT, "/api/v1/grants", Some(&admin), Some(open)).await.status(), 200);
    assert!(execute(&app, &analyst, "SELECT COUNT(*) FROM SINISTRES").await.allowed);
}

#[tokio::test]
async fn a_pair_reading_a_sensitive_column_is_never_an_analysts_example() {
    let app = spawn_app().await;
    wait_for_index(&app).await;
    let steward = app.user_token("sam", Role::Steward).await;
    let analyst = app.user_token("alice", Role::Analyst).await;
    let pair = serde_json::json!({
        "question": "Liste des e-mails des clients de Paris",
        "sql": "SELECT c.EMAIL FROM CLIENTS c JOIN ADRESSES a ON a.ID_ADRESSE = c.ID_ADRESSE WHERE a.VILLE = 'Paris'",
        "status": "verified",
    });
    let created = app.call(Method::POST, "/api/v1/verified-pairs", Some(&steward), Some(pair)).await;
    assert_eq!(created.status(), 201, "a cleared steward may verify it");
    let listed: Vec<VerifiedPairInfo> =
        app.call(Method::GET, "/api/v1/verified-pairs", Some(&steward), None).await.json().await.expect("pairs");
    assert_eq!(listed.len(), 1);
    let rebuild = app.call(Method::POST, "/api/v1/index/rebuild", Some(&steward), None).await;
    assert_eq!(rebuild.status(), 202);
    for _ in 0..600 {
        let status: schemas::admin::IndexStatusInfo =
            app.call(Method::GET, "/api/v1/index/status", Some(&steward), None).await.json().await.expect("status");
        if !status.building && status.verified_pairs == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    ollama_answers(&app.ollama, "chat_paris.ndjson", 1, Duration::ZERO).await;
    let events = ask(&app, &analyst, "Liste des e-mails des clients de Paris").await;
    assert!(matches!(events.last(), Some(ChatEvent::Done { .. })), "{:?}", events.last());
    let prompt = prompts(&app).await.pop().expect("a prompt");
    assert!(!prompt.contains("c.EMAIL"), "the pair is not shown to an analyst");
}

#[tokio::test]
async fn the_seeds_audit_path_answers_and_folded_names_are_unique_even_in_a_race() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let logs = app.call(Method::GET, "/api/v1/audit/logs?action=auth.login", Some(&admin), None).await;
    assert_eq!(logs.status(), 200);
    let page: schemas::admin::AuditPage = logs.json().await.expect("audit page");
    assert!(!page.entries.is_empty());
    let create = |name: &'static str| {
        let (app, admin) = (&app, admin.clone());
        async move {
            let body = serde_json::json!({"username": name, "password": crate::helpers::USER_PASSWORD});
            app.call(Method::POST, "/api/v1/users", Some(&admin), Some(body)).await.status()
        }
    };
    let (upper, lower) = tokio::join!(create("Alice"), create("alice"));
    let mut statuses = [upper.as_u16(), lower.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409], "one account per folded name");
}
