//! The LLM: Ollama (through ollama-rs for the model list, our own reader for the stream) or any OpenAI-compatible
//! server (vLLM, llama.cpp, LM Studio), chosen per backend at start-up. Turns their terse errors into messages a
//! person can act on. [`LlmPool`] sends each generation to the least busy backend.
//!
//! It must not build prompts or read the catalog: the agent loop does that.

use std::time::Duration;

use ollama_rs::Ollama;

/// The protocol a backend speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// Ollama's `/api/chat` (NDJSON stream).
    Ollama,
    /// OpenAI's `/chat/completions` (Server-Sent Events), as vLLM, llama.cpp and LM Studio serve it.
    OpenAi,
}

impl std::fmt::Display for Protocol {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(match self {
            Self::Ollama => "ollama",
            Self::OpenAi => "the OpenAI-compatible server",
        })
    }
}

impl Protocol {
    fn start_hint(self) -> &'static str {
        match self {
            Self::Ollama => "start it (`ollama serve`) or set OLLAMA_URL",
            Self::OpenAi => "start it or fix its URL in PSTRAL_LLM_BACKENDS",
        }
    }

    fn pull_hint(self, model: &str) -> String {
        match self {
            Self::Ollama => format!("run `ollama pull {model}` or set OLLAMA_MODEL"),
            Self::OpenAi => "serve that model there or set OLLAMA_MODEL to a model it lists at /models".to_owned(),
        }
    }
}

/// Errors from the LLM server, worded for the person who has to fix them.
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    /// The configured URL cannot be used.
    #[error("OLLAMA_URL `{url}` is not a valid url: {reason}")]
    InvalidUrl {
        /// The URL as configured.
        url: String,
        /// The parser's reason.
        reason: String,
    },
    /// Nothing answers at the URL.
    #[error("{server} at {url} does not answer ({cause}): {}", server.start_hint())]
    Unreachable {
        /// Which kind of server.
        server: Protocol,
        /// The server's URL.
        url: String,
        /// What the HTTP client saw.
        cause: String,
    },
    /// The server refused the request (HTTP error).
    #[error("{server} at {url} refused the request (HTTP {status}): {message}")]
    Refused {
        /// Which kind of server.
        server: Protocol,
        /// The server's URL.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// The answer could not be read: the server sent something that is not Ollama's stream format.
    #[error("{server} at {url} sent an unreadable answer ({detail}): check that its URL points to {server}")]
    Garbled {
        /// Which kind of server.
        server: Protocol,
        /// The server's URL.
        url: String,
        /// What was wrong.
        detail: String,
    },
    /// The stream stopped before the model finished.
    #[error("{server} at {url} stopped answering mid-stream ({cause}): try again")]
    Interrupted {
        /// Which kind of server.
        server: Protocol,
        /// The server's URL.
        url: String,
        /// What the HTTP client saw.
        cause: String,
    },
    /// The server answers but does not have the model.
    #[error("{server} at {url} has no model `{model}`: {}", server.pull_hint(model))]
    ModelMissing {
        /// Which kind of server.
        server: Protocol,
        /// The server's URL.
        url: String,
        /// The configured model.
        model: String,
    },
}

/// One LLM server and the model Pstral asks it for.
#[derive(Debug, Clone)]
pub struct LlmClient {
    protocol: Protocol,
    ollama: Option<Ollama>,
    http: reqwest::Client,
    url: String,
    model: String,
    api_key: Option<String>,
}

/// Sampling settings of one generation.
#[derive(Debug, Clone)]
pub struct GenerationOptions {
    /// 0 for SQL: the most likely answer, reproducible.
    pub temperature: f32,
    /// Context window in tokens (prompt and answer).
    pub num_ctx: u64,
    /// Most tokens generated.
    pub num_predict: i32,
    /// Sequences that end the answer.
    pub stop: Vec<String>,
    /// How long Ollama keeps the model loaded after the request (`30m`).
    pub keep_alive: String,
}

impl Default for GenerationOptions {
    fn default() -> Self {
        Self { temperature: 0.0, num_ctx: 8192, num_predict: 400, stop: Vec::new(), keep_alive: "30m".to_owned() }
    }
}

