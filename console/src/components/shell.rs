//! The frame around every page: the top bar (navigation by role, language, theme, the user and sign-out) and
//! the sign-in gate. Without a session (or once the server refused it) the page's place shows the sign-in form;
//! after signing in the same page comes back, with the typed question still there.

use dioxus::prelude::*;
use schemas::auth::Role;

use crate::Route;
use crate::api;
use crate::i18n::{self, Text, t};
use crate::pages::login::LoginForm;
use crate::session::{self, SESSION};
use crate::theme::{self, DARK};
use crate::thread;

/// Wraps the routed pages.
#[component]
pub(crate) fn Shell() -> Element {
    let session = SESSION.read().clone();
    rsx! {
        header { class: "topbar no-print",
            Link { class: "brand", to: Route::Chat {}, "Pstral" }
            if let Some(session) = &session {
                nav { class: "main-nav", "aria-label": t(Text::Navigation),
                    Link { to: Route::Chat {}, active_class: "active", {t(Text::Chat)} }
                    if session.user.role >= Role::Steward {
                        Link { to: Route::Catalog {}, active_class: "active", {t(Text::Catalog)} }
                        Link { to: Route::Pairs {}, active_class: "active", {t(Text::Pairs)} }
                        Link { to: Route::IndexStatus {}, active_class: "active", {t(Text::IndexPage)} }
                    }
                    if session.user.role >= Role::Admin {
                        Link { to: Route::Users {}, active_class: "active", {t(Text::Users)} }
                        Link { to: Route::Audit {}, active_class: "active", {t(Text::Audit)} }
                    }
                    Link { to: Route::Status {}, active_class: "active", {t(Text::ServiceStatus)} }
                }
            }
            div { class: "topbar-tools",
                button {
                    class: "ghost",
                    lang: i18n::LANGUAGE().toggled().code(),
                    "aria-label": t(Text::SwitchLanguageLabel),
                    onclick: move |_| i18n::toggle(),
                    {t(Text::SwitchLanguage)}
                }
                button {
                    class: "ghost icon theme-toggle",
                    "aria-label": t(Text::ToggleTheme),
                    title: t(Text::ToggleTheme),
                    "aria-pressed": "{DARK()}",
                    onclick: move |_| theme::toggle(),
                    if DARK() { "☀" } else { "☾" }
                }
                if let Some(session) = &session {
                    span { class: "user", title: session.user.role.as_str(),
                        "{session.user.username} · {role_name(session.user.role)}"
                    }
                    button {
                        class: "ghost sign-out",
                        onclick: move |_| {
                            // The next user must not see this one's conversation or draft.
                            thread::start_new();
                            session::set_draft(String::new());
                            navigator().push(Route::Chat {});
                            spawn(async move {
                                let _ignored = api::logout().await;
                                session::sign_out();
                            });
                        },
                        {t(Text::SignOut)}
                    }
                }
            }
        }
        main { class: "content",
            if session.is_some() {
                Outlet::<Route> {}
            } else {
                LoginForm {}
            }
        }
    }
}

/// Returns a role's name in the current language.
pub(crate) fn role_name(role: Role) -> &'static str {
    match role {
        Role::Analyst => t(Text::RoleAnalyst),
        Role::Steward => t(Text::RoleSteward),
        Role::Admin => t(Text::RoleAdmin),
    }
}

/// Shows `children` only to users with at least `role`; others see why not.
#[component]
pub(crate) fn RequireRole(role: Role, children: Element) -> Element {
    if session::role().is_some_and(|current| current >= role) {
        children
    } else {
        rsx! {
            div { class: "page",
                div { class: "forbidden card", role: "alert",
                    h2 { {t(Text::ForbiddenTitle)} }
                    p { "{t(Text::ForbiddenNeeds)} {role_name(role)}." }
                    Link { to: Route::Chat {}, active_class: "active", {t(Text::BackToChat)} }
                }
            }
        }
    }
}
