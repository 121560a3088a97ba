//! The conversation sidebar: the user's conversations kept server-side, searched, renamed, deleted, exported.

use dioxus::prelude::*;
use schemas::conversation::{CONVERSATION_PAGE, ConversationSummary};
use schemas::export::ExportFormat;

use crate::Route;
use crate::api;
use crate::browser;
use crate::i18n::{Text, t};
use crate::thread::{self, CONVERSATIONS_CHANGED, THREAD};

/// Lists the conversations; the current one is highlighted.
#[component]
pub(crate) fn Sidebar() -> Element {
    let mut search = use_signal(String::new);
    let list = use_resource(move || {
        let search = search();
        let _changed = CONVERSATIONS_CHANGED();
        async move { api::conversations(search, None).await }
    });
    // Pages after the first, loaded on demand; they belong to one listing, so a new search or a change of the
    // conversations starts again from the first page.
    let mut older = use_signal(Older::default);
    let mut loading = use_signal(|| false);
    let listing = (search(), CONVERSATIONS_CHANGED());
    let shown = older.read().listing == listing;
    let mut load_older = move |last: Option<String>| {
        let listing = (search(), CONVERSATIONS_CHANGED());
        loading.set(true);
        spawn(async move {
            let page = api::conversations(listing.0.clone(), last).await;
            loading.set(false);
            let mut older = older.write();
            if older.listing != listing {
                *older = Older { listing, ..Older::default() };
            }
            match page {
                Ok(page) => {
                    older.exhausted = (page.len() as u32) < CONVERSATION_PAGE;
                    for conversation in page {
                        if !older.conversations.iter().any(|loaded| loaded.id == conversation.id) {
                            older.conversations.push(conversation);
                        }
                    }
                    older.error = None;
                }
                Err(failure) => older.error = Some(failure.describe()),
            }
        });
    };
    let current = THREAD.read().conversation_id.clone();
    rsx! {
        aside { class: "sidebar no-print", "aria-label": t(Text::Conversations),
            button {
                class: "primary new-conversation",
                onclick: move |_| {
                    thread::start_new();
                    navigator().push(Route::Chat {});
                },
                "+ {t(Text::NewConversation)}"
            }
            label { class: "visually-hidden", r#for: "conversation-search", {t(Text::SearchConversations)} }
            input {
                id: "conversation-search",
                r#type: "search",
                placeholder: t(Text::SearchConversations),
                value: "{search}",
                oninput: move |event| search.set(event.value()),
            }
            match &*list.read() {
                None => rsx! { p { class: "muted", {t(Text::Loading)} } },
                Some(Err(error)) => rsx! { p { class: "error", "{error.describe()}" } },
                Some(Ok(conversations)) if conversations.is_empty() => rsx! {
                    p { class: "muted", {t(Text::NoConversations)} }
                },
                Some(Ok(conversations)) => {
                    let older = older.read();
                    let (loaded, exhausted, error) = if shown {
                        (older.conversations.as_slice(), older.exhausted, older.error.clone())
                    } else {
                        (&[][..], false, None)
                    };
                    let more = conversations.len() as u32 == CONVERSATION_PAGE && !exhausted;
                    let last = loaded.last().or(conversations.last()).map(|conversation| conversation.id.clone());
                    rsx! {
                        ul { class: "conversations",
                            for conversation in conversations.iter().chain(loaded).cloned() {
                                ConversationItem {
                                    key: "{conversation.id}",
                                    current: current.as_deref() == Some(conversation.id.as_str()),
                                    conversation,
                                }
                            }
                        }
                        if let Some(error) = error {
                            p { class: "error", "{error}" }
                        }
                        if more {
                            button {
                                class: "older-conversations",
                                disabled: loading(),
                                onclick: move |_| load_older(last.clone()),
                                {t(Text::OlderConversations)}
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The pages loaded after the first one of a listing (search text, change count).
#[derive(Debug, Default)]
struct Older {
    listing: (String, u32),
    conversations: Vec<ConversationSummary>,
    exhausted: bool,
    error: Option<String>,
}

#[component]
fn ConversationItem(conversation: ConversationSummary, current: bool) -> Element {
    let mut renaming = use_signal(|| false);
    let mut title = use_signal(|| conversation.title.clone());
    let mut error = use_signal(|| None::<String>);
    let id = conversation.id.clone();
    let (rename_id, delete_id, export_id) = (id.clone(), id.clone(), id.clone());
    let save = move || {
        let id = rename_id.clone();
        let new_title = title();
        spawn(async move {
            match api::rename_conversation(id, new_title).await {
                Ok(_) => {
                    renaming.set(false);
                    *CONVERSATIONS_CHANGED.write() += 1;
                }
                Err(failure) => error.set(Some(failure.describe())),
            }
        });
    };
    let save_on_enter = save.clone();
    let save_on_click = save;
    rsx! {
        li { class: if current { "conversation current" } else { "conversation" },
            if renaming() {
                label { class: "visually-hidden", r#for: "rename-{id}", {t(Text::Rename)} }
                input {
                    id: "rename-{id}",
                    value: "{title}",
                    oninput: move |event| title.set(event.value()),
                    onkeydown: move |event: KeyboardEvent| {
                        if event.key() == Key::Enter {
                            save_on_enter();
                        } else if event.key() == Key::Escape {
                            renaming.set(false);
                        }
                    },
                }
                button { class: "icon", "aria-label": t(Text::Save), onclick: move |_| save_on_click(), "✓" }
            } else {
                Link { class: "conversation-link", to: Route::Conversation { id: id.clone() },
                    span { class: "title", "{conversation.title}" }
                    span { class: "meta", "{conversation.message_count} · {short_date(&conversation.updated_at)}" }
                }
                div { class: "conversation-actions",
                    button {
                        class: "icon",
                        "aria-label": t(Text::Rename),
                        title: t(Text::Rename),
                        onclick: move |_| renaming.set(true),
                        "✎"
                    }
                    button {
                        class: "icon",
                        "aria-label": t(Text::ExportConversation),
                        title: t(Text::ExportConversation),
                        onclick: move |_| {
                            let id = export_id.clone();
                            spawn(async move {
                                if let Err(failure) = api::export_conversation(id, ExportFormat::Xlsx).await {
                                    error.set(Some(failure.describe()));
                                }
                            });
                        },
                        "⤓"
                    }
                    button {
                        class: "icon danger",
                        "aria-label": t(Text::Delete),
                        title: t(Text::Delete),
                        onclick: move |_| {
                            if !browser::confirm(t(Text::ConfirmDelete)) {
                                return;
                            }
                            let id = delete_id.clone();
                            spawn(async move {
                                match api::delete_conversation(id.clone()).await {
                                    Ok(()) => {
                                        if THREAD.peek().conversation_id.as_deref() == Some(id.as_str()) {
                                            thread::start_new();
                                            navigator().push(Route::Chat {});
                                        }
                                        *CONVERSATIONS_CHANGED.write() += 1;
                                    }
                                    Err(failure) => error.set(Some(failure.describe())),
                                }
                            });
                        },
                        "✕"
                    }
                }
            }
            if let Some(message) = error() {
                p { class: "error", "{message}" }
            }
        }
    }
}

/// Returns `YYYY-MM-DD HH:MM` from an RFC 3339 moment.
pub(crate) fn short_date(moment: &str) -> String {
    moment.get(..16).unwrap_or(moment).replace('T', " ")
}
