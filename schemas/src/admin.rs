//! Admin and steward wire types: the audit log, the catalog seen by stewards, verified pairs, the index.

use serde::{Deserialize, Serialize};

/// One audit row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct AuditEntry {
    /// Stable id (time-ordered).
    pub id: String,
    /// RFC 3339.
    pub occurred_at: String,
    /// Who (absent for the system or an unknown login).
    #[serde(default)]
    pub user_id: Option<String>,
    /// Their login name at the time (or the name tried at a failed login).
    #[serde(default)]
    pub username: Option<String>,
    /// `auth.login`, `chat.question`, `sql.execute`, `catalog.curate`, `user.create`…
    pub action: String,
    /// What it acted on (a conversation, a table, a user…).
    #[serde(default)]
    pub resource: Option<String>,
    /// JSON details (SQL, guard verdict, row count, duration…).
    pub details: String,
    /// `ok`, `refused`, `failed`.
    pub status: String,
    /// Client address.
    #[serde(default)]
    pub ip_address: Option<String>,
    /// The request that did it.
    #[serde(default)]
    pub request_id: Option<String>,
}

/// Filters of `GET /api/v1/audit` (query string).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct AuditQuery {
    /// Login name.
    #[serde(default)]
    pub username: Option<String>,
    /// Exact action.
    #[serde(default)]
    pub action: Option<String>,
    /// From this moment (RFC 3339 or `YYYY-MM-DD`), inclusive.
    #[serde(default)]
    pub from: Option<String>,
    /// Until this moment (RFC 3339 or `YYYY-MM-DD`), exclusive.
    #[serde(default)]
    pub to: Option<String>,
    /// Page, from 1.
    #[serde(default)]
    pub page: Option<u32>,
    /// Rows per page (at most 500, default 50).
    #[serde(default)]
    pub per_page: Option<u32>,
}

/// One page of the audit log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct AuditPage {
    /// The rows.
    pub entries: Vec<AuditEntry>,
    /// Rows matching the filters.
    pub total: i64,
    /// This page, from 1.
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
}

/// A table in the steward's catalog list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CatalogTableSummary {
    /// `SCHEMA.NAME` or `NAME`.
    pub name: String,
    /// The dictionary comment.
    #[serde(default)]
    pub comment: Option<String>,
    /// The steward's description.
    #[serde(default)]
    pub description: Option<String>,
    /// Columns.
    pub column_count: usize,
    /// Estimated rows.
    #[serde(default)]
    pub row_estimate: Option<u64>,
}

/// A column as a steward sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CatalogColumn {
    /// Name.
    pub name: String,
    /// Type as the warehouse names it.
    pub data_type: String,
    /// Whether NULL is allowed.
    pub nullable: bool,
    /// The dictionary comment.
    #[serde(default)]
    pub comment: Option<String>,
    /// The steward's description.
    #[serde(default)]
    pub description: Option<String>,
    /// Never sampled, never shown to the model.
    #[serde(default)]
    pub sensitive: bool,
    /// Distinct values sampled for value linking.
    #[serde(default)]
    pub sample_values: Vec<String>,
    /// The column's code list (code, label, meaning, where it was read), when it has one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<CatalogCode>,
}

/// A steward's label for one code of a column (`PUT /api/v1/catalog/codes`): it wins over the documents' list and
/// survives every re-index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CodeLabelRequest {
    /// `SCHEMA.TABLE` or `TABLE`.
    pub table: String,
    /// The column.
    pub column: String,
    /// The code as stored, e.g. `RS`.
    pub code: String,
    /// Its label, e.g. `Résilié`.
    pub label: String,
}

/// One code of a column's code list, as the steward sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CatalogCode {
    /// The code as stored, e.g. `RS`.
    pub value: String,
    /// Its label, e.g. `Résilié`.
    pub label: String,
    /// What it means, when the list says more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meaning: Option<String>,
    /// Where the list was read: a document's file name.
    pub source: String,
}

/// A foreign key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CatalogForeignKey {
    /// Columns of this table.
    pub columns: Vec<String>,
    /// `SCHEMA.NAME` or `NAME` of the referenced table.
    pub referenced_table: String,
    /// Its columns.
    pub referenced_columns: Vec<String>,
}

