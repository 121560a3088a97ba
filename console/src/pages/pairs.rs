//! The steward's review of question→SQL pairs (👍 answers arrive as `pending`): verify or reject each.

use dioxus::prelude::*;
use schemas::admin::{PairReview, VerifiedPairInfo};
use schemas::auth::Role;

use crate::api;
use crate::components::shell::RequireRole;
use crate::components::sidebar::short_date;
use crate::components::sql_code::SqlCode;
use crate::i18n::{Text, t};

/// The pairs, filtered by status.
#[component]
pub(crate) fn Pairs() -> Element {
    rsx! { RequireRole { role: Role::Steward, PairsPage {} } }
}

#[component]
fn PairsPage() -> Element {
    let mut status = use_signal(|| "pending".to_owned());
    let mut pairs = use_resource(move || async move { api::verified_pairs(status()).await });
    rsx! {
        div { class: "page wide pairs",
            h1 { {t(Text::Pairs)} }
            p { class: "muted", {t(Text::PairsHint)} }
            label { r#for: "pair-status", {t(Text::Status)} }
            select { id: "pair-status", value: "{status}", onchange: move |event| status.set(event.value()),
                option { value: "pending", {t(Text::Pending)} }
                option { value: "verified", {t(Text::Verified)} }
                option { value: "rejected", {t(Text::Rejected)} }
                option { value: "", {t(Text::All)} }
            }
            match &*pairs.read() {
                None => rsx! { p { class: "muted", {t(Text::Loading)} } },
                Some(Err(error)) => rsx! { p { class: "error", role: "alert", "{error.describe()}" } },
                Some(Ok(list)) if list.is_empty() => rsx! { p { class: "muted", {t(Text::NothingHere)} } },
                Some(Ok(list)) => rsx! {
                    ul { class: "pair-list",
                        for pair in list.iter().cloned() {
                            PairCard { key: "{pair.id}", pair, on_reviewed: move |_| pairs.restart() }
                        }
                    }
                },
            }
        }
    }
}

#[component]
fn PairCard(pair: VerifiedPairInfo, on_reviewed: EventHandler<()>) -> Element {
    let mut error = use_signal(|| None::<String>);
    let review = move |status: &'static str| {
        let id = pair.id.clone();
        move |_| {
            let id = id.clone();
            spawn(async move {
                let review = PairReview { question: None, sql: None, status: status.to_owned() };
                match api::review_pair(id, review).await {
                    Ok(()) => on_reviewed.call(()),
                    Err(failure) => error.set(Some(failure.describe())),
                }
            });
        }
    };
    rsx! {
        li { class: "card pair",
            p { class: "question", strong { "{pair.question}" } }
            SqlCode { sql: pair.sql.clone() }
            div { class: "pair-foot",
                span { class: "badge", "{pair.status}" }
                span { class: "muted", {short_date(&pair.created_at)} }
                button { class: "small primary", onclick: review("verified"), {t(Text::Verify)} }
                button { class: "small danger", onclick: review("rejected"), {t(Text::Reject)} }
            }
            if let Some(message) = error() {
                p { class: "error", role: "alert", "{message}" }
            }
        }
    }
}
