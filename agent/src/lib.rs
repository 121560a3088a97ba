//! Pstral's service: configuration, start-up, the HTTP API, the store and the LLM client.

pub mod answer;
pub mod auth;
pub mod cli;
pub mod config;
pub mod error;
pub mod export;
pub mod guard;
pub mod indexing;
pub mod llm;
pub mod metrics;
pub mod openapi;
pub mod permissions;
pub mod queue;
pub mod routes;
pub mod shutdown;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod warehouse;
pub mod warmup;
