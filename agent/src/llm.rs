//! The LLM: Ollama through ollama-rs. Turns its terse errors into messages a person can act on.
//!
//! It must not build prompts or read the catalog: the agent loop does that.

use std::time::Duration;

use ollama_rs::Ollama;

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
    #[error("ollama at {url} does not answer ({cause}): start it (`ollama serve`) or set OLLAMA_URL")]
    Unreachable {
        /// The server's URL.
        url: String,
        /// What the HTTP client saw.
        cause: String,
    },
    /// The server refused the request (HTTP error).
    #[error("ollama at {url} refused the request (HTTP {status}): {message}")]
    Refused {
        /// The server's URL.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// The answer could not be read: the server sent something that is not Ollama's stream format.
    #[error("ollama at {url} sent an unreadable answer ({detail}): check that OLLAMA_URL points to Ollama")]
    Garbled {
        /// The server's URL.
        url: String,
        /// What was wrong.
        detail: String,
    },
    /// The stream stopped before the model finished.
    #[error("ollama at {url} stopped answering mid-stream ({cause}): try again")]
    Interrupted {
        /// The server's URL.
        url: String,
        /// What the HTTP client saw.
        cause: String,
    },
    /// The server answers but does not have the model.
    #[error("ollama at {url} has no model `{model}`: run `ollama pull {model}` or set OLLAMA_MODEL")]
    ModelMissing {
        /// The server's URL.
        url: String,
        /// The configured model.
        model: String,
    },
}

/// One Ollama server and the model Pstral asks it for.
#[derive(Debug, Clone)]
pub struct LlmClient {
    ollama: Ollama,
    http: reqwest::Client,
    url: String,
    model: String,
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
        Self { temperature: 0.0, num_ctx: 4096, num_predict: 400, stop: Vec::new(), keep_alive: "30m".to_owned() }
    }
}

/// A piece of a streamed answer.
#[derive(Debug, Clone, PartialEq)]
pub enum LlmChunk {
    /// Generated text.
    Text(String),
    /// The end, with Ollama's token counts.
    Done {
        /// Prompt tokens read.
        prompt_tokens: u64,
        /// Tokens generated.
        completion_tokens: u64,
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
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|error| LlmError::InvalidUrl { url: url.to_owned(), reason: error.to_string() })?;
        Ok(Self { ollama, http, url: url.trim_end_matches('/').to_owned(), model: model.to_owned() })
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
        let unreachable = |cause: String| LlmError::Unreachable { url: self.url.clone(), cause };
        let models = tokio::time::timeout(timeout, self.ollama.list_local_models())
            .await
            .map_err(|_| unreachable(format!("no answer within {} ms", timeout.as_millis())))?
            .map_err(|error| unreachable(describe(&error)))?;
        let wanted = canonical(&self.model);
        if models.iter().any(|model| canonical(&model.name) == wanted) {
            Ok(())
        } else {
            Err(LlmError::ModelMissing { url: self.url.clone(), model: self.model.clone() })
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
        let body = serde_json::json!({
            "model": self.model,
            "messages": messages.iter().map(|(role, content)| serde_json::json!({"role": role, "content": content})).collect::<Vec<_>>(),
            "stream": true,
            "keep_alive": options.keep_alive,
            "options": {
                "temperature": options.temperature,
                "num_ctx": options.num_ctx,
                "num_predict": options.num_predict,
                "stop": options.stop,
                "seed": 0,
            },
        });
        let url = self.url.clone();
        let response = self
            .http
            .post(format!("{url}/api/chat"))
            .json(&body)
            .send()
            .await
            .map_err(|error| LlmError::Unreachable { url: url.clone(), cause: error_chain(&error) })?;
        let status = response.status();
        if !status.is_success() {
            let text = response.text().await.unwrap_or_default();
            let message = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|value| value.get("error").and_then(|error| error.as_str()).map(str::to_owned))
                .unwrap_or(text);
            if status.as_u16() == 404 && message.contains("not found") {
                return Err(LlmError::ModelMissing { url, model: self.model.clone() });
            }
            return Err(LlmError::Refused { url, status: status.as_u16(), message });
        }
        let bytes = response.bytes_stream();
        Ok(ndjson_chunks(bytes, url))
    }
}

