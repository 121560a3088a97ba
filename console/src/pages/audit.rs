//! Admin: the audit log, filtered (user, action, dates) and paginated, with the matching rows as CSV.

use dioxus::prelude::*;
use schemas::admin::AuditQuery;
use schemas::auth::Role;

use crate::api;
use crate::components::shell::RequireRole;
use crate::components::sidebar::short_date;
use crate::i18n::{Text, t};

const PER_PAGE: u32 = 50;

/// The audit page.
#[component]
pub(crate) fn Audit() -> Element {
    rsx! { RequireRole { role: Role::Admin, AuditPage {} } }
}

fn optional(text: String) -> Option<String> {
    Some(text.trim().to_owned()).filter(|text| !text.is_empty())
}

#[component]
fn AuditPage() -> Element {
    let username = use_signal(String::new);
    let action = use_signal(String::new);
    let from = use_signal(String::new);
    let to = use_signal(String::new);
    let mut page = use_signal(|| 1_u32);
    let mut download_error = use_signal(|| None::<String>);
    let query = use_memo(move || AuditQuery {
        username: optional(username()),
        action: optional(action()),
        from: optional(from()),
        to: optional(to()),
        page: Some(page()),
        per_page: Some(PER_PAGE),
    });
    let entries = use_resource(move || async move { api::audit(query()).await });
    let mut filter = move |mut field: Signal<String>, value: String| {
        field.set(value);
        page.set(1);
    };
    rsx! {
        div { class: "page wide audit-page",
            h1 { {t(Text::Audit)} }
            form { class: "filters card", onsubmit: move |event: FormEvent| event.prevent_default(),
                div { class: "filter",
                    label { r#for: "audit-username", {t(Text::Username)} }
                    input { id: "audit-username", value: "{username}", oninput: move |e| filter(username, e.value()) }
                }
                div { class: "filter",
                    label { r#for: "audit-action", {t(Text::Action)} }
                    input {
                        id: "audit-action",
                        placeholder: "chat.question",
                        value: "{action}",
                        oninput: move |e| filter(action, e.value()),
                    }
                }
                div { class: "filter",
                    label { r#for: "audit-from", {t(Text::From)} }
                    input { id: "audit-from", r#type: "date", value: "{from}", oninput: move |e| filter(from, e.value()) }
                }
                div { class: "filter",
                    label { r#for: "audit-to", {t(Text::To)} }
                    input { id: "audit-to", r#type: "date", value: "{to}", oninput: move |e| filter(to, e.value()) }
                }
                button {
                    r#type: "button",
                    class: "download-csv",
                    onclick: move |_| {
                        spawn(async move {
                            if let Err(failure) = api::audit_csv(query()).await {
                                download_error.set(Some(failure.describe()));
                            }
                        });
                    },
                    "⤓ CSV"
                }
            }
            if let Some(message) = download_error() {
                p { class: "error", role: "alert", "{message}" }
            }
            match &*entries.read() {
                None => rsx! { p { class: "muted", {t(Text::Loading)} } },
                Some(Err(error)) => rsx! { p { class: "error", role: "alert", "{error.describe()}" } },
                Some(Ok(result)) => {
                    let pages = ((result.total.max(0) as u32).div_ceil(PER_PAGE)).max(1);
                    let current = result.page;
                    rsx! {
                        p { class: "muted", "{result.total} {t(Text::Entries)}" }
                        div { class: "table-wrap",
                            table { class: "data", id: "audit-table",
                                thead {
                                    tr {
                                        th { {t(Text::When)} }
                                        th { {t(Text::Username)} }
                                        th { {t(Text::Action)} }
                                        th { {t(Text::Resource)} }
                                        th { {t(Text::Status)} }
                                        th { {t(Text::Details)} }
                                    }
                                }
                                tbody {
                                    for entry in result.entries.iter() {
                                        tr { key: "{entry.id}",
                                            td { class: "nowrap", {short_date(&entry.occurred_at)} }
                                            td { {entry.username.clone().unwrap_or_default()} }
                                            td { code { "{entry.action}" } }
                                            td { class: "muted", {entry.resource.clone().unwrap_or_default()} }
                                            td { span { class: "badge status-{entry.status}", "{entry.status}" } }
                                            td { class: "details", title: "{entry.details}", "{entry.details}" }
                                        }
                                    }
                                }
                            }
                        }
                        nav { class: "pager", "aria-label": t(Text::Pages),
                            button { class: "small", disabled: current <= 1, onclick: move |_| page.set(current - 1), {t(Text::Previous)} }
                            span { "{current} / {pages}" }
                            button { class: "small", disabled: current >= pages, onclick: move |_| page.set(current + 1), {t(Text::Next)} }
                        }
                    }
                }
            }
        }
    }
}
