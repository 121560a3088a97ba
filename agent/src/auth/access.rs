//! Who may call what: every route declares an [`Access`] in the route table, and [`require`] enforces it before
//! the handler runs, so no handler can forget the check.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use schemas::auth::Role;

use super::proxies::TrustedProxies;
use crate::error::ApiError;
use crate::startup::AppState;
use crate::store::AuditRecord;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (login, health, static files, the OpenAPI document).
    Public,
    /// A signed-in user with at least this role.
    Role(Role),
    /// `/metrics`: the scraper's token (PSTRAL_METRICS_TOKEN) or an admin's session.
    Scrape,
}

/// The signed-in user of a request, placed by [`require`].
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// Their id.
    pub id: String,
    /// Their login name.
    pub username: String,
    /// Their current role.
    pub role: Role,
    /// The token's unique id.
    pub token_id: String,
    /// When the token expires (seconds since the epoch).
    pub token_expires_at: u64,
}

/// Where a request comes from, for the audit log.
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    /// The client's address (the proxy's `X-Real-IP` when the peer is a trusted proxy).
    pub ip: Option<IpAddr>,
    /// The request id (`x-request-id`).
    pub request_id: Option<String>,
}

impl RequestContext {
    /// Returns an audit record for `action` by `user` (or nobody), status `ok`, no details yet.
    pub fn audit(&self, user: Option<&CurrentUser>, action: &str) -> AuditRecord {
        AuditRecord {
            user_id: user.map(|user| user.id.clone()),
            username: user.map(|user| user.username.clone()),
            action: action.to_owned(),
            resource: None,
            details: serde_json::json!({}),
            status: "ok".to_owned(),
            ip_address: self.ip.map(|ip| ip.to_string()),
            request_id: self.request_id.clone(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestContext {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
        // Trust the proxy's header only from this machine or a network of PSTRAL_TRUSTED_PROXIES.
        let trusted = parts.extensions.get::<TrustedProxies>().cloned().unwrap_or_default();
        let forwarded = parts
            .headers
            .get("x-real-ip")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<IpAddr>().ok());
        let ip = match (peer, forwarded) {
            (Some(peer), Some(forwarded)) if trusted.trusts(peer) => Some(forwarded),
            (peer, _) => peer,
        };
        let request_id = parts.headers.get("x-request-id").and_then(|value| value.to_str().ok()).map(str::to_owned);
        Ok(Self { ip, request_id })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("BUG: a route reads the user without requiring a role")))
    }
}

/// Compares two secrets in time independent of where they differ.
fn constant_time_eq(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len() && left.iter().zip(right).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// Returns the bearer token of a request, if it carries one.
pub fn bearer(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer ")))
        .map(str::trim)
}

/// Checks a request's session: a valid token of an enabled user, not revoked, issued after the user's last
/// password change or disable. Returns the user with their current role.
pub async fn authenticate(state: &AppState, headers: &axum::http::HeaderMap) -> Result<CurrentUser, ApiError> {
    let token = bearer(headers).ok_or_else(|| {
        ApiError::Unauthorized("sign in first: this needs a session token (POST /api/v1/auth/login)".into())
    })?;
    let claims = state.auth.keys.verify(token).map_err(|error| {
        ApiError::Unauthorized(match error.kind() {
            jsonwebtoken::errors::ErrorKind::ExpiredSignature => "your session has expired: sign in again".to_owned(),
            _ => "this session token is not valid: sign in again".to_owned(),
        })
    })?;
    let user = state
        .store
        .session_user(&claims.sub, &claims.jti)
        .await?
        .ok_or_else(|| ApiError::Unauthorized("this account no longer exists: sign in again".into()))?;
    if user.disabled {
        return Err(ApiError::Unauthorized("this account is disabled: ask an administrator".into()));
    }
    if user.revoked || i64::try_from(claims.iat).unwrap_or(i64::MAX) < user.tokens_valid_after {
        return Err(ApiError::Unauthorized("this session was closed: sign in again".into()));
    }
    Ok(CurrentUser {
        id: user.id,
        username: user.username,
        role: user.role,
        token_id: claims.jti,
        token_expires_at: claims.exp,
    })
}

/// Enforces `access` before the handler: a valid, unrevoked token of an enabled user whose current role is high
/// enough. Places the [`CurrentUser`] in the request.
pub async fn require(
    State((state, access)): State<(AppState, Access)>,
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let minimum = match access {
        Access::Public => return Ok(next.run(request).await),
        Access::Role(minimum) => minimum,
        Access::Scrape => {
            if let (Some(presented), Some(expected)) = (bearer(request.headers()), &state.auth.metrics_token)
                && constant_time_eq(presented.as_bytes(), secrecy::ExposeSecret::expose_secret(expected).as_bytes())
            {
                return Ok(next.run(request).await);
            }
            Role::Admin
        }
    };
    let user = authenticate(&state, request.headers()).await?;
    if user.role < minimum {
        return Err(ApiError::Forbidden(format!(
            "this needs the {} role and you are {}: ask an administrator",
            minimum.as_str(),
            user.role.as_str()
        )));
    }
    request.extensions_mut().insert(user);
    Ok(next.run(request).await)
}
