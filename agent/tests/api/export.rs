//! Downloads: a statement's rows (`POST /api/v1/sql/export`) and a conversation
//! (`GET /api/v1/conversations/{id}/export`) as JSON, CSV and XLSX, read back with real parsers.

use std::io::Cursor;
use std::time::Duration;

use calamine::{Data, Reader, Xlsx};
use reqwest::Method;
use schemas::admin::ExecuteResponse;
use schemas::auth::Role;
use schemas::{ChatEvent, ColumnValues, ErrorBody};

use crate::helpers::{TestApp, demo_documents, ollama_answers, read_events, spawn_app, spawn_app_with, wait_for_index};

const BRANCHES: &str = "SELECT CD_BRANCHE, COUNT(*) AS N FROM PRODUITS GROUP BY CD_BRANCHE ORDER BY 1";

async fn export(app: &TestApp, token: &str, sql: &str, format: &str) -> reqwest::Response {
    let body = serde_json::json!({"sql": sql, "format": format});
    app.call(Method::POST, "/api/v1/sql/export", Some(token), Some(body)).await
}

fn xlsx_rows(bytes: Vec<u8>, sheet: &str) -> Vec<Vec<Data>> {
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("a workbook");
    let range = workbook.worksheet_range(sheet).expect("the sheet");
    range.rows().map(<[Data]>::to_vec).collect()
}

