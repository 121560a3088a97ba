//! One question and its answer: the text (markdown), the timeline, the SQL with its actions, the rows, a clear
//! message when something was unavailable, and 👍/👎.

use dioxus::prelude::*;

use crate::api;
use crate::components::markdown::{Markdown, without_sql_fences};
use crate::components::results::Results;
use crate::components::sql_block::SqlBlock;
use crate::components::timeline::Timeline;
use crate::i18n::{self, Text, t};
use crate::thread::{THREAD, Turn};

/// Returns a heading for an error code, so the user knows what is unavailable.
fn error_title(code: &str) -> &'static str {
    match code {
        "llm_unavailable" => t(Text::LlmUnavailable),
        "warehouse_unavailable" => t(Text::WarehouseUnavailable),
        "index_unavailable" => t(Text::IndexUnavailable),
        "sensitive_column" => t(Text::SensitiveRefused),
        "table_not_allowed" => t(Text::TableRefused),
        "cancelled" => t(Text::Stopped),
        "too_many_questions" => t(Text::TooManyQuestions),
        _ => t(Text::AnswerFailed),
    }
}

/// Shows turn number `index` of the thread.
#[component]
pub(crate) fn TurnView(index: usize, turn: Turn, conversation_id: Option<String>) -> Element {
    let answer = turn.answer;
    let text = if answer.sql.is_some() { without_sql_fences(&answer.text) } else { answer.text.clone() };
    let waiting = !answer.finished && answer.text.is_empty();
    rsx! {
        article { class: "turn",
            if !turn.question.is_empty() {
                div { class: "bubble question",
                    p { "{turn.question}" }
                }
            }
            div { class: "bubble answer", "aria-live": if answer.finished { "off" } else { "polite" },
                if !answer.steps.is_empty() || answer.status.is_some() || answer.queued.is_some() {
                    Timeline { steps: answer.steps.clone(), status: answer.status.clone(), queued: answer.queued }
                }
                if !answer.saved_tables.is_empty() {
                    p { class: "muted tables-used", "{t(Text::TablesRetrieved)} : {answer.saved_tables.join(\", \")}" }
                }
                if waiting && answer.queued.is_none() && answer.status.is_none() {
                    p { class: "muted", role: "status", {t(Text::Thinking)} }
                }
                if !text.trim().is_empty() {
                    div { class: if answer.finished { "answer-text" } else { "answer-text streaming" },
                        Markdown { text }
                    }
                }
                if let Some(sql) = answer.sql.clone() {
                    SqlBlock { key: "{sql}", sql, conversation_id: conversation_id.clone() }
                }
                if let Some(explanation) = answer.explanation.clone() {
                    div { class: "explanation", role: "note",
                        strong { {t(Text::Explanation)} }
                        ul {
                            for (position, line) in explanation.lines().enumerate() {
                                li { key: "{position}", "{line}" }
                            }
                        }
                    }
                }
                if let Some(result) = answer.rows.clone() {
                    Results { result, sql: answer.sql.clone(), conversation_id: conversation_id.clone() }
                } else if let Some(count) = answer.saved_row_count {
                    p { class: "muted", "{i18n::rows(count)} · {t(Text::RunAgain)}" }
                }
                if let Some((code, message)) = answer.error.clone() {
                    div { class: "error-box answer-error", role: "alert",
                        strong { {error_title(&code)} }
                        p { "{message}" }
                    }
                }
                if answer.finished {
                    Feedback { index, message_id: answer.message_id.clone(), given: answer.feedback }
                }
            }
        }
    }
}

#[component]
fn Feedback(index: usize, message_id: Option<String>, given: Option<bool>) -> Element {
    let Some(message_id) = message_id else { return rsx! {} };
    let mut failed = use_signal(|| None::<String>);
    let send = move |helpful: bool| {
        let message_id = message_id.clone();
        move |_| {
            let message_id = message_id.clone();
            spawn(async move {
                match api::feedback(message_id, helpful).await {
                    Ok(()) => {
                        if let Some(turn) = THREAD.write().turns.get_mut(index) {
                            turn.answer.feedback = Some(helpful);
                        }
                        failed.set(None);
                    }
                    Err(error) => failed.set(Some(error.describe())),
                }
            });
        }
    };
    rsx! {
        div { class: "feedback no-print",
            button {
                class: if given == Some(true) { "icon chosen" } else { "icon" },
                "aria-label": t(Text::Helpful),
                title: t(Text::Helpful),
                "aria-pressed": "{given == Some(true)}",
                onclick: send(true),
                "👍"
            }
            button {
                class: if given == Some(false) { "icon chosen" } else { "icon" },
                "aria-label": t(Text::NotHelpful),
                title: t(Text::NotHelpful),
                "aria-pressed": "{given == Some(false)}",
                onclick: send(false),
                "👎"
            }
            if let Some(message) = failed() {
                span { class: "error", "{message}" }
            }
        }
    }
}
