//! Pstral's web console: launches the Dioxus app and declares its routes.
//!
//! The console talks to the agent only through `api`; it has no server functions. Shared state lives in a few
//! global signals: the session (`session`), the conversation on screen (`thread`), the language and the theme.

mod api;
mod browser;
mod components;
mod i18n;
mod pages;
mod session;
mod theme;
mod thread;

use dioxus::prelude::*;

use crate::components::shell::Shell;
use crate::pages::audit::Audit;
use crate::pages::catalog::{Catalog, CatalogTable};
use crate::pages::chat::{Chat, Conversation};
use crate::pages::index_status::IndexStatus;
use crate::pages::login::Login;
use crate::pages::pairs::Pairs;
use crate::pages::status::Status;
use crate::pages::users::Users;

/// The console's pages. Every page sits in the shell, which asks for a sign-in first.
#[derive(Debug, Clone, PartialEq, Routable)]
#[rustfmt::skip]
pub(crate) enum Route {
    #[layout(Shell)]
        /// A new conversation.
        #[route("/")]
        Chat {},
        /// A saved conversation.
        #[route("/c/:id")]
        Conversation { id: String },
        /// The sign-in page.
        #[route("/login")]
        Login {},
        /// Stewards: the catalog.
        #[route("/steward/catalog")]
        Catalog {},
        /// Stewards: one table of the catalog.
        #[route("/steward/catalog/:name")]
        CatalogTable { name: String },
        /// Stewards: question→SQL pairs to review.
        #[route("/steward/pairs")]
        Pairs {},
        /// Stewards: the schema index.
        #[route("/steward/index")]
        IndexStatus {},
        /// Admins: users.
        #[route("/admin/users")]
        Users {},
        /// Admins: the audit log.
        #[route("/admin/audit")]
        Audit {},
        /// The service's health.
        #[route("/status")]
        Status {},
}

fn main() {
    theme::apply_saved();
    i18n::apply_saved();
    dioxus::launch(App);
}

/// The root component: renders the current route.
#[component]
fn App() -> Element {
    rsx! {
        div { class: "app", Router::<Route> {} }
    }
}
