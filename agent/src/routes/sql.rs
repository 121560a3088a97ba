//! `POST /api/v1/sql/execute`: a statement the user wrote or edited goes through the same guard, dry-run and
//! read-only run as the agent's own SQL.

use axum::Json;
use axum::extract::State;
use indexer::source::explain::DryRun;
use indexer::source::run::RunOutcome;
use schemas::admin::{ExecuteRequest, ExecuteResponse};

use super::JsonBody;
use crate::answer::rows;
use crate::auth::{CurrentUser, RequestContext};
use crate::error::ApiError;
use crate::guard;
use crate::startup::AppState;

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
    if request.sql.len() > MAX_SQL {
        return Err(ApiError::Invalid(format!("the statement is longer than {} KB: shorten it", MAX_SQL / 1024)));
    }
    let (_dialect, policy) = state.answerer.guard_policy();
    let verdict = guard::check(&request.sql, &policy);
    let mut audit = context.audit(Some(&user), "sql.execute");
    audit.resource = request.conversation_id.as_ref().map(|id| format!("conversation:{id}"));
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
    let details = |response: &ExecuteResponse| {
        serde_json::json!({
            "sql": request.sql,
            "allowed": response.allowed,
            "rule": response.rule,
            "error": response.error,
            "row_count": response.row_count,
            "elapsed_ms": response.elapsed_ms,
        })
    };
    if !verdict.allowed {
        state.metrics.refusal(verdict.rule.as_str());
        state.store.audit(&audit.with("sql.execute", "refused", details(&response))).await?;
        return Ok(Json(response));
    }
    let unavailable = |error: indexer::IndexerError| {
        ApiError::Unavailable(format!("{error}; check the warehouse connection (PSTRAL_WAREHOUSE_URL) and try again"))
    };
    let outcome = match state.warehouse.explain(&verdict.statement).await {
        Ok(DryRun::Plan(plan)) => {
            response.plan = Some(plan);
            state.warehouse.run(&verdict.statement, &state.answerer.options.limits).await
        }
        Ok(DryRun::Refused(error)) => Ok(RunOutcome::Refused(error)),
        Err(error) => Err(error),
    };
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(error) => {
            state.store.audit(&audit.with("sql.execute", "failed", details(&response))).await?;
            return Err(unavailable(error));
        }
    };
    let status = match outcome {
        RunOutcome::Rows(result) => {
            response.columns = rows::to_columns(&result.batch);
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
    state.store.audit(&audit.with("sql.execute", status, details(&response))).await?;
    Ok(Json(response))
}
