//! The app store: users, conversations, curated descriptions and the audit log, kept through sqlx.
//!
//! SQLite by default (one file, WAL), PostgreSQL when one machine is not enough; both through `sqlx::Any`, with
//! one migration folder per backend. Only this module and its children run SQL on the store.

pub mod audit;
pub mod conversations;
mod curation;
mod grants;
pub mod users;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use secrecy::{ExposeSecret, SecretString};
use sqlx::AnyPool;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};

pub use audit::AuditRecord;
pub use conversations::AssistantMessage;
pub use curation::{CodeLabelCuration, Curation};

/// Returns the current UTC time as the store writes it: RFC 3339 with microseconds, fixed width, so text order is
/// time order on both backends.
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
    now.format(&format).unwrap_or_default()
}

/// Which database backs the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL database.
    Postgres,
}

/// The app store: a pool on SQLite or PostgreSQL, migrated.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Connects to `url` (`sqlite://…` or `postgres://…`) and applies pending migrations.
    pub async fn connect(url: &SecretString) -> anyhow::Result<Self> {
        sqlx::any::install_default_drivers();
        let url = url.expose_secret();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            anyhow::bail!("PSTRAL_STORE_URL must start with sqlite:// or postgres://");
        };
        let options = AnyConnectOptions::from_str(url).context("PSTRAL_STORE_URL is not a valid url")?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 10 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |connection, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the one writer; NORMAL sync is safe with WAL.
                        sqlx::query("PRAGMA journal_mode = WAL").execute(&mut *connection).await?;
                        sqlx::query("PRAGMA synchronous = NORMAL").execute(&mut *connection).await?;
                        sqlx::query("PRAGMA foreign_keys = ON").execute(&mut *connection).await?;
                        sqlx::query("PRAGMA busy_timeout = 5000").execute(&mut *connection).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .context("failed to open the app store (check PSTRAL_STORE_URL and that the database is up)")?;
        let migrator = match backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("migrations/postgres"),
        };
        migrator.run(&pool).await.context("failed to apply the app store migrations")?;
        Ok(Self { pool, backend })
    }

    /// Returns the backend.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Returns the pool, for the store's submodules and tests.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Opens a write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`): a deferred
    /// transaction that reads before it writes cannot wait for a racing writer and fails with "database is
    /// locked" instead (two users creating `Alice` and `alice`, two answers in one conversation).
    pub(crate) async fn transaction(&self) -> anyhow::Result<sqlx::Transaction<'static, sqlx::Any>> {
        let begun = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        };
        begun.context("failed to open a transaction")
    }

    /// Checks that the store answers.
    pub async fn ping(&self) -> anyhow::Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.context("the app store does not answer")?;
        Ok(())
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
