//! `POST /api/v1/sql/execute` and `POST /api/v1/sql/export`: a statement the user wrote or edited (or an answer's
//! SQL, the console's "run again") goes through the same guard — with the same permissions, built for the user of
//! the request — dry-run and read-only run as the agent's own SQL.

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use indexer::source::explain::DryRun;
use indexer::source::run::{QueryLimits, RunOutcome};
use schemas::admin::{ExecuteRequest, ExecuteResponse};
use schemas::export::SqlExportRequest;

use super::JsonBody;
use crate::answer::rows;
use crate::auth::{CurrentUser, RequestContext};
use crate::error::ApiError;
use crate::export::Sheet;
use crate::guard;
use crate::permissions::Permissions;
use crate::startup::AppState;
use crate::warehouse;

/// Longest statement accepted, in bytes.
pub const MAX_SQL: usize = 64 * 1024;

/// `POST /api/v1/sql/execute`. A refusal (guard or database) is a normal answer with `allowed: false` or an
/// `error`, audited like a run.
pub async fn execute(
    State(state): State<AppState>,
    user: CurrentUser,
    context: RequestContext,
    JsonBody(request): JsonBody<ExecuteRequest>,
) -> Result<Json<ExecuteResponse>, ApiError> {
    let mut audit = context.audit(Some(&user), "sql.execute");
    audit.resource = request.conversation_id.as_ref().map(|id| format!("conversation:{id}"));
    let limits = state.answerer.options.limits;
    let permissions = Permissions::for_user(&state, &user).await?;
    Ok(Json(checked_run(&state, &permissions, &request.sql, &limits, audit, serde_json::json!({})).await?))
}

/// `POST /api/v1/sql/export`: the rows as a JSON, CSV or XLSX file (up to `PSTRAL_EXPORT_ROW_LIMIT` rows). A
/// statement the guard or the database refuses is a 422 naming the reason; it is audited either way.
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    context: RequestContext,
    JsonBody(request): JsonBody<SqlExportRequest>,
) -> Result<Response, ApiError> {
    let mut audit = context.audit(Some(&user), "sql.export");
    audit.resource = request.conversation_id.as_ref().map(|id| format!("conversation:{id}"));
    let limits = state.answerer.options.export_limits;
    let extra = serde_json::json!({"format": request.format});
    let permissions = Permissions::for_user(&state, &user).await?;
    let response = checked_run(&state, &permissions, &request.sql, &limits, audit, extra).await?;
    if !response.allowed {
        return Err(ApiError::Invalid(format!("refused by the guard ({}): {}", response.rule, response.message)));
    }
    if let Some(error) = response.error {
        return Err(ApiError::Invalid(format!("the warehouse refused the statement: {error}")));
    }
    Sheet::from_columns("Résultat", &response.columns).download(request.format, "resultat")
}

/// Guard (with the user's `permissions`) → dry-run → read-only run of `sql` within `limits`, with one audit row
/// (its action taken from `audit`, `extra` merged into its details) whatever the outcome.
async fn checked_run(
    state: &AppState,
    permissions: &Permissions,
    sql: &str,
    limits: &QueryLimits,
    audit: crate::store::audit::AuditRecord,
    extra: serde_json::Value,
) -> Result<ExecuteResponse, ApiError> {
    if sql.len() > MAX_SQL {
        return Err(ApiError::Invalid(format!("the statement is longer than {} KB: shorten it", MAX_SQL / 1024)));
    }
    let verdict = guard::check(sql, &permissions.policy);
    let mut response = ExecuteResponse {
        allowed: verdict.allowed,
        rule: verdict.rule.as_str().to_owned(),
        message: verdict.message.clone(),
        plan: None,
        error: None,
        columns: Vec::new(),
        row_count: 0,
        truncated: false,
        elapsed_ms: 0,
    };
    let action = audit.action.clone();
    let write_audit = |response: &ExecuteResponse, status: &str| {
        let mut details = serde_json::json!({
            "sql": sql,
            "allowed": response.allowed,
            "rule": response.rule,
            "error": response.error,
            "row_count": response.row_count,
            "truncated": response.truncated,
            "elapsed_ms": response.elapsed_ms,
        });
        if let (Some(details), Some(extra)) = (details.as_object_mut(), extra.as_object()) {
            details.extend(extra.clone());
        }
        audit.with(&action, status, details)
    };
    let Some(checked) = verdict.checked() else {
        state.metrics.refusal(verdict.rule.as_str());
        state.store.audit(&write_audit(&response, "refused")).await?;
        return Ok(response);
    };
    let outcome = match warehouse::explain(&state.warehouse, checked).await {
        Ok(DryRun::Plan(plan)) => {
            response.plan = Some(plan);
            warehouse::run(&state.warehouse, checked, limits).await
        }
        Ok(DryRun::Refused(error)) => Ok(RunOutcome::Refused(error)),
        Err(error) => Err(error),
    };
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(error) => {
            state.store.audit(&write_audit(&response, "failed")).await?;
            return Err(ApiError::Unavailable(format!(
                "{error}; check the warehouse connection (PSTRAL_WAREHOUSE_URL) and try again"
            )));
        }
    };
    let status = match outcome {
        RunOutcome::Rows(result) => {
            response.columns = rows::to_columns(&result.batch);
            let catalog = permissions.visible_catalog(&state.answerer.index.catalog().unwrap_or_default());
            rows::label_codes(&mut response.columns, checked, &catalog);
            response.row_count = result.batch.num_rows();
            response.truncated = result.truncated;
            response.elapsed_ms = result.elapsed_ms;
            "ok"
        }
        RunOutcome::Refused(error) => {
            response.error = Some(error.hint);
            "failed"
        }
    };
    state.store.audit(&write_audit(&response, status)).await?;
    Ok(response)
}
