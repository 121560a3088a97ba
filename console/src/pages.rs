//! The console's pages, one module each.

pub mod home;
