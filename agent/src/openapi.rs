//! The OpenAPI 3.0 document (`GET /api/v1/openapi.json`), built from the route table itself so it lists every
//! route with the access it requires, and from the wire types' JSON Schemas (`schemas` with `openapi`).

use axum::Json;
use axum::http::Method;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{Value, json};

use crate::auth::Access;
use crate::routes::{self, RouteSpec};

/// What one route takes and gives.
struct Operation {
    summary: &'static str,
    request: Option<Schema>,
    response: Option<Schema>,
    /// The response's media type.
    media: &'static str,
}

fn op<Req: JsonSchema, Resp: JsonSchema>(generator: &mut SchemaGenerator, summary: &'static str) -> Operation {
    Operation {
        summary,
        request: Some(generator.subschema_for::<Req>()),
        response: Some(generator.subschema_for::<Resp>()),
        media: "application/json",
    }
}

fn get<Resp: JsonSchema>(generator: &mut SchemaGenerator, summary: &'static str) -> Operation {
    Operation { summary, request: None, response: Some(generator.subschema_for::<Resp>()), media: "application/json" }
}

fn bare(summary: &'static str, media: &'static str) -> Operation {
    Operation { summary, request: None, response: None, media }
}

/// Describes one route of the table; `None` for a route this module does not know yet (a test forbids it).
fn describe(generator: &mut SchemaGenerator, spec: &RouteSpec) -> Option<Operation> {
    use schemas::admin::*;
    use schemas::auth::*;
    use schemas::conversation::*;
    use schemas::{ChatEvent, ChatRequest, HealthResponse};
    let method = spec.method.clone();
    Some(match (method, spec.path) {
        (Method::GET, "/api/v1/health") => get::<HealthResponse>(generator, "State of the service and each dependency"),
        (Method::GET, "/api/v1/openapi.json") => bare("This document", "application/json"),
        (Method::POST, "/api/v1/auth/login") => op::<LoginRequest, TokenResponse>(generator, "Sign in"),
        (Method::POST, "/api/v1/auth/register") => {
            op::<RegisterRequest, UserInfo>(generator, "Create an account (admins; anyone with open registration)")
        }
        (Method::GET, "/api/v1/auth/me") => get::<UserInfo>(generator, "The signed-in user"),
        (Method::POST, "/api/v1/auth/logout") => bare("End this session", "application/json"),
        (Method::POST, "/api/v1/auth/password") => op::<PasswordChange, TokenResponse>(
            generator,
            "Change the password; every session ends, a new token is returned",
        ),
        (Method::POST, "/api/v1/chat") => Operation {
            media: "text/event-stream",
            ..op::<ChatRequest, ChatEvent>(
                generator,
                "Ask a question: Server-Sent Events, one ChatEvent per `data:` line",
            )
        },
        (Method::POST, "/api/v1/sql/execute") => {
            op::<ExecuteRequest, ExecuteResponse>(generator, "Run a statement through the guard and the read-only path")
        }
        (Method::POST, "/api/v1/sql/export") => Operation {
            request: Some(generator.subschema_for::<schemas::export::SqlExportRequest>()),
            ..bare(
                "A statement's rows as a file (JSON rows, CSV or XLSX), through the guard and the read-only path",
                "application/octet-stream",
            )
        },
        (Method::GET, "/api/v1/conversations/{id}/export") => {
            bare("One of your conversations as a file (`?format=json|csv|xlsx`)", "application/octet-stream")
        }
        (Method::GET, "/api/v1/conversations") => get::<Vec<ConversationSummary>>(
            generator,
            "A page of your conversations, newest first (`?search=&limit=&before=`)",
        ),
        (Method::GET, "/api/v1/conversations/{id}") => {
            get::<ConversationDetail>(generator, "One of your conversations")
        }
        (Method::PATCH, "/api/v1/conversations/{id}") => {
            op::<RenameConversation, ConversationDetail>(generator, "Rename a conversation")
        }
        (Method::DELETE, "/api/v1/conversations/{id}") => bare("Delete a conversation", "application/json"),
        (Method::POST, "/api/v1/feedback") => Operation {
            request: Some(generator.subschema_for::<FeedbackRequest>()),
            ..bare("Judge an answer; 👍 proposes its SQL to the stewards", "application/json")
        },
        (Method::GET, "/api/v1/catalog/tables") => {
            get::<Vec<CatalogTableSummary>>(generator, "Tables with curated descriptions (`?search=`)")
        }
        (Method::GET, "/api/v1/catalog/tables/{name}") => get::<CatalogTableDetail>(generator, "One table in full"),
        (Method::PUT, "/api/v1/catalog/curations") => Operation {
            request: Some(generator.subschema_for::<CurationRequest>()),
            ..bare("Describe a table or column, mark a column sensitive", "application/json")
        },
        (Method::PUT, "/api/v1/catalog/codes") => Operation {
            request: Some(generator.subschema_for::<schemas::admin::CodeLabelRequest>()),
            ..bare(
                "Label a code of a column (wins over the documents' list, kept across re-indexes)",
                "application/json",
            )
        },
        (Method::GET, "/api/v1/verified-pairs") => {
            get::<Vec<VerifiedPairInfo>>(generator, "Question→SQL pairs (`?status=pending|verified|rejected`)")
        }
        (Method::POST, "/api/v1/verified-pairs") => op::<PairReview, VerifiedPairInfo>(generator, "Add a pair"),
        (Method::PATCH, "/api/v1/verified-pairs/{id}") => Operation {
            request: Some(generator.subschema_for::<PairReview>()),
            ..bare("Verify or reject a pair", "application/json")
        },
        (Method::GET, "/api/v1/index/status") => get::<IndexStatusInfo>(generator, "The schema index"),
        (Method::POST, "/api/v1/index/rebuild") => get::<IndexStatusInfo>(generator, "Re-index now (202)"),
        (Method::GET, "/api/v1/users") => get::<Vec<UserInfo>>(generator, "Every account"),
        (Method::POST, "/api/v1/users") => op::<RegisterRequest, UserInfo>(generator, "Create an account"),
        (Method::PATCH, "/api/v1/users/{id}") => op::<UserUpdate, UserInfo>(generator, "Change a role, disable"),
        (Method::GET, "/api/v1/audit") => {
            get::<AuditPage>(generator, "The audit log (`?username=&action=&from=&to=&page=&per_page=`)")
        }
        (Method::GET, "/api/v1/audit/logs") => get::<AuditPage>(generator, "The audit log (the seed's path)"),
        (Method::GET, "/api/v1/grants") => {
            get::<Vec<schemas::admin::RoleGrant>>(generator, "The tables each role may query")
        }
        (Method::PUT, "/api/v1/grants") => {
            op::<schemas::admin::RoleGrant, schemas::admin::RoleGrant>(generator, "Set the tables a role may query")
        }
        (Method::GET, "/api/v1/audit.csv") => bare("The audit log as CSV (same filters)", "text/csv"),
        (Method::GET, "/metrics") => bare("Prometheus metrics", "text/plain"),
        _ => return None,
    })
}

