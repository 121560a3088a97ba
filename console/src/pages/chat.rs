//! The chat: the conversation sidebar, the thread of questions and answers, and the composer (mode switch,
//! Enter sends, Shift+Enter adds a line, stop while an answer streams).

use dioxus::prelude::*;
use schemas::ChatMode;

use crate::Route;
use crate::api;
use crate::browser;
use crate::components::sidebar::Sidebar;
use crate::components::turn_view::TurnView;
use crate::i18n::{Text, t};
use crate::session::{self, DRAFT};
use crate::thread::{self, THREAD};

/// A new conversation.
#[component]
pub(crate) fn Chat() -> Element {
    use_hook(|| {
        if THREAD.peek().conversation_id.is_some() && !THREAD.peek().streaming {
            thread::start_new();
        }
    });
    rsx! { ChatLayout {} }
}

/// A saved conversation, loaded unless it is the one on screen (for example, just named by the server).
#[component]
pub(crate) fn Conversation(id: String) -> Element {
    let mut error = use_signal(|| None::<String>);
    use_effect(use_reactive!(|id| {
        if THREAD.peek().conversation_id.as_deref() == Some(id.as_str()) {
            return;
        }
        thread::stop();
        spawn(async move {
            match api::conversation(id.clone()).await {
                Ok(detail) => {
                    error.set(None);
                    thread::show_saved(id, detail.messages);
                }
                Err(failure) => error.set(Some(failure.describe())),
            }
        });
    }));
    rsx! {
        if let Some(message) = error() {
            p { class: "error banner", role: "alert", "{message}" }
        }
        ChatLayout {}
    }
}

#[component]
fn ChatLayout() -> Element {
    let thread = THREAD.read().clone();
    // Follows the answer as it streams in.
    use_effect(|| {
        if THREAD.read().streaming {
            browser::scroll_to_bottom("turns");
        }
    });
    rsx! {
        div { class: "chat",
            Sidebar {}
            section { class: "thread", "aria-label": t(Text::Conversation),
                div { class: "turns", id: "turns",
                    if thread.turns.is_empty() {
                        div { class: "empty-thread",
                            h2 { {t(Text::AskTitle)} }
                            p { class: "muted", {t(Text::AskHint)} }
                        }
                    }
                    for (index, turn) in thread.turns.iter().cloned().enumerate() {
                        TurnView { key: "{index}", index, turn, conversation_id: thread.conversation_id.clone() }
                    }
                }
                Composer { streaming: thread.streaming }
            }
        }
    }
}

#[component]
fn Composer(streaming: bool) -> Element {
    let mut mode = use_signal(|| ChatMode::Sql);
    // Taken here: the answer streams in a task owned by the app, outside the router's scope.
    let router = navigator();
    let send = move || {
        let question = DRAFT.peek().trim().to_owned();
        if question.is_empty() || THREAD.peek().streaming {
            return;
        }
        thread::ask(question, mode(), move |id| {
            router.replace(Route::Conversation { id });
        });
    };
    let send_on_enter = send;
    let send_on_submit = send;
    rsx! {
        form {
            class: "composer no-print",
            onsubmit: move |event: FormEvent| {
                event.prevent_default();
                send_on_submit();
            },
            div { class: "mode-switch", role: "radiogroup", "aria-label": t(Text::Mode),
                button {
                    r#type: "button",
                    role: "radio",
                    "aria-checked": "{mode() == ChatMode::Sql}",
                    class: if mode() == ChatMode::Sql { "chosen" } else { "" },
                    onclick: move |_| mode.set(ChatMode::Sql),
                    "SQL"
                }
                button {
                    r#type: "button",
                    role: "radio",
                    "aria-checked": "{mode() == ChatMode::Chat}",
                    class: if mode() == ChatMode::Chat { "chosen" } else { "" },
                    onclick: move |_| mode.set(ChatMode::Chat),
                    {t(Text::Discussion)}
                }
            }
            label { class: "visually-hidden", r#for: "question", {t(Text::Question)} }
            textarea {
                id: "question",
                rows: "2",
                placeholder: t(Text::QuestionPlaceholder),
                value: "{DRAFT}",
                oninput: move |event| session::set_draft(event.value()),
                onkeydown: move |event: KeyboardEvent| {
                    if event.key() == Key::Enter && !event.modifiers().contains(Modifiers::SHIFT) {
                        event.prevent_default();
                        send_on_enter();
                    }
                },
            }
            if streaming {
                button {
                    r#type: "button",
                    class: "stop",
                    "aria-label": t(Text::Stop),
                    onclick: move |_| thread::stop(),
                    "■ {t(Text::Stop)}"
                }
            } else {
                button { r#type: "submit", class: "primary send", "aria-label": t(Text::Send), "➤" }
            }
        }
    }
}