/// A piece of a streamed answer.
#[derive(Debug, Clone, PartialEq)]
pub enum LlmChunk {
    /// Generated text.
    Text(String),
    /// The end, with the server's token counts.
    Done {
        /// Prompt tokens read.
        prompt_tokens: u64,
        /// Tokens generated.
        completion_tokens: u64,
        /// Prompt tokens the server evaluated, the others coming from its prompt cache, when it says: an
        /// OpenAI-compatible server's `usage.prompt_tokens_details.cached_tokens` (llama.cpp, vLLM). Ollama's API
        /// has one count, `prompt_eval_count`.
        prompt_evaluated: Option<u64>,
    },
}

/// One line of Ollama's `/api/chat` stream.
#[derive(Debug, serde::Deserialize)]
struct StreamLine {
    #[serde(default)]
    message: Option<StreamMessage>,
    #[serde(default)]
    done: bool,
    #[serde(default)]
    prompt_eval_count: u64,
    #[serde(default)]
    eval_count: u64,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
struct StreamMessage {
    #[serde(default)]
    content: String,
}

impl LlmClient {
    /// Builds a client for the Ollama server at `url`; nothing is contacted yet.
    pub fn new(url: &str, model: &str) -> Result<Self, LlmError> {
        let ollama = Ollama::try_new(url)
            .map_err(|error| LlmError::InvalidUrl { url: url.to_owned(), reason: error.to_string() })?;
        let mut client = Self::openai(url, model, None)?;
        client.protocol = Protocol::Ollama;
        client.ollama = Some(ollama);
        Ok(client)
    }

    /// Builds a client for an OpenAI-compatible server whose API root is `url` (e.g. `http://host:8000/v1`).
    pub fn openai(url: &str, model: &str, api_key: Option<String>) -> Result<Self, LlmError> {
        let parsed = reqwest::Url::parse(url)
            .map_err(|error| LlmError::InvalidUrl { url: url.to_owned(), reason: error.to_string() })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(LlmError::InvalidUrl { url: url.to_owned(), reason: "use http:// or https://".to_owned() });
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|error| LlmError::InvalidUrl { url: url.to_owned(), reason: error.to_string() })?;
        Ok(Self {
            protocol: Protocol::OpenAi,
            ollama: None,
            http,
            url: url.trim_end_matches('/').to_owned(),
            model: model.to_owned(),
            api_key,
        })
    }

    /// Returns the protocol.
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// Returns the server's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Returns the model name.
    pub fn model(&self) -> &str {
        &self.model
    }

    /// Checks that the server answers within `timeout` and has the model.
    pub async fn probe(&self, timeout: Duration) -> Result<(), LlmError> {
        let server = self.protocol;
        let unreachable = |cause: String| LlmError::Unreachable { server, url: self.url.clone(), cause };
        let too_slow = || unreachable(format!("no answer within {} ms", timeout.as_millis()));
        let names: Vec<String> = match &self.ollama {
            Some(ollama) => tokio::time::timeout(timeout, ollama.list_local_models())
                .await
                .map_err(|_| too_slow())?
                .map_err(|error| unreachable(describe(&error)))?
                .into_iter()
                .map(|model| model.name)
                .collect(),
            None => {
                let request = self.authorised(self.http.get(format!("{}/models", self.url)));
                let response = tokio::time::timeout(timeout, request.send())
                    .await
                    .map_err(|_| too_slow())?
                    .map_err(|error| unreachable(error_chain(&error)))?;
                if !response.status().is_success() {
                    let status = response.status().as_u16();
                    return Err(LlmError::Refused {
                        server,
                        url: self.url.clone(),
                        status,
                        message: "GET /models".into(),
                    });
                }
                let listing: serde_json::Value = response.json().await.map_err(|error| LlmError::Garbled {
                    server,
                    url: self.url.clone(),
                    detail: error_chain(&error),
                })?;
                listing["data"]
                    .as_array()
                    .map(|models| models.iter().filter_map(|model| model["id"].as_str().map(str::to_owned)).collect())
                    .unwrap_or_default()
            }
        };
        let wanted = canonical(&self.model);
        if names.iter().any(|name| canonical(name) == wanted) {
            Ok(())
        } else {
            Err(LlmError::ModelMissing { server, url: self.url.clone(), model: self.model.clone() })
        }
    }

