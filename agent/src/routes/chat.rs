//! `POST /api/v1/chat`: a question in, the agent's events out as Server-Sent Events.
//!
//! Three tasks per question: the agent loop ([`Answerer::answer`]) sends events to a recorder; the recorder keeps
//! what must be saved (text, SQL, verdicts, row count), forwards each event to the client's stream, and when the
//! answer ends — normally, in error, or because the client left — saves the assistant's message and the audit rows
//! in one transaction. A client that disconnects closes the recorder's side, which stops the agent loop and with it
//! the model's generation.
//!
//! [`Answerer::answer`]: crate::answer::Answerer::answer

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use schemas::{ChatEvent, ChatRequest, ChatTurn};
use tokio::sync::mpsc;

use super::JsonBody;
use crate::auth::{CurrentUser, RequestContext};
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::startup::AppState;
use crate::store::{AssistantMessage, AuditRecord, Store};

/// Longest question accepted, in characters.
pub const MAX_QUESTION: usize = 4_000;

/// `POST /api/v1/chat`.
pub async fn chat(
    State(state): State<AppState>,
    user: CurrentUser,
    context: RequestContext,
    JsonBody(mut request): JsonBody<ChatRequest>,
) -> Result<([(&'static str, &'static str); 1], Sse<impl Stream<Item = Result<Event, Infallible>>>), ApiError> {
    let question = request.question.trim().to_owned();
    if question.is_empty() {
        return Err(ApiError::Invalid("the question is empty: type a question".into()));
    }
    if question.chars().count() > MAX_QUESTION {
        return Err(ApiError::Invalid(format!("the question is longer than {MAX_QUESTION} characters: shorten it")));
    }
    let mut audit = context.audit(Some(&user), "chat.question");
    audit.details = serde_json::json!({"question": question, "mode": request.mode});
    let conversation_id = state
        .store
        .record_question(&user.id, request.conversation_id.as_deref(), &question, &audit)
        .await?
        .ok_or_else(|| ApiError::NotFound("this conversation is not among yours: start a new one".into()))?;
    let max_history = state.answerer.options.max_history;
    let mut history = state.store.history(&conversation_id, max_history + 1).await?;
    history.pop(); // the question just saved
    request.question = question;
    request.history = history.into_iter().map(|(role, content)| ChatTurn { role, content }).collect();
    request.conversation_id = Some(conversation_id.clone());

    let permissions = crate::permissions::Permissions::for_user(&state, &user).await?;
    let (agent_events, from_agent) = mpsc::channel(64);
    let (to_client, client_events) = mpsc::channel(64);
    let answerer = state.answerer.clone();
    tokio::spawn(async move { answerer.answer(request, permissions, agent_events).await });
    let audit = AuditRecord { resource: Some(format!("conversation:{conversation_id}")), ..audit };
    let recorder = Recorder {
        store: state.store.clone(),
        metrics: Arc::clone(&state.metrics),
        conversation_id,
        audit,
        message: AssistantMessage::default(),
    };
    tokio::spawn(recorder.run(from_agent, to_client));

    let stream = futures_util::stream::unfold(client_events, |mut events| async move {
        let event = events.recv().await?;
        let sse = Event::default().json_data(&event).unwrap_or_else(|_| Event::default().data("{}"));
        Some((Ok(sse), events))
    });
    // `X-Accel-Buffering: no` keeps a buffering proxy (nginx) from holding events back.
    Ok(([("x-accel-buffering", "no")], Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))))
}

/// Keeps what an answer produced and saves it when the answer ends.
struct Recorder {
    store: Store,
    metrics: Arc<Metrics>,
    conversation_id: String,
    audit: AuditRecord,
    message: AssistantMessage,
}

impl Recorder {
    async fn run(mut self, mut from_agent: mpsc::Receiver<ChatEvent>, to_client: mpsc::Sender<ChatEvent>) {
        let mut audits = Vec::new();
        let _ = to_client.send(ChatEvent::Started { conversation_id: self.conversation_id.clone() }).await;
        let terminal = loop {
            let event = tokio::select! {
                event = from_agent.recv() => event,
                () = to_client.closed() => None,
            };
            let Some(event) = event else { break None };
            self.keep(&event, &mut audits);
            if event.is_terminal() {
                break Some(event);
            }
            if to_client.send(event).await.is_err() {
                break None;
            }
        };
        // Dropping the agent's channel stops the loop (and the model) if it still runs.
        drop(from_agent);
        if terminal.is_none() {
            self.message.error = Some("cancelled: the client disconnected before the end".to_owned());
            audits.push(self.audit.with("chat.cancelled", "cancelled", serde_json::json!({})));
            self.metrics.answer("cancelled");
        }
        match self.store.record_answer(&self.conversation_id, &self.message, &audits).await {
            Ok(message_id) => {
                let _ = to_client.send(ChatEvent::Saved { message_id }).await;
            }
            Err(error) => tracing::error!(error = format!("{error:#}"), "failed to save an answer"),
        }
        if let Some(terminal) = terminal {
            let _ = to_client.send(terminal).await;
        }
    }

    /// Keeps what the message and the audit log need from one event.
    fn keep(&mut self, event: &ChatEvent, audits: &mut Vec<AuditRecord>) {
        let audit = &self.audit;
        match event {
            ChatEvent::Token { text } => self.message.content.push_str(text),
            ChatEvent::Retrieved { tables, .. } => {
                self.message.tables = tables.iter().map(|table| table.name.clone()).collect();
            }
            ChatEvent::Sql { sql, attempt } => {
                self.message.sql = Some(sql.clone());
                audits.push(audit.with("chat.sql", "ok", serde_json::json!({"sql": sql, "attempt": attempt})));
            }
            ChatEvent::Guard { allowed, rule, message } => {
                let status = if *allowed { "ok" } else { "refused" };
                if !allowed {
                    self.metrics.refusal(rule);
                }
                audits.push(audit.with(
                    "chat.guard",
                    status,
                    serde_json::json!({"allowed": allowed, "rule": rule, "message": message}),
                ));
            }
            ChatEvent::Explanation { text } => self.message.explanation = Some(text.clone()),
            ChatEvent::Rows { row_count, truncated, elapsed_ms, .. } => {
                self.message.row_count = i64::try_from(*row_count).ok();
                audits.push(audit.with(
                    "chat.execute",
                    "ok",
                    serde_json::json!({"row_count": row_count, "truncated": truncated, "elapsed_ms": elapsed_ms}),
                ));
            }
            ChatEvent::Error { code, message, prompt_tokens, completion_tokens, .. } => {
                self.metrics.answer(code);
                self.metrics.tokens(*prompt_tokens, *completion_tokens);
                self.message.error = Some(message.clone());
                audits.push(audit.with("chat.error", "failed", serde_json::json!({"code": code, "message": message})));
            }
            ChatEvent::Done { elapsed_ms, prompt_tokens, completion_tokens, prompt_evaluated_tokens, model_calls } => {
                self.metrics.answer("done");
                self.metrics.tokens(*prompt_tokens, *completion_tokens);
                audits.push(audit.with(
                    "chat.done",
                    "ok",
                    serde_json::json!({
                        "elapsed_ms": elapsed_ms,
                        "prompt_tokens": prompt_tokens,
                        "prompt_evaluated_tokens": prompt_evaluated_tokens,
                        "completion_tokens": completion_tokens,
                        "model_calls": model_calls
                    }),
                ));
            }
            _ => {}
        }
    }
}
