//! The error body every failing endpoint returns.

use serde::{Deserialize, Serialize};

/// Describes a failed request: a stable machine code and a message a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ErrorBody {
    /// Stable code, e.g. `unauthorized`, `invalid`, `unavailable`.
    pub code: String,
    /// Lowercase sentence saying what happened and what to do.
    pub message: String,
}
