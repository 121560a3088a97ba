//! A result: its size and time, an automatic chart when the shape suits, a sortable, paginated table, and the
//! export and print buttons.

use std::cmp::Ordering;

use dioxus::prelude::*;
use schemas::export::ExportFormat;
use schemas::{ColumnValues, ResultColumn};

use crate::api;
use crate::browser;
use crate::components::chart::Chart;
use crate::i18n::{self, Text, t};
use crate::thread::ResultSet;

const PAGE_SIZE: usize = 20;

/// Formats a number: whole numbers as they are, others with two decimals at most.
pub(crate) fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        let text = format!("{value:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// Returns the text shown for one cell (`None` for NULL).
pub(crate) fn cell_text(values: &ColumnValues, row: usize) -> Option<String> {
    match values {
        ColumnValues::Int64(values) => values.get(row).copied().flatten().map(|value| value.to_string()),
        ColumnValues::Float64(values) => values.get(row).copied().flatten().map(format_number),
        ColumnValues::Bool(values) => values.get(row).copied().flatten().map(|value| value.to_string()),
        ColumnValues::Date(values) | ColumnValues::Timestamp(values) | ColumnValues::Text(values) => {
            values.get(row).cloned().flatten()
        }
    }
}

/// Returns the number in one cell, if the column holds numbers.
pub(crate) fn cell_number(values: &ColumnValues, row: usize) -> Option<f64> {
    match values {
        ColumnValues::Int64(values) => values.get(row).copied().flatten().map(|value| value as f64),
        ColumnValues::Float64(values) => values.get(row).copied().flatten(),
        _ => None,
    }
}

fn is_numeric(values: &ColumnValues) -> bool {
    matches!(values, ColumnValues::Int64(_) | ColumnValues::Float64(_))
}

/// Orders two rows by one column; NULL last.
fn compare(values: &ColumnValues, left: usize, right: usize) -> Ordering {
    if is_numeric(values) {
        match (cell_number(values, left), cell_number(values, right)) {
            (Some(left), Some(right)) => left.partial_cmp(&right).unwrap_or(Ordering::Equal),
            (left, right) => right.is_some().cmp(&left.is_some()),
        }
    } else {
        match (cell_text(values, left), cell_text(values, right)) {
            (Some(left), Some(right)) => left.to_lowercase().cmp(&right.to_lowercase()),
            (left, right) => right.is_some().cmp(&left.is_some()),
        }
    }
}

/// Shows a result with its chart, table and exports. `sql` enables the exports.
#[component]
pub(crate) fn Results(result: ResultSet, sql: Option<String>, conversation_id: Option<String>) -> Element {
    let mut sort = use_signal(|| None::<(usize, bool)>);
    let mut page = use_signal(|| 0_usize);
    let mut export_error = use_signal(|| None::<String>);
    let rows = result.columns.first().map(|column| column.data.len()).unwrap_or(0);
    let mut order: Vec<usize> = (0..rows).collect();
    if let Some((column, ascending)) = sort()
        && let Some(values) = result.columns.get(column).map(|column| &column.data)
    {
        order.sort_by(|left, right| {
            let ordering = compare(values, *left, *right);
            if ascending { ordering } else { ordering.reverse() }
        });
    }
    let pages = rows.div_ceil(PAGE_SIZE).max(1);
    let current = page().min(pages - 1);
    let shown: Vec<usize> = order.iter().copied().skip(current * PAGE_SIZE).take(PAGE_SIZE).collect();
    let has_sql = sql.is_some();
    let export = move |format: ExportFormat| {
        let sql = sql.clone();
        let conversation_id = conversation_id.clone();
        move |_| {
            let (sql, conversation_id) = (sql.clone(), conversation_id.clone());
            spawn(async move {
                let Some(sql) = sql else { return };
                match api::export_sql(sql, format, conversation_id).await {
                    Ok(()) => export_error.set(None),
                    Err(error) => export_error.set(Some(error.describe())),
                }
            });
        }
    };
    rsx! {
        section { class: "results", "aria-label": t(Text::Results),
            div { class: "results-head",
                span { class: "row-count", "{i18n::rows(result.row_count as i64)} · {result.elapsed_ms} ms" }
                if result.truncated {
                    span { class: "badge warn truncated", {t(Text::Truncated)} }
                }
                div { class: "actions no-print",
                    if has_sql {
                        button { class: "small", onclick: export(ExportFormat::Csv), "CSV" }
                        button { class: "small", onclick: export(ExportFormat::Xlsx), "XLSX" }
                        button { class: "small", onclick: export(ExportFormat::Json), "JSON" }
                    }
                    button { class: "small", onclick: move |_| browser::print(), {t(Text::Print)} }
                }
            }
            if let Some(message) = export_error() {
                p { class: "error", role: "alert", "{message}" }
            }
            Chart { columns: result.columns.clone() }
            div { class: "table-wrap",
                table { class: "data",
                    thead {
                        tr {
                            for (index, column) in result.columns.iter().enumerate() {
                                th {
                                    key: "{index}",
                                    "aria-sort": match sort() {
                                        Some((sorted, true)) if sorted == index => "ascending",
                                        Some((sorted, false)) if sorted == index => "descending",
                                        _ => "none",
                                    },
                                    class: if is_numeric(&column.data) { "number" } else { "" },
                                    button {
                                        class: "sort",
                                        onclick: move |_| {
                                            let next = match sort() {
                                                Some((sorted, ascending)) if sorted == index => (index, !ascending),
                                                _ => (index, true),
                                            };
                                            sort.set(Some(next));
                                            page.set(0);
                                        },
                                        "{column.name}"
                                    }
                                }
                            }
                        }
                    }
                    tbody {
                        for row in shown {
                            tr { key: "{row}",
                                for (index, column) in result.columns.iter().enumerate() {
                                    ResultCell { key: "{index}", column: column.clone(), row }
                                }
                            }
                        }
                    }
                }
            }
            if pages > 1 {
                nav { class: "pager no-print", "aria-label": t(Text::Pages),
                    button {
                        class: "small",
                        disabled: current == 0,
                        onclick: move |_| page.set(current.saturating_sub(1)),
                        {t(Text::Previous)}
                    }
                    span { "{current + 1} / {pages}" }
                    button {
                        class: "small",
                        disabled: current + 1 >= pages,
                        onclick: move |_| page.set(current + 1),
                        {t(Text::Next)}
                    }
                }
            }
        }
    }
}

#[component]
fn ResultCell(column: ResultColumn, row: usize) -> Element {
    let numeric = is_numeric(&column.data);
    match cell_text(&column.data, row) {
        Some(text) => match column.label_of(&text) {
            // A code with its label from the catalog's code list: the analyst reads `10 · Automobile`.
            Some(label) => rsx! {
                td { class: "coded",
                    "{text}"
                    span { class: "code-label", " · {label}" }
                }
            },
            None => rsx! { td { class: if numeric { "number" } else { "" }, "{text}" } },
        },
        None => rsx! { td { class: "null", "NULL" } },
    }
}