/// Turns Ollama's newline-delimited JSON into chunks, splitting on bytes so no character is ever cut.
fn ndjson_chunks(
    bytes: impl futures_util::Stream<Item = Result<bytes::Bytes, reqwest::Error>> + Send + 'static,
    url: String,
) -> impl futures_util::Stream<Item = Result<LlmChunk, LlmError>> + Send {
    use futures_util::StreamExt;
    let state =
        (Box::pin(bytes), Vec::<u8>::new(), std::collections::VecDeque::<Result<LlmChunk, LlmError>>::new(), false);
    futures_util::stream::unfold(state, move |(mut bytes, mut buffer, mut ready, mut finished)| {
        let url = url.clone();
        async move {
            loop {
                if let Some(item) = ready.pop_front() {
                    return Some((item, (bytes, buffer, ready, finished)));
                }
                if finished {
                    return None;
                }
                match bytes.next().await {
                    Some(Ok(chunk)) => {
                        buffer.extend_from_slice(&chunk);
                        while let Some(position) = buffer.iter().position(|byte| *byte == b'\n') {
                            let line: Vec<u8> = buffer.drain(..=position).collect();
                            if let Some(item) = parse_line(&line, &url) {
                                finished |= matches!(item, Ok(LlmChunk::Done { .. }) | Err(_));
                                ready.push_back(item);
                            }
                        }
                    }
                    Some(Err(error)) => {
                        finished = true;
                        ready.push_back(Err(LlmError::Interrupted { url: url.clone(), cause: error_chain(&error) }));
                    }
                    None => {
                        finished = true;
                        let rest = std::mem::take(&mut buffer);
                        match parse_line(&rest, &url) {
                            Some(item) => ready.push_back(item),
                            None => ready.push_back(Err(LlmError::Interrupted {
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

/// Parses one stream line; `None` for a blank line.
fn parse_line(line: &[u8], url: &str) -> Option<Result<LlmChunk, LlmError>> {
    let text = std::str::from_utf8(line).map(str::trim);
    let text = match text {
        Ok("") => return None,
        Ok(text) => text,
        Err(_) => {
            return Some(Err(LlmError::Garbled { url: url.to_owned(), detail: "a line is not UTF-8".to_owned() }));
        }
    };
    let parsed: StreamLine = match serde_json::from_str(text) {
        Ok(parsed) => parsed,
        Err(error) => {
            let preview: String = text.chars().take(80).collect();
            return Some(Err(LlmError::Garbled { url: url.to_owned(), detail: format!("{error} in `{preview}`") }));
        }
    };
    if let Some(error) = parsed.error {
        return Some(Err(LlmError::Refused { url: url.to_owned(), status: 200, message: error }));
    }
    if parsed.done {
        return Some(Ok(LlmChunk::Done {
            prompt_tokens: parsed.prompt_eval_count,
            completion_tokens: parsed.eval_count,
        }));
    }
    let content = parsed.message.map(|message| message.content).unwrap_or_default();
    (!content.is_empty()).then_some(Ok(LlmChunk::Text(content)))
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
        let text = parse_line(br#"{"message":{"role":"assistant","content":"SELECT"},"done":false}"#, url);
        assert!(matches!(text, Some(Ok(LlmChunk::Text(ref token))) if token == "SELECT"));
        let done = parse_line(br#"{"done":true,"prompt_eval_count":120,"eval_count":30}"#, url);
        assert!(matches!(done, Some(Ok(LlmChunk::Done { prompt_tokens: 120, completion_tokens: 30 }))));
        assert!(matches!(parse_line(b"<html>", url), Some(Err(LlmError::Garbled { .. }))));
        assert!(matches!(parse_line(br#"{"error":"model crashed"}"#, url), Some(Err(LlmError::Refused { .. }))));
        assert!(parse_line(b"  \n", url).is_none());
    }

    #[tokio::test]
    async fn a_character_split_across_chunks_survives() {
        use futures_util::StreamExt;
        let line = "{\"message\":{\"content\":\"résilié\"},\"done\":false}\n{\"done\":true}\n".as_bytes().to_vec();
        let split = line.iter().position(|byte| *byte == 0xc3).expect("an accent") + 1;
        let chunks: Vec<Result<bytes::Bytes, reqwest::Error>> =
            vec![Ok(bytes::Bytes::from(line[..split].to_vec())), Ok(bytes::Bytes::from(line[split..].to_vec()))];
        let items: Vec<_> = ndjson_chunks(futures_util::stream::iter(chunks), "http://ollama".into()).collect().await;
        assert!(matches!(&items[0], Ok(LlmChunk::Text(text)) if text == "résilié"), "{items:?}");
        assert!(matches!(items[1], Ok(LlmChunk::Done { .. })));
    }

    #[test]
    fn an_invalid_url_is_reported_with_the_variable_name() {
        let error = LlmClient::new("not a url", "m").expect_err("invalid");
        assert!(error.to_string().starts_with("OLLAMA_URL `not a url`"));
    }
}
