//! HTTP routes. Every API route is declared once in [`table`] with the access it requires; the router is built
//! from that table only, so the route-table test sees every route and no handler can skip its access check.

pub mod audit;
pub mod auth;
pub mod catalog;
pub mod chat;
pub mod console;
pub mod conversations;
pub mod grants;
pub mod health;
pub mod sql;
pub mod users;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{Method, StatusCode};
use axum::routing::{MethodFilter, MethodRouter, on};
use axum::{Json, Router};
use schemas::auth::Role;

use crate::auth::Access;
use crate::auth::access::require;
use crate::error::ApiError;
use crate::startup::AppState;

/// Largest request body accepted (a question, a statement, a description).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// One API route and who may call it.
#[derive(Debug, Clone)]
pub struct RouteSpec {
    /// HTTP method.
    pub method: Method,
    /// Path, with `{param}` segments.
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
}

struct Entry {
    spec: RouteSpec,
    handler: MethodRouter<AppState>,
}

fn entry<H, T>(method: Method, path: &'static str, access: Access, handler: H) -> Entry
where
    H: axum::handler::Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
    Entry { spec: RouteSpec { method, path, access }, handler: on(filter, handler) }
}

const ANALYST: Access = Access::Role(Role::Analyst);
const STEWARD: Access = Access::Role(Role::Steward);
const ADMIN: Access = Access::Role(Role::Admin);

/// Every API route.
fn table() -> Vec<Entry> {
    use Method as M;
    vec![
        entry(M::GET, "/api/v1/health", Access::Public, health::get_health),
        entry(M::GET, "/api/v1/openapi.json", Access::Public, crate::openapi::get_document),
        entry(M::POST, "/api/v1/auth/login", Access::Public, auth::login),
        // Open registration is checked inside: without it, only an admin's token is accepted.
        entry(M::POST, "/api/v1/auth/register", Access::Public, auth::register),
        entry(M::GET, "/api/v1/auth/me", ANALYST, auth::me),
        entry(M::POST, "/api/v1/auth/logout", ANALYST, auth::logout),
        entry(M::POST, "/api/v1/auth/password", ANALYST, auth::change_password),
        entry(M::POST, "/api/v1/chat", ANALYST, chat::chat),
        entry(M::POST, "/api/v1/sql/execute", ANALYST, sql::execute),
        entry(M::POST, "/api/v1/sql/export", ANALYST, sql::export),
        entry(M::GET, "/api/v1/conversations", ANALYST, conversations::list),
        entry(M::GET, "/api/v1/conversations/{id}", ANALYST, conversations::get),
        entry(M::PATCH, "/api/v1/conversations/{id}", ANALYST, conversations::rename),
        entry(M::DELETE, "/api/v1/conversations/{id}", ANALYST, conversations::delete),
        entry(M::GET, "/api/v1/conversations/{id}/export", ANALYST, conversations::export),
        entry(M::POST, "/api/v1/feedback", ANALYST, conversations::feedback),
        entry(M::GET, "/api/v1/catalog/tables", STEWARD, catalog::tables),
        entry(M::GET, "/api/v1/catalog/tables/{name}", STEWARD, catalog::table),
        entry(M::PUT, "/api/v1/catalog/curations", STEWARD, catalog::curate),
        entry(M::PUT, "/api/v1/catalog/codes", STEWARD, catalog::label_code),
        entry(M::GET, "/api/v1/verified-pairs", STEWARD, catalog::pairs),
        entry(M::POST, "/api/v1/verified-pairs", STEWARD, catalog::add_pair),
        entry(M::PATCH, "/api/v1/verified-pairs/{id}", STEWARD, catalog::review_pair),
        entry(M::GET, "/api/v1/index/status", STEWARD, catalog::index_status),
        entry(M::POST, "/api/v1/index/rebuild", STEWARD, catalog::rebuild),
        entry(M::GET, "/api/v1/users", ADMIN, users::list),
        entry(M::POST, "/api/v1/users", ADMIN, users::create),
        entry(M::PATCH, "/api/v1/users/{id}", ADMIN, users::update),
        entry(M::GET, "/api/v1/grants", ADMIN, grants::list),
        entry(M::PUT, "/api/v1/grants", ADMIN, grants::set),
        entry(M::GET, "/api/v1/audit", ADMIN, audit::page),
        // The seed's path for the same page.
        entry(M::GET, "/api/v1/audit/logs", ADMIN, audit::page),
        entry(M::GET, "/api/v1/audit.csv", ADMIN, audit::csv),
        entry(M::GET, "/metrics", Access::Scrape, crate::metrics::get_metrics),
    ]
}

/// Returns every API route with its access, for the route-table test and the documentation.
pub fn specs() -> Vec<RouteSpec> {
    table().into_iter().map(|entry| entry.spec).collect()
}

/// Returns the API router: each route wrapped in its access check; unknown `/api/` paths answer 404 in JSON.
pub fn api(state: &AppState) -> Router<AppState> {
    let mut router = Router::new();
    for Entry { spec, handler } in table() {
        let guarded = handler.route_layer(axum::middleware::from_fn_with_state((state.clone(), spec.access), require));
        router = router.route(spec.path, guarded);
    }
    router.route("/api/{*rest}", axum::routing::any(unknown_api))
}

async fn unknown_api() -> ApiError {
    ApiError::NotFound("no such API route: see /api/v1/openapi.json for the routes".into())
}

/// A JSON body whose problems (malformed JSON, wrong fields, too large) answer with an [`ErrorBody`] that says
/// what to fix.
///
/// [`ErrorBody`]: schemas::ErrorBody
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(ApiError::TooLarge(format!(
                "the request body is larger than {} KB: send less",
                MAX_BODY_BYTES / 1024
            ))),
            Err(rejection) => Err(ApiError::Invalid(format!("malformed request: {}", rejection.body_text()))),
        }
    }
}
