//! `/api/v1/conversations*` and `/api/v1/feedback`: a user's own conversations, kept server-side.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use schemas::conversation::{
    CONVERSATION_PAGE, ConversationDetail, ConversationQuery, ConversationSummary, FeedbackRequest,
    MAX_CONVERSATION_PAGE, RenameConversation,
};
use schemas::export::{ExportFormat, ExportQuery};

use super::JsonBody;
use crate::auth::{CurrentUser, RequestContext};
use crate::error::ApiError;
use crate::export::{Sheet, download};
use crate::startup::AppState;

/// `GET /api/v1/conversations?search=&limit=&before=`: a page of the user's conversations, newest first; the next
/// page starts `before` the last one of this page.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ConversationQuery>,
) -> Result<Json<Vec<ConversationSummary>>, ApiError> {
    let limit = query.limit.unwrap_or(CONVERSATION_PAGE);
    if !(1..=MAX_CONVERSATION_PAGE).contains(&limit) {
        return Err(ApiError::Invalid(format!(
            "limit {limit} is out of range: ask for 1 to {MAX_CONVERSATION_PAGE} conversations per page"
        )));
    }
    let before = query.before.as_deref().filter(|before| !before.is_empty());
    state.store.conversations(&user.id, query.search.as_deref(), limit, before).await?.map(Json).ok_or_else(|| {
        ApiError::Invalid(format!(
            "no conversation {} to page from (deleted meanwhile?): list again without `before`",
            before.unwrap_or_default()
        ))
    })
}

/// `GET /api/v1/conversations/{id}`.
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<ConversationDetail>, ApiError> {
    state.store.conversation(&user.id, &id).await?.map(Json).ok_or_else(|| not_found(&id))
}

/// `GET /api/v1/conversations/{id}/export?format=json|csv|xlsx`: the conversation as a file (JSON: the same body
/// as `GET /conversations/{id}`; CSV and XLSX: one row per message). Audited.
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    context: RequestContext,
    Path(id): Path<String>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, ApiError> {
    let detail = state.store.conversation(&user.id, &id).await?.ok_or_else(|| not_found(&id))?;
    let mut audit = context.audit(Some(&user), "conversation.export");
    audit.resource = Some(format!("conversation:{id}"));
    audit.details = serde_json::json!({"format": query.format, "messages": detail.messages.len()});
    state.store.audit(&audit).await?;
    let stem = format!("conversation-{id}");
    match query.format {
        ExportFormat::Json => {
            let body = serde_json::to_vec_pretty(&detail).map_err(|error| ApiError::Internal(error.into()))?;
            Ok(download(ExportFormat::Json, &stem, body))
        }
        format => Sheet::from_conversation(&detail).download(format, &stem),
    }
}

/// `PATCH /api/v1/conversations/{id}`.
pub async fn rename(
    State(state): State<AppState>,
    user: CurrentUser,
    context: RequestContext,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<RenameConversation>,
) -> Result<Json<ConversationDetail>, ApiError> {
    if request.title.trim().is_empty() {
        return Err(ApiError::Invalid("the title is empty: give the conversation a name".into()));
    }
    let mut audit = context.audit(Some(&user), "conversation.rename");
    audit.resource = Some(format!("conversation:{id}"));
    audit.details = serde_json::json!({"title": request.title});
    if !state.store.rename_conversation(&user.id, &id, &request.title, &audit).await? {
        return Err(not_found(&id));
    }
    get(State(state), user, Path(id)).await
}

/// `DELETE /api/v1/conversations/{id}`.
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    context: RequestContext,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let mut audit = context.audit(Some(&user), "conversation.delete");
    audit.resource = Some(format!("conversation:{id}"));
    if state.store.delete_conversation(&user.id, &id, &audit).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found(&id))
    }
}

/// `POST /api/v1/feedback`: 👍 proposes the question and its SQL to the stewards; 👎 keeps the comment.
pub async fn feedback(
    State(state): State<AppState>,
    user: CurrentUser,
    context: RequestContext,
    JsonBody(request): JsonBody<FeedbackRequest>,
) -> Result<StatusCode, ApiError> {
    let comment = request.comment.as_deref().map(|comment| comment.chars().take(2_000).collect::<String>());
    let mut audit = context.audit(Some(&user), "feedback");
    audit.resource = Some(format!("message:{}", request.message_id));
    audit.details = serde_json::json!({"helpful": request.helpful, "comment": comment});
    if state.store.record_feedback(&user.id, &request.message_id, request.helpful, comment.as_deref(), &audit).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound(format!("no answer {} in your conversations", request.message_id)))
    }
}

fn not_found(id: &str) -> ApiError {
    ApiError::NotFound(format!("no conversation {id} among yours"))
}
