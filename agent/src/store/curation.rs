//! Stewards' curation in the store: descriptions, sensitive marks and verified pairs, read as the indexer's
//! `Overrides` at every (re-)index so a re-index never loses them.

use anyhow::Context;
use indexer::catalog::{Overrides, VerifiedPair, table_key};

use super::{Store, now_rfc3339};

/// A curated description or sensitive mark for a table (no column) or a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Curation {
    /// Schema or owner; empty when the warehouse has none.
    pub table_schema: String,
    /// Table name.
    pub table_name: String,
    /// Column name; empty for the table itself.
    pub column_name: String,
    /// The curated description, if any.
    pub description: Option<String>,
    /// Whether the column is sensitive (never sampled, never shown).
    pub sensitive: bool,
}

impl Store {
    /// Saves a curation, replacing the previous one for the same table or column.
    pub async fn upsert_curation(&self, curation: &Curation, user_id: Option<&str>) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO catalog_curations \
               (table_schema, table_name, column_name, description, sensitive, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (table_schema, table_name, column_name) DO UPDATE SET \
               description = excluded.description, sensitive = excluded.sensitive, \
               updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(&curation.table_schema)
        .bind(&curation.table_name)
        .bind(&curation.column_name)
        .bind(curation.description.as_deref())
        .bind(i64::from(curation.sensitive))
        .bind(user_id)
        .bind(now_rfc3339())
        .execute(self.pool())
        .await
        .context("failed to save a catalog curation")?;
        Ok(())
    }

    /// Saves a question→SQL pair with the given status (`pending`, `verified`, `rejected`); returns its id.
    pub async fn insert_verified_pair(
        &self,
        question: &str,
        sql: &str,
        status: &str,
        user_id: Option<&str>,
    ) -> anyhow::Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO verified_pairs (id, question, sql_text, status, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(question)
        .bind(sql)
        .bind(status)
        .bind(user_id)
        .bind(now_rfc3339())
        .execute(self.pool())
        .await
        .context("failed to save a question and its sql")?;
        Ok(id)
    }

    /// Reads every curation and verified pair as the indexer's overrides.
    pub async fn load_overrides(&self) -> anyhow::Result<Overrides> {
        let rows: Vec<(String, String, String, Option<String>, i64)> = sqlx::query_as(
            "SELECT table_schema, table_name, column_name, description, sensitive FROM catalog_curations",
        )
        .fetch_all(self.pool())
        .await
        .context("failed to read the catalog curations")?;
        let mut overrides = Overrides::default();
        for (schema, table, column, description, sensitive) in rows {
            let key = table_key((!schema.is_empty()).then_some(schema.as_str()), &table);
            if column.is_empty() {
                if let Some(description) = description {
                    overrides.table_descriptions.insert(key, description);
                }
                continue;
            }
            let column_key = (key, column.to_uppercase());
            if sensitive != 0 {
                overrides.sensitive_columns.insert(column_key.clone());
            }
            if let Some(description) = description {
                overrides.column_descriptions.insert(column_key, description);
            }
        }
        let pairs: Vec<(String, String)> = sqlx::query_as(
            "SELECT question, sql_text FROM verified_pairs WHERE status = 'verified' ORDER BY created_at",
        )
        .fetch_all(self.pool())
        .await
        .context("failed to read the verified pairs")?;
        overrides.verified_pairs = pairs.into_iter().map(|(question, sql)| VerifiedPair { question, sql }).collect();
        Ok(overrides)
    }
}
