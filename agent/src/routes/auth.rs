//! `/api/v1/auth/*`: sign in, register, who am I, sign out, change password. Every outcome is audited.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use schemas::auth::{LoginRequest, PasswordChange, RegisterRequest, Role, TokenResponse, UserInfo};

use super::JsonBody;
use crate::auth::{CurrentUser, RequestContext, password};
use crate::error::ApiError;
use crate::startup::AppState;
use crate::store::users::NewUser;

/// `POST /api/v1/auth/login`.
pub async fn login(
    State(state): State<AppState>,
    context: RequestContext,
    JsonBody(request): JsonBody<LoginRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let username = request.username.trim().to_owned();
    let mut audit = context.audit(None, "auth.login");
    audit.username = Some(username.chars().take(64).collect());
    if let Some(wait) = state.auth.throttle.check(&username, context.ip) {
        state.store.audit(&audit.with("auth.login", "refused", serde_json::json!({"reason": "throttled"}))).await?;
        return Err(ApiError::TooManyRequests {
            message: format!("too many failed sign-ins: wait {} s and try again", wait.as_secs().max(1)),
            retry_after: wait.as_secs().max(1),
        });
    }
    let credentials = state.store.credentials(&username).await?;
    let stored = credentials.as_ref().map(|credentials| credentials.password_hash.clone());
    let valid = password::verify(stored, request.password).await;
    let user = match credentials {
        Some(credentials) if valid && !credentials.user.disabled => credentials.user,
        other => {
            state.auth.throttle.failed(&username, context.ip);
            let reason = if other.is_some_and(|credentials| credentials.user.disabled && valid) {
                "disabled"
            } else {
                "wrong user name or password"
            };
            state.store.audit(&audit.with("auth.login", "refused", serde_json::json!({"reason": reason}))).await?;
            return Err(ApiError::Unauthorized(if reason == "disabled" {
                "this account is disabled: ask an administrator".to_owned()
            } else {
                "wrong user name or password".to_owned()
            }));
        }
    };
    state.auth.throttle.succeeded(&username, context.ip);
    audit.user_id = Some(user.id.clone());
    audit.username = Some(user.username.clone());
    state.store.audit(&audit).await?;
    Ok(Json(issue(&state, user)?))
}

/// `POST /api/v1/auth/register`: an admin creates any account; with open registration anyone creates an analyst.
pub async fn register(
    State(state): State<AppState>,
    context: RequestContext,
    headers: axum::http::HeaderMap,
    JsonBody(request): JsonBody<RegisterRequest>,
) -> Result<(StatusCode, Json<UserInfo>), ApiError> {
    let admin = admin_caller(&state, &headers).await;
    let role = match (&admin, state.auth.open_registration) {
        (Some(_), _) => request.role.unwrap_or(Role::Analyst),
        (None, true) => Role::Analyst,
        (None, false) => {
            return Err(ApiError::Forbidden(
                "registration is closed: an administrator creates accounts (PSTRAL_OPEN_REGISTRATION enables it)"
                    .into(),
            ));
        }
    };
    let user = create_user(&state, &context, admin.as_ref(), request, role).await?;
    Ok((StatusCode::CREATED, Json(user)))
}

/// Creates an account after checking its name and password; shared by register and the admin's user creation.
pub(crate) async fn create_user(
    state: &AppState,
    context: &RequestContext,
    by: Option<&CurrentUser>,
    request: RegisterRequest,
    role: Role,
) -> Result<UserInfo, ApiError> {
    let username = request.username.trim().to_owned();
    let valid_name = (3..=64).contains(&username.chars().count())
        && username.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if !valid_name {
        return Err(ApiError::Invalid("the user name needs 3 to 64 letters, digits, '.', '_', '-' or '@'".into()));
    }
    if let Some(problem) = password::weakness(&request.password, &username) {
        return Err(ApiError::Invalid(problem));
    }
    let new_user = NewUser {
        username: username.clone(),
        full_name: request.full_name.trim().chars().take(200).collect(),
        email: request.email.map(|email| email.trim().to_owned()).filter(|email| !email.is_empty()),
        role,
        password_hash: password::hash(request.password).await?,
    };
    let mut audit = context.audit(by, "user.create");
    audit.details = serde_json::json!({"username": username, "role": role.as_str()});
    state
        .store
        .create_user(&new_user, &audit)
        .await?
        .ok_or_else(|| ApiError::Conflict(format!("the user name '{username}' is taken: choose another")))
}

/// Returns the caller when the request carries a valid admin token (register is public but admins may use it).
async fn admin_caller(state: &AppState, headers: &axum::http::HeaderMap) -> Option<CurrentUser> {
    crate::auth::access::authenticate(state, headers).await.ok().filter(|user| user.role == Role::Admin)
}

/// `GET /api/v1/auth/me`.
pub async fn me(State(state): State<AppState>, user: CurrentUser) -> Result<Json<UserInfo>, ApiError> {
    state
        .store
        .user(&user.id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound("this account no longer exists".into()))
}

/// `POST /api/v1/auth/logout`: the token stops working at once.
pub async fn logout(
    State(state): State<AppState>,
    user: CurrentUser,
    context: RequestContext,
) -> Result<StatusCode, ApiError> {
    let audit = context.audit(Some(&user), "auth.logout");
    state.store.revoke_token(&user.token_id, user.token_expires_at, &audit).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/auth/password`: needs the current password; ends every session and returns a new token.
pub async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    context: RequestContext,
    JsonBody(request): JsonBody<PasswordChange>,
) -> Result<Json<TokenResponse>, ApiError> {
    let stored = state.store.credentials(&user.username).await?.map(|credentials| credentials.password_hash);
    if !password::verify(stored, request.current_password).await {
        let audit = context.audit(Some(&user), "auth.password");
        state
            .store
            .audit(&audit.with("auth.password", "refused", serde_json::json!({"reason": "wrong current password"})))
            .await?;
        return Err(ApiError::Unauthorized("the current password is wrong".into()));
    }
    if let Some(problem) = password::weakness(&request.new_password, &user.username) {
        return Err(ApiError::Invalid(problem));
    }
    let hash = password::hash(request.new_password).await?;
    state.store.set_password(&user.id, &hash, &context.audit(Some(&user), "auth.password")).await?;
    // Sessions issued before this second are closed (token times are in whole seconds); the new one is not.
    let info =
        state.store.user(&user.id).await?.ok_or_else(|| ApiError::NotFound("this account no longer exists".into()))?;
    Ok(Json(issue(&state, info)?))
}

fn issue(state: &AppState, user: UserInfo) -> Result<TokenResponse, ApiError> {
    let (access_token, _claims) = state.auth.keys.issue(&user.id)?;
    Ok(TokenResponse {
        access_token,
        token_type: "bearer".to_owned(),
        expires_in: state.auth.keys.lifetime().as_secs(),
        user,
    })
}
