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
    url: String,
    model: String,
}

impl LlmClient {
    /// Builds a client for the Ollama server at `url`; nothing is contacted yet.
    pub fn new(url: &str, model: &str) -> Result<Self, LlmError> {
        let ollama = Ollama::try_new(url)
            .map_err(|error| LlmError::InvalidUrl { url: url.to_owned(), reason: error.to_string() })?;
        Ok(Self { ollama, url: url.trim_end_matches('/').to_owned(), model: model.to_owned() })
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

/// Ollama names `foo` and `foo:latest` the same model.
fn canonical(name: &str) -> &str {
    name.strip_suffix(":latest").unwrap_or(name)
}

/// Renders an ollama-rs error with its causes: its own messages ("Reqwest error") say nothing.
fn describe(error: &ollama_rs::error::OllamaError) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text = format!("{text}: {cause}");
        source = cause.source();
    }
    text
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
    fn an_invalid_url_is_reported_with_the_variable_name() {
        let error = LlmClient::new("not a url", "m").expect_err("invalid");
        assert!(error.to_string().starts_with("OLLAMA_URL `not a url`"));
    }
}