#[tokio::test]
async fn a_result_downloads_as_csv_xlsx_and_json_through_the_guard() {
    let documents = demo_documents().await;
    let app = spawn_app_with(|config| {
        config.agent.export_row_limit = 2_000;
        config.index.docs_dir = Some(documents);
    })
    .await;
    wait_for_index(&app).await;
    let analyst = app.user_token("alice", Role::Analyst).await;
    let body = serde_json::json!({"sql": BRANCHES});
    let shown: ExecuteResponse = app
        .call(Method::POST, "/api/v1/sql/execute", Some(&analyst), Some(body))
        .await
        .json()
        .await
        .expect("execute body");
    let (ColumnValues::Text(branches), ColumnValues::Int64(counts)) = (&shown.columns[0].data, &shown.columns[1].data)
    else {
        panic!("text and count columns: {:?}", shown.columns);
    };
    assert!(shown.row_count > 1);
    // A column of codes carries its labels, from the documents' code list.
    let label =
        |branch: &Option<String>| shown.columns[0].label_of(branch.as_deref().unwrap_or_default()).map(str::to_owned);
    assert_eq!(shown.columns[0].label_of("10"), Some("Automobile"), "{:?}", shown.columns[0].codes);

    let csv = export(&app, &analyst, BRANCHES, "csv").await;
    assert_eq!(csv.status(), 200);
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(csv.headers()["content-disposition"], "attachment; filename=\"resultat.csv\"");
    let text = csv.text().await.expect("csv body");
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").filter(|line| !line.is_empty()).collect();
    assert!(text.starts_with('\u{feff}'), "a byte-order mark for spreadsheets");
    assert_eq!(lines[0], "CD_BRANCHE,CD_BRANCHE (libellé),N", "the labels follow the codes");
    assert_eq!(lines.len(), shown.row_count + 1);
    let first = format!(
        "{},{},{}",
        branches[0].as_deref().unwrap_or_default(),
        label(&branches[0]).expect("every branch has a label"),
        counts[0].unwrap_or_default()
    );
    assert_eq!(lines[1], first);

    let xlsx = export(&app, &analyst, BRANCHES, "xlsx").await;
    assert_eq!(xlsx.status(), 200);
    assert_eq!(xlsx.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let rows = xlsx_rows(xlsx.bytes().await.expect("xlsx body").to_vec(), "Résultat");
    let headers = ["CD_BRANCHE", "CD_BRANCHE (libellé)", "N"].map(|header| Data::String(header.into()));
    assert_eq!(rows[0], headers);
    assert_eq!(rows.len(), shown.row_count + 1);
    for ((row, branch), count) in rows[1..].iter().zip(branches).zip(counts) {
        assert_eq!(row[0], Data::String(branch.clone().unwrap_or_default()));
        assert_eq!(row[1], Data::String(label(branch).unwrap_or_default()));
        assert_eq!(row[2], Data::Float(count.unwrap_or_default() as f64), "counts are numbers, not text");
    }

    let json: serde_json::Value = export(&app, &analyst, BRANCHES, "json").await.json().await.expect("json body");
    assert_eq!(json.as_array().map(Vec::len), Some(shown.row_count));
    assert_eq!(json[0]["N"], serde_json::json!(counts[0]));

    // The export has its own row cap, above the console's.
    let all = export(&app, &analyst, "SELECT ID_CLIENT FROM CLIENTS", "csv").await.text().await.expect("body");
    assert_eq!(all.split("\r\n").filter(|line| !line.is_empty()).count(), 2_001, "2,000 rows and the header");

    let refused = export(&app, &analyst, "DELETE FROM CLIENTS", "csv").await;
    assert_eq!(refused.status(), 422);
    let error: ErrorBody = refused.json().await.expect("error body");
    assert!(error.message.contains("read_only"), "{error:?}");
    let broken = export(&app, &analyst, "SELECT NOPE FROM CLIENTS", "xlsx").await;
    assert_eq!(broken.status(), 422);
    assert!(broken.json::<ErrorBody>().await.expect("error body").message.contains("NOPE"));

    let audit = app.audit_rows("sql.export").await;
    let statuses: Vec<_> = audit.iter().rev().map(|row| row.status.as_str()).collect();
    assert_eq!(statuses, ["ok", "ok", "ok", "ok", "refused", "failed"]);
    assert!(audit.iter().any(|row| row.details.contains("\"format\":\"xlsx\"")), "{audit:?}");
}

#[tokio::test]
async fn a_conversation_downloads_for_its_owner_only() {
    let app = spawn_app().await;
    wait_for_index(&app).await;
    let analyst = app.user_token("alice", Role::Analyst).await;
    let other = app.user_token("bruno", Role::Analyst).await;
    ollama_answers(&app.ollama, "chat_paris.ndjson", 1, Duration::ZERO).await;
    let question = serde_json::json!({"question": "Combien de clients habitent à Paris ?"});
    let response = app.call(Method::POST, "/api/v1/chat", Some(&analyst), Some(question)).await;
    let events = read_events(response, usize::MAX).await;
    let Some(ChatEvent::Started { conversation_id }) = events.first() else { panic!("{events:?}") };
    let url = |format: &str| format!("/api/v1/conversations/{conversation_id}/export?format={format}");

    let json: schemas::conversation::ConversationDetail =
        app.call(Method::GET, &url("json"), Some(&analyst), None).await.json().await.expect("json");
    assert_eq!(json.messages.len(), 2);
    let explanation = json.messages[1].explanation.as_deref().expect("the answer's explanation is kept");
    assert!(explanation.starts_with("Résultat : ") && explanation.contains("'Paris'"), "{explanation}");
    let csv = app.call(Method::GET, &url("csv"), Some(&analyst), None).await;
    assert_eq!(csv.status(), 200);
    let disposition = csv.headers()["content-disposition"].to_str().expect("ascii").to_owned();
    assert_eq!(disposition, format!("attachment; filename=\"conversation-{conversation_id}.csv\""));
    let text = csv.text().await.expect("csv");
    assert!(text.contains("Combien de clients habitent à Paris ?"), "{text}");
    let xlsx = app.call(Method::GET, &url("xlsx"), Some(&analyst), None).await.bytes().await.expect("xlsx");
    let rows = xlsx_rows(xlsx.to_vec(), "Conversation");
    assert_eq!(rows.len(), 3, "header and two messages");
    assert_eq!(rows[1][1], Data::String("user".into()));
    assert!(matches!(&rows[2][3], Data::String(sql) if sql.contains("VILLE")), "{:?}", rows[2]);
    assert_eq!(rows[0][4], Data::String("explanation".into()));
    assert!(matches!(&rows[2][4], Data::String(text) if text.contains("'Paris'")), "{:?}", rows[2]);
    assert!(matches!(rows[1][0], Data::DateTime(_)), "times are dates in the workbook: {:?}", rows[1][0]);

    assert_eq!(app.call(Method::GET, &url("csv"), Some(&other), None).await.status(), 404);
    assert_eq!(app.call(Method::GET, &url("pdf"), Some(&analyst), None).await.status(), 400);
    let audit = app.audit_rows("conversation.export").await;
    assert_eq!(audit.len(), 3);
}