    fn authorised(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.api_key {
            Some(key) => request.bearer_auth(key),
            None => request,
        }
    }
}

impl LlmClient {
    /// Streams the model's answer to `messages` (`(role, content)` pairs) from Ollama's `/api/chat`.
    ///
    /// The stream is read here rather than through ollama-rs, whose reader drops a chunk that splits a UTF-8
    /// character (French accents) and skips unreadable lines silently; here both are handled and reported.
    pub async fn chat_stream(
        &self,
        messages: &[(String, String)],
        options: &GenerationOptions,
    ) -> Result<impl futures_util::Stream<Item = Result<LlmChunk, LlmError>> + Send + use<>, LlmError> {
        let messages: Vec<serde_json::Value> =
            messages.iter().map(|(role, content)| serde_json::json!({"role": role, "content": content})).collect();
        let (path, body, parse): (&str, serde_json::Value, LineParser) = match self.protocol {
            Protocol::Ollama => ("/api/chat", self.ollama_body(messages, options), parse_line),
            Protocol::OpenAi => ("/chat/completions", self.openai_body(messages, options), parse_openai_line),
        };
        let server = self.protocol;
        let url = self.url.clone();
        let send = || self.authorised(self.http.post(format!("{url}{path}"))).json(&body).send();
        // A kept-alive connection the server closed while idle fails the request before it is sent ("connection
        // closed before message completed"); a generation has not started then, so it is sent once more, on a
        // new connection. A server that is down refuses the second try as fast as the first.
        let response = match send().await {
            Ok(response) => Ok(response),
            Err(_) => send().await,
        }
        .map_err(|error| LlmError::Unreachable { server, url: url.clone(), cause: error_chain(&error) })?;
        let status = response.status();
        if !status.is_success() {
            let text = response.text().await.unwrap_or_default();
            let value = serde_json::from_str::<serde_json::Value>(&text).ok();
            let message = value
                .as_ref()
                .and_then(|value| {
                    value.get("error").and_then(|error| error.as_str().or_else(|| error["message"].as_str()))
                })
                .map(str::to_owned)
                .unwrap_or(text);
            if status.as_u16() == 404 && message.contains("not found") {
                return Err(LlmError::ModelMissing { server, url, model: self.model.clone() });
            }
            return Err(LlmError::Refused { server, url, status: status.as_u16(), message });
        }
        Ok(line_chunks(response.bytes_stream(), server, url, parse))
    }

    fn openai_body(&self, messages: Vec<serde_json::Value>, options: &GenerationOptions) -> serde_json::Value {
        let mut body = serde_json::json!({
            "model": self.model,
            "messages": messages,
            "stream": true,
            "stream_options": {"include_usage": true},
            "temperature": options.temperature,
            "max_tokens": options.num_predict,
            "seed": 0,
        });
        if !options.stop.is_empty() {
            body["stop"] = serde_json::json!(options.stop);
        }
        body
    }

    fn ollama_body(&self, messages: Vec<serde_json::Value>, options: &GenerationOptions) -> serde_json::Value {
        serde_json::json!({
            "model": self.model,
            "messages": messages,
            "stream": true,
            "keep_alive": options.keep_alive,
            "options": {
                "temperature": options.temperature,
                "num_ctx": options.num_ctx,
                "num_predict": options.num_predict,
                "stop": options.stop,
                "seed": 0,
            },
        })
    }
}

/// Reads one line of a stream; `None` for a line without content. The usage seen so far is carried for servers
/// that send it before their end marker.
type LineParser = fn(&[u8], Protocol, &str, &mut OpenAiUsage) -> Option<Result<LlmChunk, LlmError>>;

