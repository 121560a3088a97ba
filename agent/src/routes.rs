//! HTTP routes: one file per resource, each exposing `router() -> Router<AppState>`.

pub mod console;
pub mod health;
