//! Integration tests of the `pstral` service over real TCP: one binary, one file per resource.

mod answer;
mod auth;
mod chat;
mod console;
mod crash;
mod eval;
mod export;
mod faults;
mod guard;
mod health;
mod helpers;
mod index;
mod permissions;
mod store;
mod warmup;
