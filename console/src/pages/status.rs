//! The status page: what Pstral is and the state of each dependency, from `GET /api/v1/health`.

use dioxus::prelude::*;
use schemas::{DependencyState, HealthResponse, ServiceStatus};

use crate::api;
use crate::i18n::{Text, t};

/// Shows the service status, refreshed on demand.
#[component]
pub(crate) fn Status() -> Element {
    let mut health = use_resource(api::health);
    rsx! {
        div { class: "page",
            p { class: "tagline", {t(Text::Tagline)} }
            section { class: "card", "aria-labelledby": "status-title",
                div { class: "card-head",
                    h2 { id: "status-title", {t(Text::ServiceStatus)} }
                    button { onclick: move |_| health.restart(), {t(Text::Refresh)} }
                }
                match &*health.read() {
                    None => rsx! { p { class: "muted", {t(Text::Loading)} } },
                    Some(Err(error)) => rsx! { p { class: "error", role: "alert", "{error.describe()}" } },
                    Some(Ok(report)) => rsx! { HealthTable { report: report.clone() } },
                }
            }
        }
    }
}

/// One line for the sign-in page: the service's state and what is unavailable, so a user knows before asking.
#[component]
pub(crate) fn ServiceSummary() -> Element {
    let health = use_resource(api::health);
    let Some(Ok(report)) = health.read().clone() else { return rsx! {} };
    let (status_class, status_text) = match report.status {
        ServiceStatus::Ok => ("ok", Text::Ok),
        ServiceStatus::Degraded => ("warn", Text::Degraded),
        ServiceStatus::Down => ("bad", Text::Down),
    };
    rsx! {
        div { class: "service-summary", role: "status",
            p { class: "overall {status_class}", "{t(Text::ServiceStatus)} : {t(status_text)}" }
            for dependency in report.dependencies.iter().filter(|dependency| dependency.state != DependencyState::Ok) {
                p { key: "{dependency.name}", class: "muted",
                    span { class: "dot {state_class(dependency.state)}" }
                    " {label(&dependency.name)} : {t(state_text(&dependency.name, dependency.state))}"
                    if let Some(message) = &dependency.message {
                        " — {message}"
                    }
                }
            }
        }
    }
}

#[component]
fn HealthTable(report: HealthResponse) -> Element {
    let (status_class, status_text) = match report.status {
        ServiceStatus::Ok => ("ok", Text::Ok),
        ServiceStatus::Degraded => ("warn", Text::Degraded),
        ServiceStatus::Down => ("bad", Text::Down),
    };
    rsx! {
        p { class: "overall {status_class}", id: "overall-status", "{t(status_text)} · v{report.version}" }
        ul { class: "dependencies",
            for dependency in report.dependencies.iter() {
                li { key: "{dependency.name}", class: "dependency", "data-name": "{dependency.name}",
                    span { class: "dot {state_class(dependency.state)}" }
                    strong { {label(&dependency.name)} }
                    span { class: "state", {t(state_text(&dependency.name, dependency.state))} }
                    code { class: "target", "{dependency.target}" }
                    if let Some(message) = &dependency.message {
                        p { class: "message", "{message}" }
                    }
                }
            }
        }
    }
}

fn state_class(state: DependencyState) -> &'static str {
    match state {
        DependencyState::Ok => "ok",
        DependencyState::Starting => "warn",
        DependencyState::Unavailable => "bad",
    }
}

/// The state in words; a model still reading the stable part of the prompt is warming up.
fn state_text(name: &str, state: DependencyState) -> Text {
    match state {
        DependencyState::Starting if name == "llm" => Text::WarmingUp,
        DependencyState::Ok => Text::Ok,
        DependencyState::Starting => Text::Starting,
        DependencyState::Unavailable => Text::Unavailable,
    }
}

fn label(name: &str) -> String {
    let key = match name {
        "app_store" => Text::AppStore,
        "warehouse" => Text::Warehouse,
        "llm" => Text::Llm,
        "index" => Text::Index,
        other => return other.to_owned(),
    };
    t(key).to_owned()
}
