//! Subcommands other than `serve`: `index`, `eval`, `bench`, `guard`. Each prints its figures; `eval --demo` and
//! `bench load` start the service in-process on loopback, as `serve` builds it.

pub mod bench;
pub mod eval;
pub mod execution;
pub mod guard;
pub mod index;
mod load;
mod overhead;
pub mod product;
mod progress;
pub(crate) mod synthetic;
