//! The only module that makes HTTP calls: each function returns `schemas` types or an [`ApiError`].
//!
//! Every call carries the session's bearer token. A 401 ends the session at once (the shell then shows the
//! sign-in form, and the draft question stays); the caller only sees [`ApiError::Unauthorized`].

mod chat;

use gloo_net::http::{Request, RequestBuilder, Response};
use schemas::admin::{
    AuditPage, AuditQuery, CatalogTableDetail, CatalogTableSummary, CodeLabelRequest, CurationRequest, ExecuteRequest,
    ExecuteResponse, IndexStatusInfo, PairReview, VerifiedPairInfo,
};
use schemas::auth::{LoginRequest, RegisterRequest, TokenResponse, UserInfo, UserUpdate};
use schemas::conversation::{ConversationDetail, ConversationSummary, FeedbackRequest, RenameConversation};
use schemas::export::{ExportFormat, SqlExportRequest};
use schemas::{ErrorBody, HealthResponse};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub(crate) use chat::chat;

use crate::browser;
use crate::i18n::{Text, t};
use crate::session;

const ROOT: &str = "/api/v1";

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ApiError {
    /// The session is missing or expired (it has been ended).
    Unauthorized,
    /// The server answered with an error body.
    Server {
        /// HTTP status.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// The request did not reach the service, or its answer was unreadable.
    Network(String),
    /// The user stopped it.
    Aborted,
}

impl ApiError {
    /// Returns a sentence for the user, in the current language.
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::Unauthorized => t(Text::SessionExpired).to_owned(),
            Self::Server { status: 403, message } => format!("{} {message}", t(Text::Forbidden)),
            Self::Server { message, .. } => message.clone(),
            Self::Network(detail) => format!("{} ({detail})", t(Text::ServiceUnreachable)),
            Self::Aborted => t(Text::Stopped).to_owned(),
        }
    }
}

fn network(error: gloo_net::Error) -> ApiError {
    match &error {
        gloo_net::Error::JsError(js) if js.name == "AbortError" => ApiError::Aborted,
        _ => ApiError::Network(error.to_string()),
    }
}

fn url(path: &str) -> String {
    format!("{ROOT}{path}")
}

/// Encodes one path segment (a table name, an id).
fn segment(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}

fn authorized(builder: RequestBuilder) -> RequestBuilder {
    match session::token() {
        Some(token) => builder.header("Authorization", &format!("Bearer {token}")),
        None => builder,
    }
}

/// Sends `request`; a 401 ends the session, any other failure becomes the server's message.
async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, ApiError> {
    let response = request.map_err(network)?.send().await.map_err(network)?;
    if response.status() == 401 {
        session::sign_out();
        return Err(ApiError::Unauthorized);
    }
    if !response.ok() {
        let status = response.status();
        let message = match response.json::<ErrorBody>().await {
            Ok(body) => body.message,
            Err(_) => format!("HTTP {status}"),
        };
        return Err(ApiError::Server { status, message });
    }
    Ok(response)
}

async fn read_json<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    response.json::<T>().await.map_err(|error| ApiError::Network(error.to_string()))
}

async fn get<T: DeserializeOwned>(path: &str, query: &[(&str, String)]) -> Result<T, ApiError> {
    let pairs = query.iter().filter(|(_, value)| !value.is_empty()).map(|(name, value)| (*name, value.as_str()));
    read_json(send(authorized(Request::get(&url(path)).query(pairs)).build()).await?).await
}

async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    read_json(send(authorized(Request::post(&url(path))).json(body)).await?).await
}

async fn patch<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    read_json(send(authorized(Request::patch(&url(path))).json(body)).await?).await
}

/// Offers a downloaded answer as a file, named as the server suggests.
async fn download(response: Response, fallback_name: &str) -> Result<(), ApiError> {
    let mime = response.headers().get("content-type").unwrap_or_else(|| "application/octet-stream".into());
    let name = response
        .headers()
        .get("content-disposition")
        .and_then(|value| value.split("filename=").nth(1).map(|name| name.trim_matches('"').to_owned()))
        .unwrap_or_else(|| fallback_name.to_owned());
    let bytes = response.binary().await.map_err(network)?;
    browser::save_file(&bytes, &name, &mime);
    Ok(())
}

/// Returns the service's health report (public).
pub(crate) async fn health() -> Result<HealthResponse, ApiError> {
    get("/health", &[]).await
}

/// Signs in. A refusal is not an expired session: it comes back as the server's message.
pub(crate) async fn login(username: String, password: String) -> Result<TokenResponse, ApiError> {
    let response = Request::post(&url("/auth/login"))
        .json(&LoginRequest { username, password })
        .map_err(network)?
        .send()
        .await
        .map_err(network)?;
    if !response.ok() {
        let status = response.status();
        let message = response.json::<ErrorBody>().await.map(|body| body.message).unwrap_or_default();
        return Err(ApiError::Server { status, message });
    }
    read_json(response).await
}

/// Revokes the session's token on the server.
pub(crate) async fn logout() -> Result<(), ApiError> {
    send(authorized(Request::post(&url("/auth/logout"))).build()).await.map(drop)
}

/// Returns a page of the user's conversations, newest first, filtered by `search`; the next page starts `before`
/// the last conversation of the previous one.
pub(crate) async fn conversations(
    search: String,
    before: Option<String>,
) -> Result<Vec<ConversationSummary>, ApiError> {
    get("/conversations", &[("search", search), ("before", before.unwrap_or_default())]).await
}

