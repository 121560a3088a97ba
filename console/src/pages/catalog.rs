//! The steward's catalog: search tables and columns, read the dictionary's comments, sample values and keys,
//! edit curated descriptions inline and mark sensitive columns (`PUT /api/v1/catalog/curations`).

use dioxus::prelude::*;
use schemas::admin::{CatalogCode, CatalogColumn, CatalogTableDetail, CodeLabelRequest, CurationRequest};
use schemas::auth::Role;

use crate::Route;
use crate::api;
use crate::components::shell::RequireRole;
use crate::i18n::{self, Text, t};

/// The catalog with no table open.
#[component]
pub(crate) fn Catalog() -> Element {
    rsx! { RequireRole { role: Role::Steward, CatalogPage { selected: None } } }
}

/// The catalog with one table open.
#[component]
pub(crate) fn CatalogTable(name: String) -> Element {
    rsx! { RequireRole { role: Role::Steward, CatalogPage { selected: Some(name) } } }
}

#[component]
fn CatalogPage(selected: Option<String>) -> Element {
    let mut search = use_signal(String::new);
    let tables = use_resource(move || async move { api::catalog_tables(search()).await });
    rsx! {
        div { class: "page wide catalog",
            h1 { {t(Text::Catalog)} }
            div { class: "split",
                nav { class: "table-list", "aria-label": t(Text::Tables),
                    label { r#for: "catalog-search", {t(Text::SearchCatalog)} }
                    input {
                        id: "catalog-search",
                        r#type: "search",
                        value: "{search}",
                        oninput: move |event| search.set(event.value()),
                    }
                    match &*tables.read() {
                        None => rsx! { p { class: "muted", {t(Text::Loading)} } },
                        Some(Err(error)) => rsx! { p { class: "error", role: "alert", "{error.describe()}" } },
                        Some(Ok(tables)) => rsx! {
                            p { class: "muted", "{tables.len()} {t(Text::Tables)}" }
                            ul {
                                for table in tables.iter().cloned() {
                                    li {
                                        key: "{table.name}",
                                        class: if selected.as_deref() == Some(table.name.as_str()) { "current" } else { "" },
                                        Link { to: Route::CatalogTable { name: table.name.clone() },
                                            strong { "{table.name}" }
                                            span { class: "meta", "{table.column_count} col." }
                                            if let Some(text) = table.description.clone().or(table.comment.clone()) {
                                                span { class: "summary", "{text}" }
                                            }
                                        }
                                    }
                                }
                            }
                        },
                    }
                }
                if let Some(name) = selected.clone() {
                    TableDetail { key: "{name}", name }
                } else {
                    p { class: "muted detail-placeholder", {t(Text::PickTable)} }
                }
            }
        }
    }
}

#[component]
fn TableDetail(name: String) -> Element {
    let mut detail = use_resource(use_reactive!(|name| async move { api::catalog_table(name).await }));
    let reload = move |_| detail.restart();
    let loaded = detail.read().clone();
    match loaded {
        None => rsx! { p { class: "muted", {t(Text::Loading)} } },
        Some(Err(error)) => rsx! { p { class: "error", role: "alert", "{error.describe()}" } },
        Some(Ok(detail)) => rsx! { TableCard { detail, on_saved: reload } },
    }
}

#[component]
fn TableCard(detail: CatalogTableDetail, on_saved: EventHandler<()>) -> Element {
    let table = detail.table.clone();
    rsx! {
        article { class: "card table-detail",
            h2 { "{table.name}" }
            if let Some(comment) = &table.comment {
                p { class: "dictionary", span { class: "label", {t(Text::DictionaryComment)} } " {comment}" }
            }
            div { class: "curated",
                span { class: "label", {t(Text::Description)} }
                DescriptionEditor {
                    table: table.name.clone(),
                    column: None,
                    description: table.description.clone().unwrap_or_default(),
                    sensitive: false,
                    on_saved,
                }
            }
            p { class: "keys",
                span { class: "label", {t(Text::PrimaryKey)} }
                " {detail.primary_key.join(\", \")}"
                if let Some(rows) = table.row_estimate {
                    " · ~{i18n::rows(rows as i64)}"
                }
            }
            if !detail.foreign_keys.is_empty() {
                ul { class: "foreign-keys",
                    for key in detail.foreign_keys.iter() {
                        li { key: "{key.columns.join(\",\")}",
                            "{key.columns.join(\", \")} → "
                            Link { to: Route::CatalogTable { name: key.referenced_table.clone() }, "{key.referenced_table}" }
                            " ({key.referenced_columns.join(\", \")})"
                        }
                    }
                }
            }
            div { class: "table-wrap",
                table { class: "data columns",
                    thead {
                        tr {
                            th { {t(Text::Column)} }
                            th { {t(Text::Type)} }
                            th { {t(Text::DictionaryComment)} }
                            th { {t(Text::Description)} }
                            th { {t(Text::Sensitive)} }
                            th { {t(Text::SampleValues)} }
                        }
                    }
                    tbody {
                        for column in detail.columns.iter().cloned() {
                            ColumnRow {
                                key: "{column.name}",
                                table: table.name.clone(),
                                primary: detail.primary_key.contains(&column.name),
                                foreign: detail.foreign_keys.iter().any(|key| key.columns.contains(&column.name)),
                                column,
                                on_saved,
                            }
                        }
                    }
                }
            }
        }
    }
}

#[component]
fn ColumnRow(
    table: String,
    column: CatalogColumn,
    primary: bool,
    foreign: bool,
    on_saved: EventHandler<()>,
) -> Element {
    let mut error = use_signal(|| None::<String>);
    let description = column.description.clone().unwrap_or_default();
    let toggle_request = CurationRequest {
        table: table.clone(),
        column: Some(column.name.clone()),
        description: column.description.clone(),
        sensitive: !column.sensitive,
    };
    rsx! {
        tr { "data-column": "{column.name}",
            td {
                code { "{column.name}" }
                if primary { span { class: "badge", title: t(Text::PrimaryKey), "PK" } }
                if foreign { span { class: "badge", title: t(Text::ForeignKey), "FK" } }
            }
            td { class: "muted", "{column.data_type}" if column.nullable { "" } else { " NOT NULL" } }
            td { class: "muted", {column.comment.clone().unwrap_or_default()} }
            td {
                DescriptionEditor {
                    table: table.clone(),
                    column: Some(column.name.clone()),
                    description,
                    sensitive: column.sensitive,
                    on_saved,
                }
            }
            td {
                input {
                    r#type: "checkbox",
                    id: "sensitive-{column.name}",
                    "aria-label": "{t(Text::Sensitive)} {column.name}",
                    checked: column.sensitive,
                    onchange: move |_| {
                        let request = toggle_request.clone();
                        spawn(async move {
                            match api::curate(request).await {
                                Ok(()) => on_saved.call(()),
                                Err(failure) => error.set(Some(failure.describe())),
                            }
                        });
                    },
                }
                if let Some(message) = error() {
                    span { class: "error", "{message}" }
                }
            }
            td { class: "samples",
                if column.codes.is_empty() {
                    for value in column.sample_values.iter().take(8) {
                        span { key: "{value}", class: "chip", "{value}" }
                    }
                    if column.sample_values.len() > 8 {
                        span { class: "muted", " +{column.sample_values.len() - 8}" }
                    }
                } else {
                    CodeList {
                        table: table.clone(),
                        column: column.name.clone(),
                        codes: column.codes.clone(),
                        seen: column.sample_values.clone(),
                        on_saved,
                    }
                }
            }
        }
    }
}

/// A column's code list with where each code was read, then the values seen in the data that no list names; each
/// label (or missing one) is edited in place.
#[component]
fn CodeList(
    table: String,
    column: String,
    codes: Vec<CatalogCode>,
    seen: Vec<String>,
    on_saved: EventHandler<()>,
) -> Element {
    let unlisted: Vec<String> =
        seen.into_iter().filter(|value| !codes.iter().any(|code| code.value == *value)).collect();
    rsx! {
        ul { class: "code-list",
            for code in codes {
                li { key: "{code.value}", "data-code": "{code.value}", title: code.meaning.clone().unwrap_or_default(),
                    code { "{code.value}" }
                    " "
                    CodeLabelEditor {
                        table: table.clone(),
                        column: column.clone(),
                        code: code.value.clone(),
                        label: code.label.clone(),
                        on_saved,
                    }
                    " "
                    span { class: "muted source", "({t(Text::CodeSource)} {code.source})" }
                }
            }
            for value in unlisted {
                li { key: "seen-{value}", class: "unlisted", "data-code": "{value}",
                    code { "{value}" }
                    " "
                    CodeLabelEditor {
                        table: table.clone(),
                        column: column.clone(),
                        code: value.clone(),
                        label: String::new(),
                        on_saved,
                    }
                    " "
                    span { class: "badge warn", {t(Text::SeenNotListed)} }
                }
            }
        }
    }
}

/// One code's label, edited in place by the steward.
#[component]
fn CodeLabelEditor(table: String, column: String, code: String, label: String, on_saved: EventHandler<()>) -> Element {
    let mut editing = use_signal(|| false);
    let mut text = use_signal(|| label.clone());
    let error = use_signal(|| None::<String>);
    let editor_id = format!("code-{column}-{code}");
    let save = {
        let (table, column, code) = (table.clone(), column.clone(), code.clone());
        move |_| {
            let request =
                CodeLabelRequest { table: table.clone(), column: column.clone(), code: code.clone(), label: text() };
            save_edit(api::label_code(request), editing, error, on_saved);
        }
    };
    if editing() {
        return rsx! {
            span { class: "code-editor",
                label { class: "visually-hidden", r#for: "{editor_id}", "{t(Text::CodeLabel)} {code}" }
                input { id: "{editor_id}", value: "{text}", oninput: move |event| text.set(event.value()) }
                button { class: "small primary save-code", onclick: save, {t(Text::Save)} }
                button { class: "small", onclick: move |_| editing.set(false), {t(Text::Cancel)} }
                if let Some(message) = error() {
                    span { class: "error", role: "alert", "{message}" }
                }
            }
        };
    }
    rsx! {
        span { class: "code-label-text", "{label}" }
        button {
            class: "icon edit-code",
            "aria-label": "{t(Text::CodeLabel)} {code}",
            title: t(Text::CodeLabel),
            onclick: move |_| {
                text.set(label.clone());
                editing.set(true);
            },
            "✎"
        }
    }
}

/// Sends a steward's edit: on success the editor closes and the table reloads, else the editor says why.
fn save_edit(
    sent: impl std::future::Future<Output = Result<(), api::ApiError>> + 'static,
    mut editing: Signal<bool>,
    mut error: Signal<Option<String>>,
    on_saved: EventHandler<()>,
) {
    spawn(async move {
        match sent.await {
            Ok(()) => {
                editing.set(false);
                error.set(None);
                on_saved.call(());
            }
            Err(failure) => error.set(Some(failure.describe())),
        }
    });
}

/// A curated description, edited in place.
#[component]
fn DescriptionEditor(
    table: String,
    column: Option<String>,
    description: String,
    sensitive: bool,
    on_saved: EventHandler<()>,
) -> Element {
    let mut editing = use_signal(|| false);
    let mut text = use_signal(|| description.clone());
    let error = use_signal(|| None::<String>);
    let target = column.clone().unwrap_or_else(|| table.clone());
    let editor_id = format!("description-{}", target.replace('.', "-"));
    let save = move |_| {
        let request =
            CurationRequest { table: table.clone(), column: column.clone(), description: Some(text()), sensitive };
        save_edit(api::curate(request), editing, error, on_saved);
    };
    if editing() {
        return rsx! {
            div { class: "description-editor",
                label { class: "visually-hidden", r#for: "{editor_id}", "{t(Text::Description)} {target}" }
                textarea { id: "{editor_id}", rows: "3", value: "{text}", oninput: move |event| text.set(event.value()) }
                button { class: "small primary save-description", onclick: save, {t(Text::Save)} }
                button { class: "small", onclick: move |_| editing.set(false), {t(Text::Cancel)} }
                if let Some(message) = error() {
                    p { class: "error", role: "alert", "{message}" }
                }
            }
        };
    }
    rsx! {
        div { class: "description",
            if description.is_empty() {
                span { class: "muted", {t(Text::NoDescription)} }
            } else {
                span { class: "description-text", "{description}" }
            }
            button {
                class: "icon edit-description",
                "aria-label": "{t(Text::EditDescription)} {target}",
                title: t(Text::EditDescription),
                onclick: move |_| {
                    text.set(description.clone());
                    editing.set(true);
                },
                "✎"
            }
        }
    }
}
