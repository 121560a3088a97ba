//! Downloads: a conversation or a query's result as JSON, CSV or XLSX.

use serde::{Deserialize, Serialize};

/// A file format for downloads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// The wire types as JSON.
    #[default]
    Json,
    /// Comma-separated, UTF-8 with a byte-order mark (so spreadsheets read accents right).
    Csv,
    /// An Excel workbook, one sheet.
    Xlsx,
}

impl ExportFormat {
    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }
}

/// Query of `GET /api/v1/conversations/{id}/export`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ExportQuery {
    /// `json` (default), `csv` or `xlsx`.
    #[serde(default)]
    pub format: ExportFormat,
}

/// Body of `POST /api/v1/sql/export`: runs the statement through the guard and the read-only path again, with the
/// export row cap, and returns the rows as a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SqlExportRequest {
    /// One SELECT statement (an answer's SQL, or the user's edit of it).
    pub sql: String,
    /// `json` (default), `csv` or `xlsx`.
    #[serde(default)]
    pub format: ExportFormat,
    /// The conversation it belongs to, if any (for the audit row).
    #[serde(default)]
    pub conversation_id: Option<String>,
}
