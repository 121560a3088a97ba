//! The console's pages, one module each.

pub(crate) mod audit;
pub(crate) mod catalog;
pub(crate) mod chat;
pub(crate) mod index_status;
pub(crate) mod login;
pub(crate) mod pairs;
pub(crate) mod status;
pub(crate) mod users;
