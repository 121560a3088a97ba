//! Sign-in: the `/login` page, and the form the shell shows in place of any page without a session.

use dioxus::prelude::*;

use crate::Route;
use crate::api::{self, ApiError};
use crate::i18n::{Text, t};
use crate::pages::status::ServiceSummary;
use crate::session::{self, SESSION, Session};

/// The `/login` page. The shell shows the form while no one is signed in; once someone is, this goes to the chat.
#[component]
pub(crate) fn Login() -> Element {
    use_effect(|| {
        if SESSION.read().is_some() {
            navigator().replace(Route::Chat {});
        }
    });
    rsx! {}
}

/// The sign-in form.
#[component]
pub(crate) fn LoginForm() -> Element {
    let mut username = use_signal(String::new);
    let mut password = use_signal(String::new);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<String>);
    let expired = use_hook(|| session::token().is_none() && !session::DRAFT.peek().is_empty());
    rsx! {
        div { class: "login-page",
            form {
                class: "card login",
                "aria-labelledby": "login-title",
                onsubmit: move |event: FormEvent| {
                    event.prevent_default();
                    busy.set(true);
                    spawn(async move {
                        match api::login(username(), password()).await {
                            Ok(response) => {
                                password.set(String::new());
                                error.set(None);
                                session::sign_in(Session::from_token(response));
                            }
                            Err(ApiError::Server { message, .. }) if !message.is_empty() => error.set(Some(message)),
                            Err(ApiError::Server { .. }) => error.set(Some(t(Text::LoginFailed).to_owned())),
                            Err(other) => error.set(Some(other.describe())),
                        }
                        busy.set(false);
                    });
                },
                h1 { id: "login-title", "Pstral" }
                p { class: "muted", {t(Text::Tagline)} }
                if expired {
                    p { class: "notice", role: "status", {t(Text::SignInAgain)} }
                }
                label { r#for: "login-username", {t(Text::Username)} }
                input {
                    id: "login-username",
                    name: "username",
                    autocomplete: "username",
                    required: true,
                    value: "{username}",
                    oninput: move |event| username.set(event.value()),
                }
                label { r#for: "login-password", {t(Text::Password)} }
                input {
                    id: "login-password",
                    name: "password",
                    r#type: "password",
                    autocomplete: "current-password",
                    required: true,
                    value: "{password}",
                    oninput: move |event| password.set(event.value()),
                }
                if let Some(message) = error() {
                    p { class: "error", role: "alert", "{message}" }
                }
                button { r#type: "submit", class: "primary", disabled: busy(), {t(Text::SignIn)} }
                ServiceSummary {}
            }
        }
    }
}
