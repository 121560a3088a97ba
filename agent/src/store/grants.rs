//! Table grants by role: the name patterns of the tables a role may query; no row means every table.

use anyhow::Context;
use schemas::auth::Role;

use super::audit::AuditRecord;
use super::{Store, now_rfc3339};
use crate::permissions::Grant;

impl Store {
    /// The grant of `role` (admins: every table).
    pub async fn grant(&self, role: Role) -> anyhow::Result<Grant> {
        if role == Role::Admin {
            return Ok(None);
        }
        let row: Option<(String,)> = sqlx::query_as("SELECT tables FROM role_grants WHERE role = $1")
            .bind(role.as_str())
            .fetch_optional(self.pool())
            .await
            .context("failed to read a role's grant")?;
        row.map(|(tables,)| serde_json::from_str(&tables).context("a role's grant is not a JSON list")).transpose()
    }

    /// Sets (or, with `None`, removes) the grant of `role`, with its audit row.
    pub async fn set_grant(&self, role: Role, grant: &Grant, audit: &AuditRecord) -> anyhow::Result<()> {
        let mut transaction = self.transaction().await?;
        sqlx::query("DELETE FROM role_grants WHERE role = $1")
            .bind(role.as_str())
            .execute(&mut *transaction)
            .await
            .context("failed to replace a grant")?;
        if let Some(tables) = grant {
            sqlx::query("INSERT INTO role_grants (role, tables, updated_by, updated_at) VALUES ($1, $2, $3, $4)")
                .bind(role.as_str())
                .bind(serde_json::to_string(tables).context("failed to write a grant")?)
                .bind(audit.user_id.as_deref())
                .bind(now_rfc3339())
                .execute(&mut *transaction)
                .await
                .context("failed to save a grant")?;
        }
        super::audit::insert(&mut transaction, audit).await?;
        transaction.commit().await.context("failed to commit a grant")?;
        Ok(())
    }
}