/// Turns a line-based stream (Ollama's NDJSON, OpenAI's SSE) into chunks, splitting on bytes so no character is
/// ever cut.
fn line_chunks(
    bytes: impl futures_util::Stream<Item = Result<bytes::Bytes, reqwest::Error>> + Send + 'static,
    server: Protocol,
    url: String,
    parse: LineParser,
) -> impl futures_util::Stream<Item = Result<LlmChunk, LlmError>> + Send {
    use futures_util::StreamExt;
    let state = (
        Box::pin(bytes),
        Vec::<u8>::new(),
        std::collections::VecDeque::<Result<LlmChunk, LlmError>>::new(),
        false,
        OpenAiUsage::default(),
    );
    futures_util::stream::unfold(state, move |(mut bytes, mut buffer, mut ready, mut finished, mut usage)| {
        let url = url.clone();
        async move {
            loop {
                if let Some(item) = ready.pop_front() {
                    return Some((item, (bytes, buffer, ready, finished, usage)));
                }
                if finished {
                    return None;
                }
                match bytes.next().await {
                    Some(Ok(chunk)) => {
                        buffer.extend_from_slice(&chunk);
                        while let Some(position) = buffer.iter().position(|byte| *byte == b'\n') {
                            let line: Vec<u8> = buffer.drain(..=position).collect();
                            if let Some(item) = parse(&line, server, &url, &mut usage) {
                                finished |= matches!(item, Ok(LlmChunk::Done { .. }) | Err(_));
                                ready.push_back(item);
                            }
                        }
                    }
                    Some(Err(error)) => {
                        finished = true;
                        let cause = error_chain(&error);
                        ready.push_back(Err(LlmError::Interrupted { server, url: url.clone(), cause }));
                    }
                    None => {
                        finished = true;
                        let rest = std::mem::take(&mut buffer);
                        match parse(&rest, server, &url, &mut usage) {
                            Some(item) => ready.push_back(item),
                            None => ready.push_back(Err(LlmError::Interrupted {
                                server,
                                url: url.clone(),
                                cause: "the stream ended before `done`".to_owned(),
                            })),
                        }
                    }
                }
            }
        }
    })
}

/// Reads a line as trimmed UTF-8; `None` for a blank line.
fn line_text<'a>(line: &'a [u8], server: Protocol, url: &str) -> Option<Result<&'a str, LlmError>> {
    match std::str::from_utf8(line).map(str::trim) {
        Ok("") => None,
        Ok(text) => Some(Ok(text)),
        Err(_) => {
            Some(Err(LlmError::Garbled { server, url: url.to_owned(), detail: "a line is not UTF-8".to_owned() }))
        }
    }
}

/// Parses a line as JSON, or says what was wrong with it.
fn json_line<T: serde::de::DeserializeOwned>(text: &str, server: Protocol, url: &str) -> Result<T, LlmError> {
    serde_json::from_str(text).map_err(|error| {
        let preview: String = text.chars().take(80).collect();
        LlmError::Garbled { server, url: url.to_owned(), detail: format!("{error} in `{preview}`") }
    })
}

/// Parses one line of Ollama's stream; `None` for a blank line.
fn parse_line(
    line: &[u8],
    server: Protocol,
    url: &str,
    _usage: &mut OpenAiUsage,
) -> Option<Result<LlmChunk, LlmError>> {
    let text = match line_text(line, server, url)? {
        Ok(text) => text,
        Err(error) => return Some(Err(error)),
    };
    let parsed: StreamLine = match json_line(text, server, url) {
        Ok(parsed) => parsed,
        Err(error) => return Some(Err(error)),
    };
    if let Some(error) = parsed.error {
        return Some(Err(LlmError::Refused { server, url: url.to_owned(), status: 200, message: error }));
    }
    if parsed.done {
        return Some(Ok(LlmChunk::Done {
            prompt_tokens: parsed.prompt_eval_count,
            completion_tokens: parsed.eval_count,
            prompt_evaluated: None,
        }));
    }
    let content = parsed.message.map(|message| message.content).unwrap_or_default();
    (!content.is_empty()).then_some(Ok(LlmChunk::Text(content)))
}

