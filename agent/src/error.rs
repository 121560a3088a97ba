//! `ApiError`: the one error type handlers return, and the only place that picks HTTP status codes.
//!
//! Internal details stay on the server: an `Internal` error is logged once with its cause chain and the client
//! gets a generic message.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use schemas::ErrorBody;

/// Errors a handler can return; each maps to one status code and an [`ErrorBody`].
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No valid token, or wrong credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// A valid token whose role does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// The resource does not exist (or is not the caller's).
    #[error("{0}")]
    NotFound(String),
    /// The request conflicts with the current state (e.g. a taken username).
    #[error("{0}")]
    Conflict(String),
    /// The request is malformed or refused by a rule.
    #[error("{0}")]
    Invalid(String),
    /// The request body is too large.
    #[error("{0}")]
    TooLarge(String),
    /// Too many attempts: wait this many seconds.
    #[error("{message}")]
    TooManyRequests {
        /// What happened and what to do.
        message: String,
        /// Seconds to wait.
        retry_after: u64,
    },
    /// A dependency (LLM, warehouse, index) is out of reach; trying later may work.
    #[error("{0}")]
    Unavailable(String),
    /// A bug or an unexpected failure; details are logged, not sent.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Self::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            Self::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            Self::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            Self::TooManyRequests { .. } => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
            Self::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl From<indexer::IndexerError> for ApiError {
    fn from(error: indexer::IndexerError) -> Self {
        use indexer::ErrorKind;
        match error.kind() {
            ErrorKind::NotFound => Self::NotFound(error.to_string()),
            ErrorKind::Invalid => Self::Invalid(error.to_string()),
            ErrorKind::Unavailable => Self::Unavailable(error.to_string()),
            ErrorKind::Internal => Self::Internal(error.into()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let message = match &self {
            Self::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "internal error");
                "internal error: the details are in the server log".to_owned()
            }
            other => other.to_string(),
        };
        let mut response = (status, Json(ErrorBody { code: code.to_owned(), message })).into_response();
        if let Self::TooManyRequests { retry_after, .. } = &self
            && let Ok(value) = axum::http::HeaderValue::from_str(&retry_after.to_string())
        {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, value);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_do_not_leak_their_cause() {
        let response = ApiError::Internal(anyhow::anyhow!("password=hunter2 in query")).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn each_variant_has_its_own_status() {
        let cases = [
            (ApiError::Unauthorized("x".into()), StatusCode::UNAUTHORIZED),
            (ApiError::Forbidden("x".into()), StatusCode::FORBIDDEN),
            (ApiError::NotFound("x".into()), StatusCode::NOT_FOUND),
            (ApiError::Conflict("x".into()), StatusCode::CONFLICT),
            (ApiError::Invalid("x".into()), StatusCode::UNPROCESSABLE_ENTITY),
            (ApiError::TooLarge("x".into()), StatusCode::PAYLOAD_TOO_LARGE),
            (ApiError::TooManyRequests { message: "x".into(), retry_after: 1 }, StatusCode::TOO_MANY_REQUESTS),
            (ApiError::Unavailable("x".into()), StatusCode::SERVICE_UNAVAILABLE),
        ];
        for (error, status) in cases {
            assert_eq!(error.status_and_code().0, status);
        }
    }
}
