//! `/api/v1/audit` (admin): the audit log, filtered and paginated, as JSON or CSV.

use axum::Json;
use axum::extract::{Query, State};
use axum::response::Response;
use schemas::admin::{AuditPage, AuditQuery};
use schemas::export::ExportFormat;

use crate::error::ApiError;
use crate::export::{Cell, Sheet};
use crate::startup::AppState;
use crate::store::audit::MAX_PAGE;

/// `GET /api/v1/audit?username=&action=&from=&to=&page=&per_page=`.
pub async fn page(State(state): State<AppState>, Query(query): Query<AuditQuery>) -> Result<Json<AuditPage>, ApiError> {
    Ok(Json(state.store.audit_page(&query).await?))
}

/// `GET /api/v1/audit.csv` with the same filters: every matching row (up to 100 pages), newest first.
pub async fn csv(State(state): State<AppState>, Query(mut query): Query<AuditQuery>) -> Result<Response, ApiError> {
    let headers = ["occurred_at", "username", "action", "resource", "status", "ip_address", "request_id", "details"];
    let mut sheet = Sheet { name: "Audit".into(), headers: headers.map(str::to_owned).to_vec(), rows: Vec::new() };
    query.per_page = Some(MAX_PAGE);
    for page in 1..=100 {
        query.page = Some(page);
        let rows = state.store.audit_page(&query).await?;
        sheet.rows.extend(rows.entries.into_iter().map(|entry| {
            vec![
                Cell::Timestamp(entry.occurred_at),
                entry.username.as_deref().into(),
                Cell::Text(entry.action),
                entry.resource.as_deref().into(),
                Cell::Text(entry.status),
                entry.ip_address.as_deref().into(),
                entry.request_id.as_deref().into(),
                Cell::Text(entry.details),
            ]
        }));
        if i64::from(page) * i64::from(MAX_PAGE) >= rows.total {
            break;
        }
    }
    sheet.download(ExportFormat::Csv, "audit")
}
