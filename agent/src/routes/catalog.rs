//! Steward routes: the catalog with curated descriptions, sensitive columns, verified pairs, the index and
//! re-indexing. Curations show at once here and reach the model at the next re-index; sensitive marks act at once
//! on every path (`permissions.rs`). A steward sees and curates only the tables of their role's grant, and the
//! sensitive columns only when their role is cleared for them.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use indexer::catalog::{Catalog, Table};
use schemas::admin::{
    CatalogCode, CatalogColumn, CatalogForeignKey, CatalogTableDetail, CatalogTableSummary, CodeLabelRequest,
    CurationRequest, IndexStatusInfo, PairReview, VerifiedPairInfo,
};
use serde::Deserialize;

use super::JsonBody;
use crate::auth::{CurrentUser, RequestContext};
use crate::error::ApiError;
use crate::guard::{self, Rule};
use crate::permissions::Permissions;
use crate::startup::AppState;
use crate::store::{CodeLabelCuration, Curation};

/// Longest description kept, in characters.
pub const MAX_DESCRIPTION: usize = 4_000;

/// Query of the catalog list.
#[derive(Debug, Deserialize)]
pub struct CatalogQuery {
    /// Words a table's name, comment, description or one of its columns must contain.
    #[serde(default)]
    pub search: Option<String>,
}

/// The serving catalog with the store's current curations applied, as `user` may see it.
async fn curated_catalog(state: &AppState, user: &CurrentUser) -> Result<Arc<Catalog>, ApiError> {
    let catalog = state.indexing.index().catalog().ok_or_else(|| {
        ApiError::Unavailable("the schema index is not built yet: wait for the first build or re-index".into())
    })?;
    let mut catalog = Catalog::clone(&catalog);
    let mut overrides = state.store.load_overrides().await?;
    overrides.sensitive_patterns = state.answerer.options.sensitive_patterns.clone();
    catalog.apply(&overrides);
    indexer::vocabulary::apply_steward_codes(&mut catalog, &overrides);
    let permissions = Permissions::for_user(state, user).await?;
    Ok(permissions.visible_catalog(&Arc::new(catalog)))
}

fn summary(table: &Table) -> CatalogTableSummary {
    CatalogTableSummary {
        name: table.qualified_name(),
        comment: table.comment.clone(),
        description: table.description.clone(),
        column_count: table.columns.len(),
        row_estimate: table.row_estimate,
    }
}

/// `GET /api/v1/catalog/tables?search=`.
pub async fn tables(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<CatalogQuery>,
) -> Result<Json<Vec<CatalogTableSummary>>, ApiError> {
    let catalog = curated_catalog(&state, &user).await?;
    let needle = query.search.unwrap_or_default().to_lowercase();
    let matches = |text: Option<&str>| text.is_some_and(|text| text.to_lowercase().contains(&needle));
    Ok(Json(
        catalog
            .tables
            .iter()
            .filter(|table| {
                needle.is_empty()
                    || matches(Some(&table.qualified_name()))
                    || matches(table.comment.as_deref())
                    || matches(table.description.as_deref())
                    || table.columns.iter().any(|column| {
                        matches(Some(&column.name))
                            || matches(column.comment.as_deref())
                            || matches(column.description.as_deref())
                    })
            })
            .map(summary)
            .collect(),
    ))
}

/// `GET /api/v1/catalog/tables/{name}`.
pub async fn table(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
) -> Result<Json<CatalogTableDetail>, ApiError> {
    let catalog = curated_catalog(&state, &user).await?;
    let table = find(&catalog, &name)?;
    Ok(Json(CatalogTableDetail {
        table: summary(table),
        columns: table
            .columns
            .iter()
            .map(|column| CatalogColumn {
                name: column.name.clone(),
                data_type: column.data_type.clone(),
                nullable: column.nullable,
                comment: column.comment.clone(),
                description: column.description.clone(),
                sensitive: column.sensitive,
                sample_values: column.sample_values.clone(),
                codes: column
                    .codes
                    .iter()
                    .map(|code| CatalogCode {
                        value: code.value.clone(),
                        label: code.label.clone(),
                        meaning: code.meaning.clone(),
                        source: code.source.clone(),
                    })
                    .collect(),
            })
            .collect(),
        primary_key: table.primary_key.clone(),
        foreign_keys: table
            .foreign_keys
            .iter()
            .map(|key| CatalogForeignKey {
                columns: key.columns.clone(),
                referenced_table: match &key.referenced_schema {
                    Some(schema) => format!("{schema}.{}", key.referenced_table),
                    None => key.referenced_table.clone(),
                },
                referenced_columns: key.referenced_columns.clone(),
            })
            .collect(),
    }))
}

