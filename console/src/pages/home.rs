//! The start page: what Pstral is and the state of each dependency, from `GET /api/v1/health`.

use dioxus::prelude::*;
use schemas::{DependencyState, HealthResponse, ServiceStatus};

use crate::api;
use crate::i18n::{Language, Text};

/// Shows the service status, refreshed on demand.
#[component]
pub fn Home() -> Element {
    let mut language = use_context::<Signal<Language>>();
    let mut health = use_resource(api::health);
    let lang = *language.read();
    rsx! {
        header { class: "topbar",
            h1 { "Pstral" }
            button {
                class: "ghost",
                "aria-label": lang.text(Text::SwitchLanguage),
                onclick: move |_| {
                    let next = language.read().toggled();
                    next.save();
                    language.set(next);
                },
                {lang.text(Text::SwitchLanguage)}
            }
        }
        main { class: "page",
            p { class: "tagline", {lang.text(Text::Tagline)} }
            section { class: "card", "aria-labelledby": "status-title",
                div { class: "card-head",
                    h2 { id: "status-title", {lang.text(Text::ServiceStatus)} }
                    button { onclick: move |_| health.restart(), {lang.text(Text::Refresh)} }
                }
                match &*health.read() {
                    None => rsx! { p { class: "muted", {lang.text(Text::Loading)} } },
                    Some(Err(message)) => rsx! { p { class: "error", role: "alert", "{message}" } },
                    Some(Ok(report)) => rsx! { HealthTable { report: report.clone(), lang } },
                }
            }
        }
    }
}

#[component]
fn HealthTable(report: HealthResponse, lang: Language) -> Element {
    let (status_class, status_text) = match report.status {
        ServiceStatus::Ok => ("ok", Text::Ok),
        ServiceStatus::Degraded => ("warn", Text::Degraded),
        ServiceStatus::Down => ("bad", Text::Down),
    };
    rsx! {
        p { class: "overall {status_class}", id: "overall-status", "{lang.text(status_text)} · v{report.version}" }
        ul { class: "dependencies",
            for dependency in report.dependencies.iter() {
                li { key: "{dependency.name}", class: "dependency", "data-name": "{dependency.name}",
                    span { class: "dot {state_class(dependency.state)}" }
                    strong { {label(lang, &dependency.name)} }
                    span { class: "state", {lang.text(state_text(dependency.state))} }
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

fn state_text(state: DependencyState) -> Text {
    match state {
        DependencyState::Ok => Text::Ok,
        DependencyState::Starting => Text::Starting,
        DependencyState::Unavailable => Text::Unavailable,
    }
}

fn label(lang: Language, name: &str) -> String {
    let key = match name {
        "app_store" => Text::AppStore,
        "warehouse" => Text::Warehouse,
        "llm" => Text::Llm,
        "index" => Text::Index,
        other => return other.to_owned(),
    };
    lang.text(key).to_owned()
}