/// Token counts of an OpenAI-compatible stream, from its last chunk.
#[derive(Debug, Default, Clone, Copy)]
struct OpenAiUsage {
    prompt: u64,
    completion: u64,
    /// Prompt tokens served from the server's cache, when it says.
    cached: Option<u64>,
}

/// Parses one line of an OpenAI-compatible SSE stream: `data: {…}` chunks, usage in the last one, `data: [DONE]`.
fn parse_openai_line(
    line: &[u8],
    server: Protocol,
    url: &str,
    usage: &mut OpenAiUsage,
) -> Option<Result<LlmChunk, LlmError>> {
    let text = match line_text(line, server, url)? {
        Ok(text) => text,
        Err(error) => return Some(Err(error)),
    };
    let Some(data) = text.strip_prefix("data:").map(str::trim) else {
        // Comments (`: keep-alive`) and other SSE fields.
        return None;
    };
    if data == "[DONE]" {
        return Some(Ok(LlmChunk::Done {
            prompt_tokens: usage.prompt,
            completion_tokens: usage.completion,
            prompt_evaluated: usage.cached.map(|cached| usage.prompt.saturating_sub(cached)),
        }));
    }
    let value: serde_json::Value = match json_line(data, server, url) {
        Ok(value) => value,
        Err(error) => return Some(Err(error)),
    };
    if let Some(error) = value.get("error") {
        let message = error["message"].as_str().or_else(|| error.as_str()).unwrap_or("unknown error").to_owned();
        return Some(Err(LlmError::Refused { server, url: url.to_owned(), status: 200, message }));
    }
    if let Some(counts) = value.get("usage").filter(|counts| !counts.is_null()) {
        *usage = OpenAiUsage {
            prompt: counts["prompt_tokens"].as_u64().unwrap_or(0),
            completion: counts["completion_tokens"].as_u64().unwrap_or(0),
            cached: counts["prompt_tokens_details"]["cached_tokens"].as_u64(),
        };
    }
    let content = value["choices"][0]["delta"]["content"].as_str().unwrap_or_default();
    (!content.is_empty()).then(|| Ok(LlmChunk::Text(content.to_owned())))
}

/// Several backends answering the same model; each generation goes to the least busy one, and among those to the one
/// that last read the same stable prompt part (its prompt cache still holds it).
#[derive(Debug, Clone)]
pub struct LlmPool {
    backends: std::sync::Arc<Vec<Backend>>,
}

#[derive(Debug)]
struct Backend {
    client: LlmClient,
    busy: std::sync::atomic::AtomicUsize,
    /// Key of the stable prompt part this backend read last (0: none).
    cached: std::sync::atomic::AtomicU64,
}

/// A generation in flight on one backend; dropping it frees the backend.
pub struct Lease<'a> {
    busy: &'a std::sync::atomic::AtomicUsize,
    /// The backend to use.
    pub client: &'a LlmClient,
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        self.busy.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// The key of a stable prompt part, for routing (never 0).
pub fn prefix_key(stable_part: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    stable_part.hash(&mut hasher);
    hasher.finish().max(1)
}

impl LlmPool {
    /// A pool of `clients` (at least one).
    pub fn new(clients: Vec<LlmClient>) -> Self {
        Self {
            backends: std::sync::Arc::new(
                clients.into_iter().map(|client| Backend { client, busy: 0.into(), cached: 0.into() }).collect(),
            ),
        }
    }

    /// Returns the backends.
    pub fn clients(&self) -> impl Iterator<Item = &LlmClient> {
        self.backends.iter().map(|backend| &backend.client)
    }