fn find<'a>(catalog: &'a Catalog, name: &str) -> Result<&'a Table, ApiError> {
    let found = match name.split_once('.') {
        Some((schema, table)) => catalog.table(Some(schema), table).or_else(|| catalog.table(None, name)),
        None => catalog.table(None, name),
    };
    found.ok_or_else(|| ApiError::NotFound(format!("no table {name} in the catalog: check the name or re-index")))
}

/// `PUT /api/v1/catalog/curations`.
pub async fn curate(
    State(state): State<AppState>,
    user: CurrentUser,
    context: RequestContext,
    JsonBody(request): JsonBody<CurationRequest>,
) -> Result<StatusCode, ApiError> {
    let catalog = curated_catalog(&state, &user).await?;
    let table = find(&catalog, &request.table)?;
    let column = match request.column.as_deref().filter(|column| !column.is_empty()) {
        Some(name) => Some(table.column(name).ok_or_else(|| {
            ApiError::NotFound(format!("no column {name} in {}: check the name", table.qualified_name()))
        })?),
        None => None,
    };
    if column.is_none() && request.sensitive {
        return Err(ApiError::Invalid("only a column can be marked sensitive: name the column".into()));
    }
    let description = request
        .description
        .map(|text| text.trim().chars().take(MAX_DESCRIPTION).collect::<String>())
        .filter(|text| !text.is_empty());
    let curation = Curation {
        table_schema: table.schema.clone().unwrap_or_default(),
        table_name: table.name.clone(),
        column_name: column.map(|column| column.name.clone()).unwrap_or_default(),
        description: description.clone(),
        sensitive: request.sensitive,
    };
    let mut audit = context.audit(Some(&user), "catalog.curate");
    audit.resource = Some(match column {
        Some(column) => format!("column:{}.{}", table.qualified_name(), column.name),
        None => format!("table:{}", table.qualified_name()),
    });
    audit.details = serde_json::json!({"description": description, "sensitive": request.sensitive});
    state.store.upsert_curation(&curation, &audit).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Longest code a steward may label, in characters (as in the documents' lists).
const MAX_CODE: usize = 16;
/// Longest code label, in characters.
const MAX_LABEL: usize = 200;

/// `PUT /api/v1/catalog/codes`: a steward's label for one code of a column, with its audit row. It shows in the
/// catalog at once and reaches the model and the answers at the next re-index.
pub async fn label_code(
    State(state): State<AppState>,
    user: CurrentUser,
    context: RequestContext,
    JsonBody(request): JsonBody<CodeLabelRequest>,
) -> Result<StatusCode, ApiError> {
    let catalog = curated_catalog(&state, &user).await?;
    let table = find(&catalog, &request.table)?;
    let column = table.column(&request.column).ok_or_else(|| {
        ApiError::NotFound(format!("no column {} in {}: check the name", request.column, table.qualified_name()))
    })?;
    let code = request.code.trim();
    if code.is_empty() || code.chars().count() > MAX_CODE || code.chars().any(char::is_whitespace) {
        return Err(ApiError::Invalid(format!(
            "a code is one word of at most {MAX_CODE} characters, as stored in the column (e.g. RS)"
        )));
    }
    let label = request.label.split_whitespace().collect::<Vec<_>>().join(" ");
    if label.is_empty() || label.chars().count() > MAX_LABEL {
        return Err(ApiError::Invalid(format!("a label is between 1 and {MAX_LABEL} characters: write it")));
    }
    let curation = CodeLabelCuration {
        table_schema: table.schema.clone().unwrap_or_default(),
        table_name: table.name.clone(),
        column_name: column.name.clone(),
        code: code.to_owned(),
        label: label.clone(),
    };
    let mut audit = context.audit(Some(&user), "catalog.code");
    audit.resource = Some(format!("column:{}.{}", table.qualified_name(), column.name));
    audit.details = serde_json::json!({"code": code, "label": label});
    state.store.upsert_code_label(&curation, &audit).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Query of the pairs list.
#[derive(Debug, Deserialize)]
pub struct PairsQuery {
    /// `pending`, `verified` or `rejected`; all when absent.
    #[serde(default)]
    pub status: Option<String>,
}

/// `GET /api/v1/verified-pairs?status=`: the pairs, less those reading a table or column hidden from the user.
pub async fn pairs(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<PairsQuery>,
) -> Result<Json<Vec<VerifiedPairInfo>>, ApiError> {
    let permissions = Permissions::for_user(&state, &user).await?;
    let mut pairs = state.store.verified_pairs(query.status.as_deref()).await?;
    pairs.retain(|pair| {
        !matches!(guard::check(&pair.sql, &permissions.policy).rule, Rule::TableNotAllowed | Rule::SensitiveColumn)
    });
    Ok(Json(pairs))
}

/// `POST /api/v1/verified-pairs`: a steward adds a verified pair; its SQL must pass the guard.
pub async fn add_pair(
    State(state): State<AppState>,
    user: CurrentUser,
    context: RequestContext,
    JsonBody(review): JsonBody<PairReview>,
) -> Result<(StatusCode, Json<VerifiedPairInfo>), ApiError> {
    let question = review.question.as_deref().map(str::trim).filter(|text| !text.is_empty());
    let sql = review.sql.as_deref().map(str::trim).filter(|text| !text.is_empty());
    let (Some(question), Some(sql)) = (question, sql) else {
        return Err(ApiError::Invalid("a pair needs a question and its sql".into()));
    };
    check_pair_sql(&state, &user, sql).await?;
    let status = valid_status(&review.status)?;
    let mut audit = context.audit(Some(&user), "pair.create");
    audit.details = serde_json::json!({"question": question, "sql": sql, "status": status});
    let id = state.store.insert_verified_pair(question, sql, status, &audit).await?;
    let created = VerifiedPairInfo {
        id,
        question: question.to_owned(),
        sql: sql.to_owned(),
        status: status.to_owned(),
        created_at: crate::store::now_rfc3339(),
    };
    Ok((StatusCode::CREATED, Json(created)))
}

/// `PATCH /api/v1/verified-pairs/{id}`: verify or reject, possibly correcting the question or the SQL.
pub async fn review_pair(
    State(state): State<AppState>,
    user: CurrentUser,
    context: RequestContext,
    Path(id): Path<String>,
    JsonBody(review): JsonBody<PairReview>,
) -> Result<StatusCode, ApiError> {
    valid_status(&review.status)?;
    if let Some(sql) = review.sql.as_deref() {
        check_pair_sql(&state, &user, sql).await?;
    }
    let mut audit = context.audit(Some(&user), "pair.review");
    audit.resource = Some(format!("pair:{id}"));
    audit.details = serde_json::json!({"status": review.status, "question": review.question, "sql": review.sql});
    if state.store.review_pair(&id, &review, &audit).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound(format!("no pair {id}")))
    }
}

fn valid_status(status: &str) -> Result<&'static str, ApiError> {
    ["pending", "verified", "rejected"]
        .into_iter()
        .find(|known| *known == status)
        .ok_or_else(|| ApiError::Invalid("status must be pending, verified or rejected".into()))
}

