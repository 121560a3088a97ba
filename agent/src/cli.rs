//! Subcommands other than `serve`: `index`, `eval`, `bench`. Each prints its figures; none starts the HTTP server.

pub mod bench;
pub mod eval;
pub mod execution;
pub mod guard;
pub mod index;
mod load;
mod overhead;
mod progress;
pub(crate) mod synthetic;
