//! The conversation on screen: its turns, each answer built from the `ChatEvent`s as they stream in, and the one
//! question being answered (with the handle that stops it). Kept outside the pages so that moving from `/` to
//! `/c/{id}` when the server names a new conversation does not lose the answer being streamed.

use dioxus::prelude::*;
use schemas::conversation::MessageRecord;
use schemas::{ChatEvent, ChatMode, ChatRequest, ResultColumn};

use crate::api::{self, ApiError};
use crate::session;

/// The rows of one result.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ResultSet {
    /// One typed column each.
    pub columns: Vec<ResultColumn>,
    /// Rows returned.
    pub row_count: usize,
    /// More rows existed than the cap.
    pub truncated: bool,
    /// Time in the warehouse.
    pub elapsed_ms: u64,
}

/// The assistant's side of a turn.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Answer {
    /// The model's text so far.
    pub text: String,
    /// The steps shown on the timeline (retrieved, sql, guard, plan, repair, rows, error).
    pub steps: Vec<ChatEvent>,
    /// What the agent is doing now.
    pub status: Option<String>,
    /// Position in the model's queue while waiting.
    pub queued: Option<usize>,
    /// The last SQL statement.
    pub sql: Option<String>,
    /// What the last statement computes, in words (built without the model), shown above its rows.
    pub explanation: Option<String>,
    /// Its rows.
    pub rows: Option<ResultSet>,
    /// Rows of a saved answer (the rows themselves are not kept server-side).
    pub saved_row_count: Option<i64>,
    /// Tables of a saved answer.
    pub saved_tables: Vec<String>,
    /// `(code, message)` when the answer failed.
    pub error: Option<(String, String)>,
    /// The saved message, for feedback.
    pub message_id: Option<String>,
    /// 👍 (`true`) or 👎 (`false`), once given.
    pub feedback: Option<bool>,
    /// Whether the stream ended.
    pub finished: bool,
    /// Total time, when done.
    pub elapsed_ms: Option<u64>,
}

impl Answer {
    /// Applies one streamed event.
    pub(crate) fn apply(&mut self, event: ChatEvent) {
        self.queued = None;
        match event {
            ChatEvent::Started { .. } => {}
            ChatEvent::Saved { message_id } => self.message_id = Some(message_id),
            ChatEvent::Status { step } => self.status = Some(step),
            ChatEvent::Queued { position } => self.queued = Some(position),
            ChatEvent::Token { text } => self.text.push_str(&text),
            ChatEvent::Explanation { text } => self.explanation = Some(text),
            ChatEvent::Sql { ref sql, .. } => {
                self.sql = Some(sql.clone());
                self.steps.push(event);
            }
            ChatEvent::Rows { ref columns, row_count, truncated, elapsed_ms } => {
                self.rows = Some(ResultSet { columns: columns.clone(), row_count, truncated, elapsed_ms });
                self.steps.push(ChatEvent::Rows { columns: Vec::new(), row_count, truncated, elapsed_ms });
            }
            ChatEvent::Error { ref code, ref message, .. } => {
                self.error = Some((code.clone(), message.clone()));
                self.finished = true;
                self.status = None;
                self.steps.push(event);
            }
            ChatEvent::Done { elapsed_ms, .. } => {
                self.finished = true;
                self.status = None;
                self.elapsed_ms = Some(elapsed_ms);
            }
            ChatEvent::Retrieved { .. }
            | ChatEvent::Guard { .. }
            | ChatEvent::Plan { .. }
            | ChatEvent::Repair { .. } => self.steps.push(event),
        }
    }
}

/// A question and its answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Turn {
    /// The question.
    pub question: String,
    /// The mode it was asked in.
    pub mode: ChatMode,
    /// The answer.
    pub answer: Answer,
}

/// The conversation on screen.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Thread {
    /// Its id, once the server created it.
    pub conversation_id: Option<String>,
    /// Its turns, oldest first.
    pub turns: Vec<Turn>,
    /// Whether an answer is streaming.
    pub streaming: bool,
}

/// The conversation on screen.
pub(crate) static THREAD: GlobalSignal<Thread> = Signal::global(Thread::default);

/// Bumped when the list of conversations changes (a new one, a rename, a deletion).
pub(crate) static CONVERSATIONS_CHANGED: GlobalSignal<u32> = Signal::global(|| 0);

/// Stops the answer being streamed.
static ABORT: GlobalSignal<Option<web_sys::AbortController>> = Signal::global(|| None);

/// Starts an empty conversation.
pub(crate) fn start_new() {
    stop();
    *THREAD.write() = Thread::default();
}