    /// Takes the least busy backend, preferring among equals the one whose cache holds the stable part `prefix`
    /// (see [`prefix_key`]), else the first; `None` for an empty pool.
    pub fn lease(&self, prefix: Option<u64>) -> Option<Lease<'_>> {
        use std::sync::atomic::Ordering;
        let least = self.backends.iter().map(|backend| backend.busy.load(Ordering::SeqCst)).min()?;
        let idle = || self.backends.iter().filter(|backend| backend.busy.load(Ordering::SeqCst) == least);
        let backend = prefix
            .and_then(|key| idle().find(|backend| backend.cached.load(Ordering::SeqCst) == key))
            .or_else(|| idle().next())?;
        backend.busy.fetch_add(1, Ordering::SeqCst);
        if let Some(key) = prefix {
            backend.cached.store(key, Ordering::SeqCst);
        }
        Some(Lease { busy: &backend.busy, client: &backend.client })
    }

    /// Records that `client` read the stable part `prefix` (a warm-up), so questions with it go there.
    pub fn mark_cached(&self, client: &LlmClient, prefix: u64) {
        if let Some(backend) = self.backends.iter().find(|backend| std::ptr::eq(&backend.client, client)) {
            backend.cached.store(prefix, std::sync::atomic::Ordering::SeqCst);
        }
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text = format!("{text}: {cause}");
        source = cause.source();
    }
    text
}

/// Ollama names `foo` and `foo:latest` the same model.
fn canonical(name: &str) -> &str {
    name.strip_suffix(":latest").unwrap_or(name)
}