/// A table with everything the steward curates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CatalogTableDetail {
    /// The summary.
    pub table: CatalogTableSummary,
    /// Its columns.
    pub columns: Vec<CatalogColumn>,
    /// Primary key columns.
    pub primary_key: Vec<String>,
    /// Foreign keys.
    pub foreign_keys: Vec<CatalogForeignKey>,
}

/// Body of `PUT /api/v1/catalog/curations`: a description or sensitive mark for a table or a column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CurationRequest {
    /// `SCHEMA.NAME` or `NAME`, as listed by the catalog.
    pub table: String,
    /// The column; absent for the table itself.
    #[serde(default)]
    pub column: Option<String>,
    /// The description (empty or absent clears it).
    #[serde(default)]
    pub description: Option<String>,
    /// Whether the column is sensitive.
    #[serde(default)]
    pub sensitive: bool,
}

/// A question→SQL pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct VerifiedPairInfo {
    /// Stable id.
    pub id: String,
    /// The question.
    pub question: String,
    /// The SQL.
    pub sql: String,
    /// `pending`, `verified` or `rejected`.
    pub status: String,
    /// RFC 3339.
    pub created_at: String,
}

/// Body of `POST /api/v1/verified-pairs` (a steward adds one) and `PATCH /api/v1/verified-pairs/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PairReview {
    /// The question (kept when absent on review).
    #[serde(default)]
    pub question: Option<String>,
    /// The SQL (kept when absent on review).
    #[serde(default)]
    pub sql: Option<String>,
    /// `verified` or `rejected`.
    pub status: String,
}

/// The schema index, for stewards.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct IndexStatusInfo {
    /// Whether a build is running.
    pub building: bool,
    /// When the serving build was made (RFC 3339).
    #[serde(default)]
    pub built_at: Option<String>,
    /// How long it took.
    #[serde(default)]
    pub duration_ms: Option<u64>,
    /// Tables, columns, sampled values, document chunks and verified pairs in it.
    #[serde(default)]
    pub tables: usize,
    /// Columns.
    #[serde(default)]
    pub columns: usize,
    /// Sampled values.
    #[serde(default)]
    pub values: usize,
    /// Document chunks.
    #[serde(default)]
    pub doc_chunks: usize,
    /// Verified pairs.
    #[serde(default)]
    pub verified_pairs: usize,
    /// The last build's error, if it failed.
    #[serde(default)]
    pub last_error: Option<String>,
}

/// Body of `POST /api/v1/sql/execute`: a statement the user wrote or edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ExecuteRequest {
    /// One SELECT statement.
    pub sql: String,
    /// The conversation it belongs to, if any.
    #[serde(default)]
    pub conversation_id: Option<String>,
}

/// Answer of `POST /api/v1/sql/execute`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ExecuteResponse {
    /// Whether the guard allowed it.
    pub allowed: bool,
    /// The rule that decided.
    pub rule: String,
    /// Why.
    pub message: String,
    /// The plan, when allowed.
    #[serde(default)]
    pub plan: Option<String>,
    /// The database's error and a hint, when it refused the statement.
    #[serde(default)]
    pub error: Option<String>,
    /// The rows, when it ran.
    #[serde(default)]
    pub columns: Vec<crate::ResultColumn>,
    /// Rows returned.
    #[serde(default)]
    pub row_count: usize,
    /// More rows existed than the cap.
    #[serde(default)]
    pub truncated: bool,
    /// Time in the warehouse.
    #[serde(default)]
    pub elapsed_ms: u64,
}

/// The tables a role may query (`GET /api/v1/grants`, body of `PUT /api/v1/grants`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct RoleGrant {
    /// `analyst` or `steward` (admins query every table).
    pub role: crate::auth::Role,
    /// Name patterns of the tables the role may query (`SCHEMA.*`, `TABLE`, `SCHEMA.TABLE`; `*` for any text,
    /// case-insensitive); `null` for every table (the default), `[]` for none.
    #[serde(default)]
    pub tables: Option<Vec<String>>,
}