/// Builds the document.
pub fn document() -> Value {
    let mut generator = SchemaGenerator::new(schemars::generate::SchemaSettings::openapi3());
    let mut paths = serde_json::Map::new();
    for spec in routes::specs() {
        let Some(operation) = describe(&mut generator, &spec) else { continue };
        let (access, security) = match spec.access {
            Access::Public => ("public".to_owned(), json!([])),
            Access::Role(role) => (format!("role ≥ {}", role.as_str()), json!([{"bearer": []}])),
            Access::Scrape => ("PSTRAL_METRICS_TOKEN or an admin".to_owned(), json!([{"bearer": []}])),
        };
        let parameters: Vec<Value> = spec
            .path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        let mut entry = json!({
            "summary": operation.summary,
            "description": format!("Access: {access}."),
            "security": security,
            "parameters": parameters,
            "responses": {
                "200": {"description": "OK", "content": {operation.media: {"schema": operation.response.map(Schema::to_value).unwrap_or(json!({}))}}},
                "401": {"description": "No valid session token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
                "403": {"description": "A role below the route's", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
                "422": {"description": "A malformed or refused request", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
            }
        });
        if let Some(request) = operation.request {
            entry["requestBody"] =
                json!({"required": true, "content": {"application/json": {"schema": request.to_value()}}});
        }
        let item = paths.entry(spec.path.to_owned()).or_insert_with(|| json!({}));
        item[spec.method.as_str().to_lowercase()] = entry;
    }
    generator.subschema_for::<schemas::ErrorBody>();
    let components: serde_json::Map<String, Value> = generator.take_definitions(true).into_iter().collect();
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Pstral",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Questions in French or English become safe, validated, read-only SQL. Sign in with POST /api/v1/auth/login, then send `Authorization: Bearer <token>`."
        },
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
        }
    })
}

/// `GET /api/v1/openapi.json`.
pub async fn get_document() -> Json<Value> {
    Json(document())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_of_the_table_is_documented_with_its_access() {
        let mut generator = SchemaGenerator::new(schemars::generate::SchemaSettings::openapi3());
        for spec in routes::specs() {
            assert!(describe(&mut generator, &spec).is_some(), "{} {} is not documented", spec.method, spec.path);
        }
        let document = document();
        let me = &document["paths"]["/api/v1/auth/me"]["get"];
        assert_eq!(me["security"], json!([{"bearer": []}]));
        assert!(me["description"].as_str().is_some_and(|text| text.contains("analyst")));
        assert_eq!(document["paths"]["/api/v1/auth/login"]["post"]["security"], json!([]));
        assert!(document["components"]["schemas"]["ChatEvent"].is_object());
    }
}
