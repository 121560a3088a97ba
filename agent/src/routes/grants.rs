//! `/api/v1/grants` (admin): the tables each role may query. Default: every table. A change applies to the next
//! request of every user of the role: permissions are built per request.

use axum::Json;
use axum::extract::State;
use schemas::admin::RoleGrant;
use schemas::auth::Role;

use super::JsonBody;
use crate::auth::{CurrentUser, RequestContext};
use crate::error::ApiError;
use crate::startup::AppState;

/// Longest list of patterns in a grant.
const MAX_PATTERNS: usize = 500;

/// `GET /api/v1/grants`: the grant of each role that can be restricted.
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<RoleGrant>>, ApiError> {
    let mut grants = Vec::new();
    for role in [Role::Analyst, Role::Steward] {
        grants.push(RoleGrant { role, tables: state.store.grant(role).await? });
    }
    Ok(Json(grants))
}

/// `PUT /api/v1/grants`: sets one role's grant (`tables: null` gives back every table). Audited.
pub async fn set(
    State(state): State<AppState>,
    user: CurrentUser,
    context: RequestContext,
    JsonBody(grant): JsonBody<RoleGrant>,
) -> Result<Json<RoleGrant>, ApiError> {
    if grant.role == Role::Admin {
        return Err(ApiError::Invalid("admins query every table: grant tables to `analyst` or `steward`".into()));
    }
    let tables = grant.tables.map(|tables| {
        tables.into_iter().map(|pattern| pattern.trim().to_owned()).filter(|pattern| !pattern.is_empty()).collect()
    });
    if let Some(tables) = &tables {
        let tables: &Vec<String> = tables;
        if tables.len() > MAX_PATTERNS {
            return Err(ApiError::Invalid(format!("a grant holds at most {MAX_PATTERNS} patterns: use `SCHEMA.*`")));
        }
        if let Some(bad) = tables
            .iter()
            .find(|pattern| !pattern.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '$' | '#' | '.' | '*')))
        {
            return Err(ApiError::Invalid(format!(
                "`{bad}` is not a table pattern: write SCHEMA.*, TABLE or SCHEMA.TABLE (`*` for any text)"
            )));
        }
    }
    let mut audit = context.audit(Some(&user), "grant.update");
    audit.resource = Some(format!("role:{}", grant.role.as_str()));
    audit.details = serde_json::json!({ "tables": tables });
    state.store.set_grant(grant.role, &tables, &audit).await?;
    Ok(Json(RoleGrant { role: grant.role, tables }))
}
