//! Pstral's web console: launches the Dioxus app and declares its routes.
//!
//! The console talks to the agent only through `api`; it has no server functions.

mod api;
mod i18n;
mod pages;

use dioxus::prelude::*;

use crate::i18n::Language;
use crate::pages::home::Home;

/// The console's pages.
#[derive(Debug, Clone, PartialEq, Routable)]
enum Route {
    /// The start page: service status.
    #[route("/")]
    Home {},
}

fn main() {
    dioxus::launch(App);
}

/// The root component: provides the language and renders the current route.
#[component]
fn App() -> Element {
    let language = use_context_provider(|| Signal::new(Language::from_browser()));
    rsx! {
        div { class: "app", lang: language.read().code(), Router::<Route> {} }
    }
}
