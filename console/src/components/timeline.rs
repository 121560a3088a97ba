//! The steps of an answer, as they happen: tables retrieved (and why), SQL, guard, plan, repair, rows, error.

use dioxus::prelude::*;
use schemas::ChatEvent;

use crate::i18n::{self, Text, t};

/// Returns the words for a `status` step name.
pub(crate) fn status_text(step: &str) -> &'static str {
    match step {
        "retrieving" => t(Text::StepRetrieving),
        "generating" => t(Text::StepGenerating),
        "checking" => t(Text::StepChecking),
        "planning" => t(Text::StepPlanning),
        "running" => t(Text::StepRunning),
        _ => t(Text::StepWorking),
    }
}

/// Shows the steps of one answer.
#[component]
pub(crate) fn Timeline(steps: Vec<ChatEvent>, status: Option<String>, queued: Option<usize>) -> Element {
    rsx! {
        details { class: "timeline", open: true,
            summary { {t(Text::Steps)} }
            ol {
                for (index, step) in steps.into_iter().enumerate() {
                    Step { key: "{index}", step }
                }
                if let Some(position) = queued {
                    li { class: "step step-queued", role: "status",
                        span { class: "step-icon", "⏳" }
                        span { class: "step-title", "{t(Text::QueuePosition)} {position}" }
                    }
                } else if let Some(step) = status {
                    li { class: "step step-current", role: "status",
                        span { class: "spinner", "aria-hidden": "true" }
                        span { class: "step-title", {status_text(&step)} }
                    }
                }
            }
        }
    }
}

#[component]
fn Step(step: ChatEvent) -> Element {
    match step {
        ChatEvent::Retrieved { tables, schema_tokens, documents, vocabulary } => rsx! {
            li { class: "step step-retrieved",
                span { class: "step-icon", "▦" }
                span { class: "step-title", "{t(Text::TablesRetrieved)} ({schema_tokens} tokens)" }
                ul { class: "chips",
                    for table in tables {
                        li { key: "{table.name}", class: "chip", title: table.reasons.join(", "),
                            strong { "{table.name}" }
                            span { class: "why", {table.reasons.join(", ")} }
                        }
                    }
                }
                if !documents.is_empty() {
                    p { class: "documents", "{t(Text::Documents)} : {documents.join(\" · \")}" }
                }
                if !vocabulary.is_empty() {
                    p { class: "vocabulary", "{t(Text::Vocabulary)} : {vocabulary.join(\" · \")}" }
                }
            }
        },
        ChatEvent::Sql { attempt, .. } => rsx! {
            li { class: "step step-sql",
                span { class: "step-icon", "✎" }
                span { class: "step-title",
                    if attempt == 0 { {t(Text::SqlWritten)} } else { "{t(Text::SqlRepaired)} {attempt}" }
                }
            }
        },
        ChatEvent::Guard { allowed, rule, message } => rsx! {
            li { class: if allowed { "step step-guard ok" } else { "step step-guard bad" },
                span { class: "step-icon", if allowed { "✓" } else { "⛔" } }
                span { class: "step-title",
                    if allowed { {t(Text::GuardAllowed)} } else { {t(Text::GuardRefused)} }
                    " "
                    code { class: "rule", "{rule}" }
                }
                if !allowed {
                    p { class: "step-detail", "{message}" }
                }
            }
        },
        ChatEvent::Plan { plan } => rsx! {
            li { class: "step step-plan",
                span { class: "step-icon", "⌁" }
                details {
                    summary { class: "step-title", {t(Text::Plan)} }
                    pre { "{plan}" }
                }
            }
        },
        ChatEvent::Repair { attempt, reason } => rsx! {
            li { class: "step step-repair warn",
                span { class: "step-icon", "↻" }
                span { class: "step-title", "{t(Text::Repair)} {attempt}" }
                p { class: "step-detail", "{reason}" }
            }
        },
        ChatEvent::Rows { row_count, truncated, elapsed_ms, .. } => rsx! {
            li { class: "step step-rows ok",
                span { class: "step-icon", "☰" }
                span { class: "step-title", "{i18n::rows(row_count as i64)} · {elapsed_ms} ms" }
                if truncated {
                    span { class: "badge warn", {t(Text::Truncated)} }
                }
            }
        },
        ChatEvent::Error { code, .. } => rsx! {
            li { class: "step step-error bad",
                span { class: "step-icon", "!" }
                span { class: "step-title", "{t(Text::Failed)} ({code})" }
            }
        },
        _ => rsx! {},
    }
}
