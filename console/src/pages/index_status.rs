//! The schema index for stewards: what the serving build holds, a re-index button, and progress while it runs
//! (estimated from the previous build's duration; the API reports only whether a build is running).

use dioxus::prelude::*;
use schemas::admin::IndexStatusInfo;
use schemas::auth::Role;

use crate::api;
use crate::browser;
use crate::components::shell::RequireRole;
use crate::components::sidebar::short_date;
use crate::i18n::{Text, t};

/// The index page.
#[component]
pub(crate) fn IndexStatus() -> Element {
    rsx! { RequireRole { role: Role::Steward, IndexPage {} } }
}

#[component]
fn IndexPage() -> Element {
    let mut status = use_signal(|| None::<IndexStatusInfo>);
    let mut error = use_signal(|| None::<String>);
    let mut started_at = use_signal(|| None::<f64>);
    let mut now = use_signal(browser::now_ms);
    // Polls every second while a build runs (or was just asked for), every ten seconds otherwise.
    use_future(move || async move {
        let mut tick: u32 = 0;
        loop {
            let busy = started_at.peek().is_some() || status.peek().as_ref().is_some_and(|info| info.building);
            if !busy && !tick.is_multiple_of(10) {
                tick += 1;
                browser::sleep(1_000).await;
                continue;
            }
            tick = 1;
            match api::index_status().await {
                Ok(info) => {
                    if info.building && started_at.peek().is_none() {
                        started_at.set(Some(browser::now_ms()));
                    }
                    if !info.building {
                        started_at.set(None);
                    }
                    status.set(Some(info));
                    error.set(None);
                    now.set(browser::now_ms());
                }
                Err(failure) => error.set(Some(failure.describe())),
            }
            browser::sleep(1_000).await;
        }
    });
    let rebuild = move |_| {
        spawn(async move {
            match api::rebuild_index().await {
                Ok(info) => {
                    started_at.set(Some(browser::now_ms()));
                    status.set(Some(info));
                }
                Err(failure) => error.set(Some(failure.describe())),
            }
        });
    };
    let info = status();
    let building = info.as_ref().is_some_and(|info| info.building);
    let progress = match (started_at(), info.as_ref().and_then(|info| info.duration_ms)) {
        (Some(start), Some(previous)) if previous > 0 => ((now() - start) / previous as f64 * 100.0).clamp(1.0, 95.0),
        _ => 50.0,
    };
    rsx! {
        div { class: "page index-page",
            h1 { {t(Text::IndexPage)} }
            if let Some(message) = error() {
                p { class: "error", role: "alert", "{message}" }
            }
            section { class: "card",
                match info {
                    None => rsx! { p { class: "muted", {t(Text::Loading)} } },
                    Some(info) => rsx! {
                        dl { class: "facts",
                            dt { {t(Text::BuiltAt)} }
                            dd { {info.built_at.as_deref().map(short_date).unwrap_or_else(|| "—".into())} }
                            dt { {t(Text::Duration)} }
                            dd { {info.duration_ms.map(|ms| format!("{:.1} s", ms as f64 / 1000.0)).unwrap_or_else(|| "—".into())} }
                            dt { {t(Text::TablesLabel)} }
                            dd { "{info.tables}" }
                            dt { {t(Text::Columns)} }
                            dd { "{info.columns}" }
                            dt { {t(Text::SampledValues)} }
                            dd { "{info.values}" }
                            dt { {t(Text::DocChunks)} }
                            dd { "{info.doc_chunks}" }
                            dt { {t(Text::Pairs)} }
                            dd { "{info.verified_pairs}" }
                        }
                        if let Some(last_error) = info.last_error {
                            p { class: "error", role: "alert", "{t(Text::LastBuildFailed)} {last_error}" }
                        }
                    },
                }
                if building {
                    div { class: "progress", role: "progressbar", "aria-label": t(Text::Reindexing),
                        "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": "{progress:.0}",
                        div { class: "progress-bar", style: "width: {progress:.0}%" }
                    }
                    p { class: "muted", role: "status", {t(Text::Reindexing)} }
                }
                button { class: "primary", disabled: building, onclick: rebuild, {t(Text::Reindex)} }
            }
        }
    }
}
