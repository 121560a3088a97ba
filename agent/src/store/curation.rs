//! Stewards' curation in the store: descriptions, sensitive marks and verified pairs, read as the indexer's
//! `Overrides` at every (re-)index so a re-index never loses them.

use anyhow::Context;
use indexer::catalog::{Overrides, VerifiedPair, table_key};

use schemas::admin::{PairReview, VerifiedPairInfo};

use super::audit::AuditRecord;
use super::{Store, now_rfc3339};

/// A steward's label for one code of a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeLabelCuration {
    /// Schema or owner; empty when the warehouse has none.
    pub table_schema: String,
    /// Table name.
    pub table_name: String,
    /// Column name.
    pub column_name: String,
    /// The code as stored.
    pub code: String,
    /// Its label.
    pub label: String,
}

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
    /// Saves a curation, replacing the previous one for the same table or column, with its audit row.
    pub async fn upsert_curation(&self, curation: &Curation, audit: &AuditRecord) -> anyhow::Result<()> {
        let mut transaction = self.transaction().await?;
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
        .bind(audit.user_id.as_deref())
        .bind(now_rfc3339())
        .execute(&mut *transaction)
        .await
        .context("failed to save a catalog curation")?;
        super::audit::insert(&mut transaction, audit).await?;
        transaction.commit().await.context("failed to commit a curation")?;
        Ok(())
    }

    /// Saves a steward's label for one code of a column, replacing the previous one, with its audit row.
    pub async fn upsert_code_label(&self, label: &CodeLabelCuration, audit: &AuditRecord) -> anyhow::Result<()> {
        let mut transaction = self.transaction().await?;
        sqlx::query(
            "INSERT INTO catalog_codes (table_schema, table_name, column_name, code, label, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (table_schema, table_name, column_name, code) DO UPDATE SET \
               label = excluded.label, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(&label.table_schema)
        .bind(&label.table_name)
        .bind(&label.column_name)
        .bind(&label.code)
        .bind(&label.label)
        .bind(audit.user_id.as_deref())
        .bind(now_rfc3339())
        .execute(&mut *transaction)
        .await
        .context("failed to save a code label")?;
        super::audit::insert(&mut transaction, audit).await?;
        transaction.commit().await.context("failed to commit a code label")?;
        Ok(())
    }

    /// Saves a question→SQL pair with the given status (`pending`, `verified`, `rejected`) and its audit row;
    /// returns its id.
    pub async fn insert_verified_pair(
        &self,
        question: &str,
        sql: &str,
        status: &str,
        audit: &AuditRecord,
    ) -> anyhow::Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        let mut transaction = self.transaction().await?;
        sqlx::query(
            "INSERT INTO verified_pairs (id, question, sql_text, status, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(question)
        .bind(sql)
        .bind(status)
        .bind(audit.user_id.as_deref())
        .bind(now_rfc3339())
        .execute(&mut *transaction)
        .await
        .context("failed to save a question and its sql")?;
        let audit = AuditRecord { resource: Some(format!("pair:{id}")), ..audit.clone() };
        super::audit::insert(&mut transaction, &audit).await?;
        transaction.commit().await.context("failed to commit a verified pair")?;
        Ok(id)
    }

    /// Returns the question→SQL pairs with `status` (all when `None`), newest first.
    pub async fn verified_pairs(&self, status: Option<&str>) -> anyhow::Result<Vec<VerifiedPairInfo>> {
        let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
            "SELECT id, question, sql_text, status, created_at FROM verified_pairs \
             WHERE ($1 IS NULL OR status = $1) ORDER BY created_at DESC LIMIT 1000",
        )
        .bind(status)
        .fetch_all(self.pool())
        .await
        .context("failed to list verified pairs")?;
        Ok(rows
            .into_iter()
            .map(|(id, question, sql, status, created_at)| VerifiedPairInfo { id, question, sql, status, created_at })
            .collect())
    }

    /// Applies a steward's review to a pair, with its audit row; `false` when the pair does not exist.
    pub async fn review_pair(&self, id: &str, review: &PairReview, audit: &AuditRecord) -> anyhow::Result<bool> {
        let mut transaction = self.transaction().await?;
        let changed = sqlx::query(
            "UPDATE verified_pairs SET status = $1, question = COALESCE($2, question), sql_text = COALESCE($3, sql_text), \
               reviewed_by = $4, reviewed_at = $5 WHERE id = $6",
        )
        .bind(&review.status)
        .bind(review.question.as_deref())
        .bind(review.sql.as_deref())
        .bind(audit.user_id.as_deref())
        .bind(now_rfc3339())
        .bind(id)
        .execute(&mut *transaction)
        .await
        .context("failed to review a pair")?
        .rows_affected();
        if changed == 0 {
            return Ok(false);
        }
        super::audit::insert(&mut transaction, audit).await?;
        transaction.commit().await.context("failed to commit a review")?;
        Ok(true)
    }

    /// Reads the stewards' sensitive marks as they are now (`sensitive_columns` marked, `reviewed_columns` found
    /// not sensitive), for the permissions of one request: a mark takes effect at once, not at the next re-index.
    pub async fn sensitive_marks(&self) -> anyhow::Result<Overrides> {
        let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
            "SELECT table_schema, table_name, column_name, sensitive FROM catalog_curations WHERE column_name <> ''",
        )
        .fetch_all(self.pool())
        .await
        .context("failed to read the sensitive marks")?;
        let mut overrides = Overrides::default();
        for (schema, table, column, sensitive) in rows {
            let key = (table_key((!schema.is_empty()).then_some(schema.as_str()), &table), column.to_uppercase());
            if sensitive != 0 {
                overrides.sensitive_columns.insert(key);
            } else {
                overrides.reviewed_columns.insert(key);
            }
        }
        Ok(overrides)
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
            } else {
                overrides.reviewed_columns.insert(column_key.clone());
            }
            if let Some(description) = description {
                overrides.column_descriptions.insert(column_key, description);
            }
        }
        let codes: Vec<(String, String, String, String, String)> =
            sqlx::query_as("SELECT table_schema, table_name, column_name, code, label FROM catalog_codes")
                .fetch_all(self.pool())
                .await
                .context("failed to read the code labels")?;
        for (schema, table, column, code, label) in codes {
            let key = table_key((!schema.is_empty()).then_some(schema.as_str()), &table);
            overrides.code_labels.insert((key, column.to_uppercase(), code), label);
        }
        let pairs: Vec<(String, String)> = sqlx::query_as(
            "SELECT question, sql_text FROM verified_pairs WHERE status = 'verified' ORDER BY created_at",
        )
        .fetch_all(self.pool())
        .await
        .context("failed to read the verified pairs")?;
        overrides.verified_pairs = pairs.into_iter().map(|(question, sql)| VerifiedPair { question, sql }).collect();
        // The statements the last answers ran: the tables they read most make the core of a catalog too big for
        // the prompt's stable part.
        let past: Vec<(String,)> = sqlx::query_as(
            "SELECT sql_text FROM messages WHERE role = 'assistant' AND sql_text IS NOT NULL AND row_count IS NOT NULL \
             ORDER BY created_at DESC LIMIT 5000",
        )
        .fetch_all(self.pool())
        .await
        .context("failed to read the statements past answers ran")?;
        overrides.past_queries = past.into_iter().map(|(sql,)| sql).collect();
        Ok(overrides)
    }
}