/// Renders an ollama-rs error with its causes: its own messages ("Reqwest error") say nothing.
fn describe(error: &ollama_rs::error::OllamaError) -> String {
    error_chain(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_ignores_the_latest_tag() {
        assert_eq!(canonical("ministral-3:latest"), "ministral-3");
        assert_eq!(canonical("ministral-3:3b"), "ministral-3:3b");
    }

    #[test]
    fn stream_lines_become_chunks_and_errors() {
        let url = "http://ollama";
        let parse = |line: &[u8]| parse_line(line, Protocol::Ollama, url, &mut OpenAiUsage::default());
        let text = parse(br#"{"message":{"role":"assistant","content":"SELECT"},"done":false}"#);
        assert!(matches!(text, Some(Ok(LlmChunk::Text(ref token))) if token == "SELECT"));
        let done = parse(br#"{"done":true,"prompt_eval_count":120,"eval_count":30}"#);
        assert!(matches!(
            done,
            Some(Ok(LlmChunk::Done { prompt_tokens: 120, completion_tokens: 30, prompt_evaluated: None }))
        ));
        assert!(matches!(parse(b"<html>"), Some(Err(LlmError::Garbled { .. }))));
        assert!(matches!(parse(br#"{"error":"model crashed"}"#), Some(Err(LlmError::Refused { .. }))));
        assert!(parse(b"  \n").is_none());
    }

    #[test]
    fn openai_stream_lines_become_chunks_with_usage() {
        let url = "http://vllm/v1";
        let mut usage = OpenAiUsage::default();
        let mut parse = |line: &[u8]| parse_openai_line(line, Protocol::OpenAi, url, &mut usage);
        let text = parse(br#"data: {"choices":[{"index":0,"delta":{"content":"SELECT 1"}}]}"#);
        assert!(matches!(text, Some(Ok(LlmChunk::Text(ref token))) if token == "SELECT 1"));
        assert!(parse(b": keep-alive").is_none());
        assert!(parse(br#"data: {"choices":[],"usage":{"prompt_tokens":90,"completion_tokens":7}}"#).is_none());
        assert!(matches!(
            parse(b"data: [DONE]"),
            Some(Ok(LlmChunk::Done { prompt_tokens: 90, completion_tokens: 7, prompt_evaluated: None }))
        ));
        let cached = br#"data: {"choices":[],"usage":{"prompt_tokens":557,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":550}}}"#;
        assert!(parse(cached).is_none());
        assert!(
            matches!(
                parse(b"data: [DONE]"),
                Some(Ok(LlmChunk::Done { prompt_tokens: 557, prompt_evaluated: Some(7), .. }))
            ),
            "the cached tokens are not evaluated"
        );
        assert!(matches!(parse(br#"data: {"error":{"message":"overloaded"}}"#), Some(Err(LlmError::Refused { .. }))));
        assert!(matches!(parse(b"data: <html>"), Some(Err(LlmError::Garbled { .. }))));
    }

    #[test]
    fn the_pool_leases_the_least_busy_backend() {
        let pool = LlmPool::new(vec![
            LlmClient::new("http://a:11434", "m").expect("a"),
            LlmClient::openai("http://b:8000/v1", "m", None).expect("b"),
        ]);
        let first = pool.lease(None).expect("a backend");
        assert_eq!(first.client.url(), "http://a:11434");
        let second = pool.lease(None).expect("a backend");
        assert_eq!(second.client.url(), "http://b:8000/v1");
        drop(first);
        assert_eq!(pool.lease(None).expect("a backend").client.url(), "http://a:11434");
    }

    #[test]
    fn among_idle_backends_the_one_holding_the_stable_part_is_chosen() {
        let pool = LlmPool::new(vec![
            LlmClient::new("http://a:11434", "m").expect("a"),
            LlmClient::new("http://b:11434", "m").expect("b"),
        ]);
        let (analysts, other) = (prefix_key("stable part of analysts"), prefix_key("stable part of a grant"));
        let b = pool.clients().nth(1).expect("b").clone();
        pool.mark_cached(pool.clients().nth(1).expect("b"), analysts);
        assert_eq!(pool.lease(Some(analysts)).expect("a backend").client.url(), b.url());
        // A part nobody holds goes to the first idle one, which then holds it.
        assert_eq!(pool.lease(Some(other)).expect("a backend").client.url(), "http://a:11434");
        assert_eq!(pool.lease(Some(other)).expect("a backend").client.url(), "http://a:11434");
        // A busy holder does not keep the others idle.
        let busy = pool.lease(Some(analysts)).expect("b");
        assert_eq!(busy.client.url(), b.url());
        assert_eq!(pool.lease(Some(analysts)).expect("a backend").client.url(), "http://a:11434");
    }

    #[tokio::test]
    async fn a_character_split_across_chunks_survives() {
        use futures_util::StreamExt;
        let line = "{\"message\":{\"content\":\"résilié\"},\"done\":false}\n{\"done\":true}\n".as_bytes().to_vec();
        let split = line.iter().position(|byte| *byte == 0xc3).expect("an accent") + 1;
        let chunks: Vec<Result<bytes::Bytes, reqwest::Error>> =
            vec![Ok(bytes::Bytes::from(line[..split].to_vec())), Ok(bytes::Bytes::from(line[split..].to_vec()))];
        let items: Vec<_> =
            line_chunks(futures_util::stream::iter(chunks), Protocol::Ollama, "http://ollama".into(), parse_line)
                .collect()
                .await;
        assert!(matches!(&items[0], Ok(LlmChunk::Text(text)) if text == "résilié"), "{items:?}");
        assert!(matches!(items[1], Ok(LlmChunk::Done { .. })));
    }

    #[tokio::test]
    async fn a_connection_closed_before_the_request_is_read_is_tried_once_more() {
        use futures_util::StreamExt;
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        tokio::spawn(async move {
            // The first connection is closed without an answer, as a server closes an idle kept-alive one.
            let (first, _) = listener.accept().await.expect("first connection");
            drop(first);
            let (mut second, _) = listener.accept().await.expect("second connection");
            let mut request = vec![0u8; 65_536];
            let _read = second.read(&mut request).await;
            let body = "{\"message\":{\"content\":\"SELECT 1\"},\"done\":false}\n{\"done\":true}\n";
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/x-ndjson\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            second.write_all(response.as_bytes()).await.expect("answer");
        });
        let client = LlmClient::new(&format!("http://{address}"), "m").expect("client");
        let messages = [("user".to_owned(), "question".to_owned())];
        let stream =
            client.chat_stream(&messages, &GenerationOptions::default()).await.expect("the second try answers");
        let items: Vec<_> = stream.collect().await;
        assert!(matches!(&items[0], Ok(LlmChunk::Text(text)) if text == "SELECT 1"), "{items:?}");
    }

    #[test]
    fn an_invalid_url_is_reported_with_the_variable_name() {
        let error = LlmClient::new("not a url", "m").expect_err("invalid");
        assert!(error.to_string().starts_with("OLLAMA_URL `not a url`"));
    }
}
