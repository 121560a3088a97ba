//! `/api/v1/audit` (admin): the audit log, filtered and paginated, as JSON or CSV.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use schemas::admin::{AuditPage, AuditQuery};

use crate::error::ApiError;
use crate::startup::AppState;
use crate::store::audit::MAX_PAGE;

/// `GET /api/v1/audit?username=&action=&from=&to=&page=&per_page=`.
pub async fn page(State(state): State<AppState>, Query(query): Query<AuditQuery>) -> Result<Json<AuditPage>, ApiError> {
    Ok(Json(state.store.audit_page(&query).await?))
}

/// `GET /api/v1/audit.csv` with the same filters: every matching row (up to 100 pages), newest first.
pub async fn csv(
    State(state): State<AppState>,
    Query(mut query): Query<AuditQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let mut out = String::from("occurred_at,username,action,resource,status,ip_address,request_id,details\n");
    query.per_page = Some(MAX_PAGE);
    for page in 1..=100 {
        query.page = Some(page);
        let rows = state.store.audit_page(&query).await?;
        for entry in &rows.entries {
            let fields = [
                entry.occurred_at.as_str(),
                entry.username.as_deref().unwrap_or_default(),
                entry.action.as_str(),
                entry.resource.as_deref().unwrap_or_default(),
                entry.status.as_str(),
                entry.ip_address.as_deref().unwrap_or_default(),
                entry.request_id.as_deref().unwrap_or_default(),
                entry.details.as_str(),
            ];
            out.push_str(&fields.iter().map(|field| csv_field(field)).collect::<Vec<_>>().join(","));
            out.push('\n');
        }
        if i64::from(page) * i64::from(MAX_PAGE) >= rows.total {
            break;
        }
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"audit.csv\""),
        ],
        out,
    ))
}

/// Quotes a CSV field; a leading `=`, `+`, `-` or `@` is prefixed with `'` so a spreadsheet does not run it.
pub fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) { format!("'{value}") } else { value.to_owned() };
    if value.contains([',', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    }
}
