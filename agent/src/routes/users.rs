//! `/api/v1/users*` (admin): list, create, change role, disable.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use schemas::auth::{RegisterRequest, Role, UserInfo, UserUpdate};

use super::JsonBody;
use crate::auth::{CurrentUser, RequestContext};
use crate::error::ApiError;
use crate::startup::AppState;

/// `GET /api/v1/users`.
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<UserInfo>>, ApiError> {
    Ok(Json(state.store.users().await?))
}

/// `POST /api/v1/users`.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    context: RequestContext,
    JsonBody(request): JsonBody<RegisterRequest>,
) -> Result<(StatusCode, Json<UserInfo>), ApiError> {
    let role = request.role.unwrap_or(Role::Analyst);
    let created = super::auth::create_user(&state, &context, Some(&user), request, role).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// `PATCH /api/v1/users/{id}`. An admin cannot disable or demote themselves (the last way back in).
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    context: RequestContext,
    Path(id): Path<String>,
    JsonBody(update): JsonBody<UserUpdate>,
) -> Result<Json<UserInfo>, ApiError> {
    if id == user.id && (update.disabled == Some(true) || update.role.is_some_and(|role| role != Role::Admin)) {
        return Err(ApiError::Invalid("you cannot disable or demote yourself: ask another administrator".into()));
    }
    let mut audit = context.audit(Some(&user), "user.update");
    audit.resource = Some(format!("user:{id}"));
    audit.details = serde_json::json!({
        "role": update.role.map(Role::as_str),
        "disabled": update.disabled,
        "full_name": update.full_name,
    });
    state
        .store
        .update_user(&id, &update, &audit)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no user with id {id}")))
}