/// Rebuilds the thread from a saved conversation.
pub(crate) fn show_saved(id: String, messages: Vec<MessageRecord>) {
    let mut turns: Vec<Turn> = Vec::new();
    for message in messages {
        if message.role == "user" {
            turns.push(Turn { question: message.content, mode: ChatMode::Sql, answer: Answer::default() });
            continue;
        }
        let answer = Answer {
            text: message.content,
            sql: message.sql,
            saved_row_count: message.row_count,
            explanation: message.explanation,
            saved_tables: message.tables,
            error: message.error.map(|error| (String::new(), error)),
            message_id: Some(message.id),
            feedback: message.feedback.map(|feedback| feedback == "up"),
            finished: true,
            ..Answer::default()
        };
        match turns.last_mut() {
            Some(turn) if turn.answer == Answer::default() => turn.answer = answer,
            _ => turns.push(Turn { question: String::new(), mode: ChatMode::Sql, answer }),
        }
    }
    *THREAD.write() = Thread { conversation_id: Some(id), turns, streaming: false };
}

/// Stops the answer being streamed, if any (the server cancels it when the connection closes).
pub(crate) fn stop() {
    if let Some(controller) = ABORT.write().take() {
        controller.abort();
    }
}

/// Asks `question` in the current conversation and streams the answer into the last turn. Calls `on_started`
/// with the conversation's id when the server names it.
pub(crate) fn ask(question: String, mode: ChatMode, on_started: impl Fn(String) + 'static) {
    let Ok(controller) = web_sys::AbortController::new() else { return };
    let signal = controller.signal();
    *ABORT.write() = Some(controller);
    let conversation_id = THREAD.peek().conversation_id.clone();
    {
        let mut thread = THREAD.write();
        thread.streaming = true;
        thread.turns.push(Turn { question: question.clone(), mode, answer: Answer::default() });
    }
    session::set_draft(String::new());
    // Owned by the app, not by the page: moving to `/c/{id}` when the server names the conversation unmounts the
    // page that asked, and the answer must keep streaming.
    dioxus::core::spawn_forever(async move {
        let request = ChatRequest { question: question.clone(), mode, history: Vec::new(), conversation_id };
        let outcome = api::chat(&request, &signal, |event| {
            if let ChatEvent::Started { conversation_id } = &event {
                THREAD.write().conversation_id = Some(conversation_id.clone());
                *CONVERSATIONS_CHANGED.write() += 1;
                on_started(conversation_id.clone());
            }
            if let Some(turn) = THREAD.write().turns.last_mut() {
                turn.answer.apply(event);
            }
        })
        .await;
        *ABORT.write() = None;
        // The answer is saved now: the sidebar's message counts and order change.
        *CONVERSATIONS_CHANGED.write() += 1;
        let mut thread = THREAD.write();
        thread.streaming = false;
        match outcome {
            // An expired session must not lose the question: it goes back into the box for after the sign-in.
            Err(ApiError::Unauthorized) => {
                thread.turns.pop();
                session::set_draft(question);
            }
            Err(error) => {
                if let Some(turn) = thread.turns.last_mut() {
                    let code = if error == ApiError::Aborted { "cancelled" } else { "request_failed" };
                    turn.answer.error.get_or_insert((code.to_owned(), error.describe()));
                    turn.answer.finished = true;
                    turn.answer.status = None;
                }
            }
            Ok(()) => {
                if let Some(turn) = thread.turns.last_mut().filter(|turn| !turn.answer.finished) {
                    turn.answer.finished = true;
                    turn.answer.status = None;
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_build_the_answer_and_done_finishes_it() {
        let mut answer = Answer::default();
        answer.apply(ChatEvent::Queued { position: 2 });
        assert_eq!(answer.queued, Some(2));
        answer.apply(ChatEvent::Status { step: "generating".into() });
        assert_eq!(answer.queued, None);
        answer.apply(ChatEvent::Token { text: "SEL".into() });
        answer.apply(ChatEvent::Token { text: "ECT".into() });
        answer.apply(ChatEvent::Sql { sql: "SELECT 1".into(), attempt: 0 });
        answer.apply(ChatEvent::Rows { columns: Vec::new(), row_count: 1, truncated: false, elapsed_ms: 3 });
        answer.apply(ChatEvent::Saved { message_id: "m1".into() });
        answer.apply(ChatEvent::Done {
            elapsed_ms: 10,
            prompt_tokens: 1,
            completion_tokens: 1,
            prompt_evaluated_tokens: None,
            model_calls: 1,
        });
        assert_eq!(answer.text, "SELECT");
        assert_eq!(answer.sql.as_deref(), Some("SELECT 1"));
        assert_eq!(answer.rows.as_ref().map(|rows| rows.row_count), Some(1));
        assert_eq!(answer.steps.len(), 2);
        assert_eq!(answer.message_id.as_deref(), Some("m1"));
        assert!(answer.finished && answer.status.is_none());
    }

    #[test]
    fn an_error_event_finishes_the_answer_with_its_code() {
        let mut answer = Answer::default();
        let error = ChatEvent::Error {
            code: "llm_unavailable".into(),
            message: "start ollama".into(),
            prompt_tokens: 0,
            completion_tokens: 0,
            prompt_evaluated_tokens: None,
            model_calls: 0,
        };
        answer.apply(error);
        assert!(answer.finished);
        assert_eq!(answer.error, Some(("llm_unavailable".into(), "start ollama".into())));
    }
}
