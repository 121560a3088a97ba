//! Pstral's indexer: everything that reads a warehouse or builds the search index.
//!
//! It knows nothing about HTTP, JWT or the agent's database. The agent calls it as a library.

pub mod catalog;
pub mod demo;
pub mod docs;
pub mod embed;
pub mod error;
pub mod index;
pub mod pipeline;
pub mod schedule;
pub mod source;
pub mod vocabulary;

pub use error::{ErrorKind, IndexerError};
