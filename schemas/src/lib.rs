//! Wire types shared by the agent and the console.
//!
//! Owns every type that crosses the HTTP boundary. It must not depend on anything but serde, uuid and time (and
//! schemars behind the `openapi` feature, for the agent's OpenAPI document),
//! and must build for `wasm32-unknown-unknown`. New fields take `#[serde(default)]`; nothing is renamed in place.

pub mod admin;
pub mod auth;
pub mod chat;
pub mod conversation;
pub mod error;
pub mod export;
pub mod health;

pub use chat::{ChatEvent, ChatMode, ChatRequest, ChatTurn, CodeLabel, ColumnValues, ResultColumn, RetrievedTableInfo};
pub use error::ErrorBody;
pub use health::{DependencyHealth, DependencyState, HealthResponse, ServiceStatus};
