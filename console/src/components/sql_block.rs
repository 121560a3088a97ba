//! An answer's SQL: highlighted, with copy, edit and run (`POST /api/v1/sql/execute`, the same guard and
//! read-only path as the agent's own SQL). A run shows the guard's verdict, the database's error or the rows.

use dioxus::prelude::*;
use schemas::admin::ExecuteResponse;

use crate::api;
use crate::browser;
use crate::components::results::Results;
use crate::components::sql_code::SqlCode;
use crate::i18n::{Text, t};
use crate::thread::ResultSet;

/// Shows `sql` with its actions.
#[component]
pub(crate) fn SqlBlock(sql: String, conversation_id: Option<String>) -> Element {
    let mut editing = use_signal(|| false);
    let mut draft = use_signal(|| sql.clone());
    let mut running = use_signal(|| false);
    let mut copied = use_signal(|| false);
    let mut outcome = use_signal(|| None::<(String, Result<ExecuteResponse, String>)>);
    let original = sql.clone();
    let run_conversation = conversation_id.clone();
    let mut run = move |statement: String| {
        let conversation_id = run_conversation.clone();
        running.set(true);
        spawn(async move {
            let result = api::execute(statement.clone(), conversation_id).await.map_err(|error| error.describe());
            outcome.set(Some((statement, result)));
            running.set(false);
        });
    };
    let mut run_on_key = run.clone();
    let copy_source = sql.clone();
    rsx! {
        div { class: "sql-block",
            div { class: "sql-head no-print",
                span { class: "label", "SQL" }
                button {
                    class: "icon",
                    "aria-label": t(Text::CopySql),
                    title: t(Text::CopySql),
                    onclick: move |_| {
                        let text = if editing() { draft() } else { copy_source.clone() };
                        spawn(async move {
                            copied.set(browser::copy_text(&text).await);
                        });
                    },
                    if copied() {
                        "✓"
                    } else {
                        svg { "viewBox": "0 0 16 16", width: "14", height: "14", "aria-hidden": "true",
                            rect { x: "5", y: "5", width: "9", height: "9", rx: "1.5", fill: "none", stroke: "currentColor" }
                            path { d: "M3 11V3a1 1 0 0 1 1-1h7", fill: "none", stroke: "currentColor" }
                        }
                    }
                }
                button {
                    class: "icon edit-sql",
                    "aria-label": t(Text::EditSql),
                    title: t(Text::EditSql),
                    "aria-pressed": "{editing()}",
                    onclick: move |_| editing.set(!editing()),
                    "✎"
                }
                button {
                    class: "icon run-sql",
                    "aria-label": t(Text::RunSql),
                    title: t(Text::RunSql),
                    disabled: running(),
                    onclick: move |_| run(if editing() { draft() } else { original.clone() }),
                    "▶"
                }
            }
            if editing() {
                label { class: "visually-hidden", r#for: "sql-editor", {t(Text::SqlEditor)} }
                textarea {
                    id: "sql-editor",
                    class: "sql-editor",
                    spellcheck: "false",
                    rows: "6",
                    value: "{draft}",
                    oninput: move |event| draft.set(event.value()),
                    onkeydown: move |event: KeyboardEvent| {
                        if event.key() == Key::Enter && event.modifiers().contains(Modifiers::CONTROL) {
                            event.prevent_default();
                            run_on_key(draft());
                        }
                    },
                }
            } else {
                SqlCode { sql: sql.clone() }
            }
            if running() {
                p { class: "muted", role: "status", {t(Text::Running)} }
            }
            if let Some((statement, result)) = outcome() {
                RunOutcome { statement, result, conversation_id: conversation_id.clone() }
            }
        }
    }
}

#[component]
fn RunOutcome(statement: String, result: Result<ExecuteResponse, String>, conversation_id: Option<String>) -> Element {
    let response = match result {
        Ok(response) => response,
        Err(message) => return rsx! { p { class: "error run-result", role: "alert", "{message}" } },
    };
    if !response.allowed {
        return rsx! {
            div { class: "guard-refusal run-result", role: "alert",
                strong { {t(Text::GuardRefused)} }
                " "
                code { class: "rule", "{response.rule}" }
                p { "{response.message}" }
            }
        };
    }
    if let Some(error) = response.error {
        return rsx! {
            div { class: "error-box run-result", role: "alert",
                strong { {t(Text::WarehouseRefused)} }
                p { "{error}" }
            }
        };
    }
    let result = ResultSet {
        columns: response.columns,
        row_count: response.row_count,
        truncated: response.truncated,
        elapsed_ms: response.elapsed_ms,
    };
    rsx! {
        div { class: "run-result",
            if let Some(plan) = response.plan {
                details { class: "plan",
                    summary { {t(Text::Plan)} }
                    pre { "{plan}" }
                }
            }
            Results { result, sql: Some(statement), conversation_id }
        }
    }
}
