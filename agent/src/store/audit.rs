//! The audit log: one row per action, written in the transaction of the change it records.

use anyhow::Context;
use schemas::admin::{AuditEntry, AuditPage, AuditQuery};
use sqlx::AnyConnection;

use super::{Store, now_rfc3339};

/// Largest page of the audit log.
pub const MAX_PAGE: u32 = 500;

/// An audit row to write.
#[derive(Debug, Clone, Default)]
pub struct AuditRecord {
    /// Who.
    pub user_id: Option<String>,
    /// Their login name (or the name tried).
    pub username: Option<String>,
    /// `auth.login`, `chat.question`, …
    pub action: String,
    /// What it acted on.
    pub resource: Option<String>,
    /// Details as JSON.
    pub details: serde_json::Value,
    /// `ok`, `refused`, `failed`.
    pub status: String,
    /// Client address.
    pub ip_address: Option<String>,
    /// Request id.
    pub request_id: Option<String>,
}

impl AuditRecord {
    /// Returns a copy for another action with other details and status.
    pub fn with(&self, action: &str, status: &str, details: serde_json::Value) -> Self {
        Self { action: action.to_owned(), status: status.to_owned(), details, ..self.clone() }
    }
}

/// Writes one audit row on `connection` (a transaction's, so it commits or rolls back with the change).
pub(crate) async fn insert(connection: &mut AnyConnection, record: &AuditRecord) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO audit_logs \
           (id, occurred_at, user_id, username, action, resource, details, status, ip_address, request_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(now_rfc3339())
    .bind(record.user_id.as_deref())
    .bind(record.username.as_deref())
    .bind(&record.action)
    .bind(record.resource.as_deref())
    .bind(record.details.to_string())
    .bind(&record.status)
    .bind(record.ip_address.as_deref())
    .bind(record.request_id.as_deref())
    .execute(connection)
    .await
    .context("failed to write an audit row")?;
    Ok(())
}

type AuditRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
);

impl Store {
    /// Writes an audit row on its own (for actions that change nothing else: a failed login, a question).
    pub async fn audit(&self, record: &AuditRecord) -> anyhow::Result<()> {
        let mut connection = self.pool().acquire().await.context("failed to reach the app store")?;
        insert(&mut connection, record).await
    }

    /// Returns one page of the audit log, newest first, with the number of matching rows.
    pub async fn audit_page(&self, query: &AuditQuery) -> anyhow::Result<AuditPage> {
        let per_page = query.per_page.unwrap_or(50).clamp(1, MAX_PAGE);
        let page = query.page.unwrap_or(1).max(1);
        let (filter, values) = audit_filter(query);
        let mut count =
            sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM audit_logs{filter}")));
        for value in &values {
            count = count.bind(value.clone());
        }
        let (total,) = count.fetch_one(self.pool()).await.context("failed to count audit rows")?;
        let sql = format!(
            "SELECT id, occurred_at, user_id, username, action, resource, details, status, ip_address, request_id \
             FROM audit_logs{filter} ORDER BY occurred_at DESC, id DESC LIMIT {per_page} OFFSET {}",
            u64::from(page - 1) * u64::from(per_page)
        );
        let mut rows = sqlx::query_as::<_, AuditRow>(sqlx::AssertSqlSafe(sql));
        for value in &values {
            rows = rows.bind(value.clone());
        }
        let entries = rows
            .fetch_all(self.pool())
            .await
            .context("failed to read the audit log")?
            .into_iter()
            .map(|(id, occurred_at, user_id, username, action, resource, details, status, ip_address, request_id)| {
                AuditEntry {
                    id,
                    occurred_at,
                    user_id,
                    username,
                    action,
                    resource,
                    details,
                    status,
                    ip_address,
                    request_id,
                }
            })
            .collect();
        Ok(AuditPage { entries, total, page, per_page })
    }
}

/// Builds the WHERE clause of an audit query: only placeholders, the values are bound.
fn audit_filter(query: &AuditQuery) -> (String, Vec<String>) {
    let mut clauses = Vec::new();
    let mut values = Vec::new();
    let mut add = |clause: &str, value: String| {
        values.push(value);
        clauses.push(clause.replace('?', &format!("${}", values.len())));
    };
    if let Some(username) = query.username.as_deref().filter(|value| !value.is_empty()) {
        add("LOWER(username) = LOWER(?)", username.to_owned());
    }
    if let Some(action) = query.action.as_deref().filter(|value| !value.is_empty()) {
        add("action = ?", action.to_owned());
    }
    if let Some(from) = query.from.as_deref().filter(|value| !value.is_empty()) {
        add("occurred_at >= ?", from.to_owned());
    }
    if let Some(to) = query.to.as_deref().filter(|value| !value.is_empty()) {
        add("occurred_at < ?", to.to_owned());
    }
    let filter = if clauses.is_empty() { String::new() } else { format!(" WHERE {}", clauses.join(" AND ")) };
    (filter, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_bound_never_inlined() {
        let query = AuditQuery {
            username: Some("x' OR '1'='1".into()),
            action: Some("auth.login".into()),
            ..AuditQuery::default()
        };
        let (filter, values) = audit_filter(&query);
        assert_eq!(filter, " WHERE LOWER(username) = LOWER($1) AND action = $2");
        assert_eq!(values, vec!["x' OR '1'='1".to_owned(), "auth.login".to_owned()]);
    }
}