/// Returns one conversation with its messages.
pub(crate) async fn conversation(id: String) -> Result<ConversationDetail, ApiError> {
    get(&format!("/conversations/{}", segment(&id)), &[]).await
}

/// Renames a conversation.
pub(crate) async fn rename_conversation(id: String, title: String) -> Result<ConversationDetail, ApiError> {
    patch(&format!("/conversations/{}", segment(&id)), &RenameConversation { title }).await
}

/// Deletes a conversation.
pub(crate) async fn delete_conversation(id: String) -> Result<(), ApiError> {
    send(authorized(Request::delete(&url(&format!("/conversations/{}", segment(&id))))).build()).await.map(drop)
}

/// Downloads a conversation as a file.
pub(crate) async fn export_conversation(id: String, format: ExportFormat) -> Result<(), ApiError> {
    let path = url(&format!("/conversations/{}/export", segment(&id)));
    let response = send(authorized(Request::get(&path).query([("format", format.extension())])).build()).await?;
    download(response, &format!("conversation.{}", format.extension())).await
}

/// Records 👍 or 👎 on an answer.
pub(crate) async fn feedback(message_id: String, helpful: bool) -> Result<(), ApiError> {
    let body = FeedbackRequest { message_id, helpful, comment: None };
    send(authorized(Request::post(&url("/feedback"))).json(&body)).await.map(drop)
}

/// Checks and runs a statement the user wrote or edited.
pub(crate) async fn execute(sql: String, conversation_id: Option<String>) -> Result<ExecuteResponse, ApiError> {
    post("/sql/execute", &ExecuteRequest { sql, conversation_id }).await
}

/// Downloads the rows of a statement as a file.
pub(crate) async fn export_sql(
    sql: String,
    format: ExportFormat,
    conversation_id: Option<String>,
) -> Result<(), ApiError> {
    let body = SqlExportRequest { sql, format, conversation_id };
    let response = send(authorized(Request::post(&url("/sql/export"))).json(&body)).await?;
    download(response, &format!("resultat.{}", format.extension())).await
}

/// Returns the catalog's tables matching `search` (names, comments, descriptions, columns).
pub(crate) async fn catalog_tables(search: String) -> Result<Vec<CatalogTableSummary>, ApiError> {
    get("/catalog/tables", &[("search", search)]).await
}

/// Returns one table with its columns, keys and curations.
pub(crate) async fn catalog_table(name: String) -> Result<CatalogTableDetail, ApiError> {
    get(&format!("/catalog/tables/{}", segment(&name)), &[]).await
}

/// Saves a description or a sensitive mark.
pub(crate) async fn curate(request: CurationRequest) -> Result<(), ApiError> {
    send(authorized(Request::put(&url("/catalog/curations"))).json(&request)).await.map(drop)
}

/// Saves a steward's label for one code of a column.
pub(crate) async fn label_code(request: CodeLabelRequest) -> Result<(), ApiError> {
    send(authorized(Request::put(&url("/catalog/codes"))).json(&request)).await.map(drop)
}

/// Returns the question→SQL pairs with `status` (all when empty).
pub(crate) async fn verified_pairs(status: String) -> Result<Vec<VerifiedPairInfo>, ApiError> {
    get("/verified-pairs", &[("status", status)]).await
}

/// Verifies or rejects a pair.
pub(crate) async fn review_pair(id: String, review: PairReview) -> Result<(), ApiError> {
    let path = url(&format!("/verified-pairs/{}", segment(&id)));
    send(authorized(Request::patch(&path)).json(&review)).await.map(drop)
}

/// Returns the schema index's state.
pub(crate) async fn index_status() -> Result<IndexStatusInfo, ApiError> {
    get("/index/status", &[]).await
}

/// Starts a re-index.
pub(crate) async fn rebuild_index() -> Result<IndexStatusInfo, ApiError> {
    read_json(send(authorized(Request::post(&url("/index/rebuild"))).build()).await?).await
}

/// Returns every user.
pub(crate) async fn users() -> Result<Vec<UserInfo>, ApiError> {
    get("/users", &[]).await
}

/// Creates a user.
pub(crate) async fn create_user(request: RegisterRequest) -> Result<UserInfo, ApiError> {
    post("/users", &request).await
}

/// Changes a user's role, display name or access.
pub(crate) async fn update_user(id: String, update: UserUpdate) -> Result<UserInfo, ApiError> {
    patch(&format!("/users/{}", segment(&id)), &update).await
}

fn audit_filters(query: &AuditQuery) -> Vec<(&'static str, String)> {
    vec![
        ("username", query.username.clone().unwrap_or_default()),
        ("action", query.action.clone().unwrap_or_default()),
        ("from", query.from.clone().unwrap_or_default()),
        ("to", query.to.clone().unwrap_or_default()),
        ("page", query.page.map(|page| page.to_string()).unwrap_or_default()),
        ("per_page", query.per_page.map(|size| size.to_string()).unwrap_or_default()),
    ]
}

/// Returns one page of the audit log.
pub(crate) async fn audit(query: AuditQuery) -> Result<AuditPage, ApiError> {
    get("/audit", &audit_filters(&query)).await
}

/// Downloads the audit rows matching the filters as CSV.
pub(crate) async fn audit_csv(query: AuditQuery) -> Result<(), ApiError> {
    let filters = audit_filters(&query);
    let pairs = filters.iter().filter(|(_, value)| !value.is_empty()).map(|(name, value)| (*name, value.as_str()));
    let response = send(authorized(Request::get(&url("/audit.csv")).query(pairs)).build()).await?;
    download(response, "audit.csv").await
}
