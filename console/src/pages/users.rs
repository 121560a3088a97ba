//! Admin: the users — create one, change a role, disable or enable an account.

use dioxus::prelude::*;
use schemas::auth::{RegisterRequest, Role, UserInfo, UserUpdate};

use crate::api;
use crate::components::shell::{RequireRole, role_name};
use crate::components::sidebar::short_date;
use crate::i18n::{Text, t};

/// The users page.
#[component]
pub(crate) fn Users() -> Element {
    rsx! { RequireRole { role: Role::Admin, UsersPage {} } }
}

#[component]
fn UsersPage() -> Element {
    let mut users = use_resource(api::users);
    rsx! {
        div { class: "page wide users-page",
            h1 { {t(Text::Users)} }
            CreateUser { on_created: move |_| users.restart() }
            match &*users.read() {
                None => rsx! { p { class: "muted", {t(Text::Loading)} } },
                Some(Err(error)) => rsx! { p { class: "error", role: "alert", "{error.describe()}" } },
                Some(Ok(list)) => rsx! {
                    div { class: "table-wrap",
                        table { class: "data", id: "users-table",
                            thead {
                                tr {
                                    th { {t(Text::Username)} }
                                    th { {t(Text::FullName)} }
                                    th { {t(Text::Role)} }
                                    th { {t(Text::Access)} }
                                    th { {t(Text::Created)} }
                                }
                            }
                            tbody {
                                for user in list.iter().cloned() {
                                    UserRow { key: "{user.id}", user, on_changed: move |_| users.restart() }
                                }
                            }
                        }
                    }
                },
            }
        }
    }
}

#[component]
fn UserRow(user: UserInfo, on_changed: EventHandler<()>) -> Element {
    let mut error = use_signal(|| None::<String>);
    let update = move |id: String, update: UserUpdate| {
        spawn(async move {
            match api::update_user(id, update).await {
                Ok(_) => {
                    error.set(None);
                    on_changed.call(());
                }
                Err(failure) => error.set(Some(failure.describe())),
            }
        });
    };
    let (role_id, access_id) = (user.id.clone(), user.id.clone());
    let disabled = user.disabled;
    rsx! {
        tr { "data-username": "{user.username}", class: if disabled { "disabled" } else { "" },
            td { strong { "{user.username}" } }
            td { "{user.full_name}" }
            td {
                select {
                    "aria-label": "{t(Text::Role)} {user.username}",
                    value: user.role.as_str(),
                    onchange: move |event| {
                        if let Some(role) = Role::parse(&event.value()) {
                            update(role_id.clone(), UserUpdate { role: Some(role), ..UserUpdate::default() });
                        }
                    },
                    for role in Role::ALL {
                        option { value: role.as_str(), selected: role == user.role, {role_name(role)} }
                    }
                }
            }
            td {
                button {
                    class: if disabled { "small primary" } else { "small danger" },
                    onclick: move |_| {
                        update(access_id.clone(), UserUpdate { disabled: Some(!disabled), ..UserUpdate::default() });
                    },
                    if disabled { {t(Text::Enable)} } else { {t(Text::Disable)} }
                }
                if disabled {
                    span { class: "badge warn", {t(Text::DisabledBadge)} }
                }
                if let Some(message) = error() {
                    p { class: "error", role: "alert", "{message}" }
                }
            }
            td { class: "muted", {short_date(&user.created_at)} }
        }
    }
}

#[component]
fn CreateUser(on_created: EventHandler<()>) -> Element {
    let mut username = use_signal(String::new);
    let mut full_name = use_signal(String::new);
    let mut email = use_signal(String::new);
    let mut password = use_signal(String::new);
    let mut role = use_signal(|| Role::Analyst);
    let mut message = use_signal(|| None::<Result<String, String>>);
    rsx! {
        form {
            class: "card create-user",
            "aria-labelledby": "create-user-title",
            onsubmit: move |event: FormEvent| {
                event.prevent_default();
                let request = RegisterRequest {
                    username: username().trim().to_owned(),
                    password: password(),
                    full_name: full_name().trim().to_owned(),
                    email: Some(email().trim().to_owned()).filter(|email| !email.is_empty()),
                    role: Some(role()),
                };
                spawn(async move {
                    match api::create_user(request).await {
                        Ok(user) => {
                            message.set(Some(Ok(format!("{} {}", t(Text::UserCreated), user.username))));
                            for mut field in [username, full_name, email, password] {
                                field.set(String::new());
                            }
                            on_created.call(());
                        }
                        Err(failure) => message.set(Some(Err(failure.describe()))),
                    }
                });
            },
            h2 { id: "create-user-title", {t(Text::CreateUser)} }
            div { class: "form-grid",
                label { r#for: "new-username", {t(Text::Username)} }
                input { id: "new-username", required: true, value: "{username}", oninput: move |e| username.set(e.value()) }
                label { r#for: "new-full-name", {t(Text::FullName)} }
                input { id: "new-full-name", value: "{full_name}", oninput: move |e| full_name.set(e.value()) }
                label { r#for: "new-email", {t(Text::Email)} }
                input { id: "new-email", r#type: "email", value: "{email}", oninput: move |e| email.set(e.value()) }
                label { r#for: "new-password", {t(Text::Password)} }
                input {
                    id: "new-password",
                    r#type: "password",
                    autocomplete: "new-password",
                    required: true,
                    minlength: "10",
                    value: "{password}",
                    oninput: move |e| password.set(e.value()),
                }
                label { r#for: "new-role", {t(Text::Role)} }
                select {
                    id: "new-role",
                    onchange: move |e| role.set(Role::parse(&e.value()).unwrap_or(Role::Analyst)),
                    for option_role in Role::ALL {
                        option { value: option_role.as_str(), selected: option_role == role(), {role_name(option_role)} }
                    }
                }
            }
            button { r#type: "submit", class: "primary", {t(Text::CreateUser)} }
            match message() {
                Some(Ok(text)) => rsx! { p { class: "ok", role: "status", "{text}" } },
                Some(Err(text)) => rsx! { p { class: "error", role: "alert", "{text}" } },
                None => rsx! {},
            }
        }
    }
}
