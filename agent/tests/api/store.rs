//! The app store on SQLite (default) and PostgreSQL.

use agent::store::{Backend, Store};
use secrecy::SecretString;

use crate::helpers::{fresh_pg_database, spawn_app_with};

#[tokio::test]
async fn the_default_store_is_a_migrated_sqlite_file_in_wal_mode() {
    let app = spawn_app_with(|config| config.store_url = None).await;
    let path = app.data_dir.path().join("pstral.db");
    assert!(path.is_file());
    let store = Store::connect(&SecretString::from(format!("sqlite://{}", path.display()))).await.expect("reopens");
    assert_eq!(store.backend(), Backend::Sqlite);
    let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode").fetch_one(store.pool()).await.expect("pragma");
    assert_eq!(mode, "wal");
    let tables: Vec<(String,)> =
        sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('users', 'audit_logs')")
            .fetch_all(store.pool())
            .await
            .expect("tables");
    assert_eq!(tables.len(), 2);
}

#[tokio::test]
async fn the_store_migrates_a_fresh_postgres_database() {
    let url = fresh_pg_database().await;
    let store = Store::connect(&SecretString::from(url.clone())).await.expect("connects and migrates");
    assert_eq!(store.backend(), Backend::Postgres);
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_name IN ('users', 'audit_logs', '_sqlx_migrations')",
    )
    .fetch_one(store.pool())
    .await
    .expect("count tables");
    assert_eq!(count, 3);
    // A second start on the same database finds nothing to migrate.
    Store::connect(&SecretString::from(url)).await.expect("reconnects").close().await;
    store.close().await;
}