/// A pair's SQL becomes a few-shot example: it must pass the guard like any query of its author. (Each user is
/// shown only the examples their own policy allows.)
async fn check_pair_sql(state: &AppState, user: &CurrentUser, sql: &str) -> Result<(), ApiError> {
    let permissions = Permissions::for_user(state, user).await?;
    let verdict = guard::check(sql, &permissions.policy);
    if verdict.allowed {
        Ok(())
    } else {
        Err(ApiError::Invalid(format!(
            "the guard refuses this sql (rule {}): {}",
            verdict.rule.as_str(),
            verdict.message
        )))
    }
}

/// `GET /api/v1/index/status`.
pub async fn index_status(State(state): State<AppState>) -> Json<IndexStatusInfo> {
    let status = state.indexing.status();
    let serving = status.serving.as_ref();
    Json(IndexStatusInfo {
        building: status.building,
        built_at: serving.map(|manifest| manifest.built_at.clone()),
        duration_ms: serving.map(|manifest| manifest.duration_ms),
        tables: serving.map(|manifest| manifest.tables).unwrap_or_default(),
        columns: serving.map(|manifest| manifest.columns).unwrap_or_default(),
        values: serving.map(|manifest| manifest.values).unwrap_or_default(),
        doc_chunks: serving.map(|manifest| manifest.doc_chunks).unwrap_or_default(),
        verified_pairs: serving.map(|manifest| manifest.verified_pairs).unwrap_or_default(),
        last_error: status.last_error,
    })
}

/// `POST /api/v1/index/rebuild`: starts a re-index in the background (202); its progress is in the status.
pub async fn rebuild(
    State(state): State<AppState>,
    user: CurrentUser,
    context: RequestContext,
) -> Result<(StatusCode, Json<IndexStatusInfo>), ApiError> {
    if state.indexing.status().building {
        return Err(ApiError::Conflict("a re-index is already running: wait for it to finish".into()));
    }
    state.store.audit(&context.audit(Some(&user), "index.rebuild")).await?;
    let indexing = Arc::clone(&state.indexing);
    tokio::spawn(async move {
        if let Err(error) = indexing.reindex(Arc::new(|_| {})).await {
            tracing::warn!(%error, "the re-index asked by a steward failed; the previous index keeps serving");
        }
    });
    let mut status = index_status(State(state)).await.0;
    status.building = true;
    Ok((StatusCode::ACCEPTED, Json(status)))
}
