//! Who may see what, built once per request for its user: the tables their role is granted (default: all), the
//! sensitive columns hidden from them when their role has no clearance, and from both the guard policy every
//! statement of the request is checked against and the [`Visibility`] retrieval, the prompt, repairs and the
//! catalog pages apply. One builder for every path (chat, execute, export, pairs, catalog), so none can forget.
//!
//! Sensitive marks are read from the store on every request, so a steward's mark takes effect at once.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use indexer::catalog::{Catalog, Overrides, Visibility, glob_matches, table_key};
use schemas::auth::Role;

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::guard::GuardPolicy;
use crate::startup::AppState;

/// The lowest role cleared to read sensitive columns (`PSTRAL_SENSITIVE_CLEARANCE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Clearance {
    /// Stewards and admins (the default).
    #[default]
    Steward,
    /// Admins only.
    Admin,
    /// Nobody: sensitive columns are never read through Pstral.
    None,
}

impl Clearance {
    /// Whether `role` is cleared.
    pub fn clears(self, role: Role) -> bool {
        match self {
            Self::Steward => role >= Role::Steward,
            Self::Admin => role == Role::Admin,
            Self::None => false,
        }
    }
}

/// The tables a role may query: `None` for every table, else name patterns (`SCHEMA.*`, `TABLE`, `SCHEMA.TABLE`,
/// `*` for any text; case-insensitive).
pub type Grant = Option<Vec<String>>;

/// Whether `grant` lets its role query the table `schema.name`.
pub fn granted(grant: &Grant, schema: Option<&str>, name: &str) -> bool {
    let Some(patterns) = grant else { return true };
    let bare = name.to_uppercase();
    let qualified = schema.map(|schema| format!("{}.{bare}", schema.to_uppercase()));
    patterns.iter().any(|pattern| {
        let pattern = pattern.trim().to_uppercase();
        if pattern.contains('.') {
            qualified.as_deref().is_some_and(|qualified| glob_matches(&pattern, qualified))
        } else {
            glob_matches(&pattern, &bare)
        }
    })
}

/// What one user may see and query.
#[derive(Debug, Clone)]
pub struct Permissions {
    /// The guard policy their statements are checked against.
    pub policy: Arc<GuardPolicy>,
    /// What retrieval, prompts, repairs and catalog pages show them.
    pub visibility: Visibility,
}

impl Permissions {
    /// Everything visible, `policy` as it is: for the command-line tools (`pstral eval` on Spider).
    pub fn open(policy: Arc<GuardPolicy>) -> Self {
        Self { policy, visibility: Visibility::default() }
    }

    /// The permissions of `user` now: their role's grant and the sensitive marks read from the store.
    pub async fn for_user(state: &AppState, user: &CurrentUser) -> Result<Self, ApiError> {
        let (_dialect, base) = state.answerer.guard_policy();
        let catalog = state.answerer.index.catalog().unwrap_or_default();
        let mut marks = state.store.sensitive_marks().await?;
        marks.sensitive_patterns = state.answerer.options.sensitive_patterns.clone();
        let grant = state.store.grant(user.role).await?;
        let cleared = state.answerer.options.clearance.clears(user.role);
        let subject = format!("{} ({})", user.username, user.role.as_str());
        Ok(Self::build(&base, &catalog, &marks, &grant, cleared, subject))
    }

    /// Builds the permissions from their parts: `base` (the catalog's policy), the `marks` (stewards' marks and
    /// patterns), the role's `grant`, and whether the role is `cleared` for sensitive columns.
    pub fn build(
        base: &GuardPolicy,
        catalog: &Catalog,
        marks: &Overrides,
        grant: &Grant,
        cleared: bool,
        subject: String,
    ) -> Self {
        let mut visibility = Visibility::default();
        let mut allowed: Option<BTreeSet<String>> = grant.as_ref().map(|_| BTreeSet::new());
        let mut hidden_columns: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for table in &catalog.tables {
            let key = table_key(table.schema.as_deref(), &table.name);
            let names = [table.name.to_uppercase(), table.qualified_name().to_uppercase()];
            if !granted(grant, table.schema.as_deref(), &table.name) {
                visibility.hidden_tables.insert(key);
                continue;
            }
            if let Some(allowed) = &mut allowed {
                allowed.extend(names.iter().cloned());
            }
            for column in &table.columns {
                if marks.is_sensitive(table, &column.name) {
                    let upper = column.name.to_uppercase();
                    // A cleared reader sees it, outside the prompt part every reader shares.
                    if cleared {
                        visibility.private_columns.insert((key.clone(), upper));
                        continue;
                    }
                    visibility.hidden_columns.insert((key.clone(), upper.clone()));
                    for name in &names {
                        hidden_columns.entry(name.clone()).or_default().insert(upper.clone());
                    }
                }
            }
        }
        let policy = GuardPolicy { allowed_tables: allowed, hidden_columns, subject, ..base.clone() };
        Self { policy: Arc::new(policy), visibility }
    }

    /// `catalog` as this user sees it: hidden tables and columns left out (the same catalog when nothing is).
    pub fn visible_catalog(&self, catalog: &Arc<Catalog>) -> Arc<Catalog> {
        if self.visibility.hidden_tables.is_empty() && self.visibility.hidden_columns.is_empty() {
            return Arc::clone(catalog);
        }
        let tables = catalog
            .tables
            .iter()
            .filter(|table| self.visibility.shows_table(table))
            .map(|table| self.visibility.view(table).into_owned())
            .collect();
        let terms = catalog.terms.iter().filter(|term| self.visibility.shows_term(term)).cloned().collect();
        Arc::new(Catalog { engine: catalog.engine, tables, terms })
    }
}

#[cfg(test)]
mod tests {
    use indexer::catalog::{Column, Table};

    use super::*;
    use crate::guard::{self, Dialect, Rule};

    fn catalog() -> Catalog {
        let table = |schema: &str, name: &str, columns: &[&str]| Table {
            schema: Some(schema.into()),
            name: name.into(),
            columns: columns.iter().map(|name| Column { name: (*name).into(), ..Column::default() }).collect(),
            ..Table::default()
        };
        Catalog {
            engine: None,
            terms: Vec::new(),
            tables: vec![
                table("DWH", "CLIENTS", &["ID_CLIENT", "NOM", "EMAIL", "DATE_NAISSANCE"]),
                table("DWH", "CONTRATS", &["ID_CONTRAT", "ID_CLIENT"]),
                table("RH", "SALAIRES", &["ID", "MONTANT"]),
            ],
        }
    }

    fn marks() -> Overrides {
        let mut marks = Overrides { sensitive_patterns: vec!["*NAISSANCE*".into()], ..Overrides::default() };
        marks.sensitive_columns.insert((table_key(Some("DWH"), "CLIENTS"), "EMAIL".into()));
        marks
    }

    #[test]
    fn an_analyst_gets_sensitive_columns_hidden_and_a_cleared_role_does_not() {
        let base = GuardPolicy::new(Dialect::Oracle).with_catalog(&catalog());
        let analyst = Permissions::build(&base, &catalog(), &marks(), &None, false, "ana (analyst)".into());
        let verdict = guard::check("SELECT NOM, EMAIL FROM DWH.CLIENTS", &analyst.policy);
        assert_eq!(verdict.rule, Rule::SensitiveColumn, "{}", verdict.message);
        let verdict = guard::check("SELECT DATE_NAISSANCE FROM CLIENTS", &analyst.policy);
        assert_eq!(verdict.rule, Rule::SensitiveColumn, "a pattern flags it until reviewed");
        let clients = &catalog().tables[0];
        assert!(!analyst.visibility.shows_column(clients, "EMAIL") && analyst.visibility.shows_column(clients, "NOM"));
        let visible = analyst.visible_catalog(&Arc::new(catalog()));
        assert_eq!(visible.tables[0].columns.len(), 2);
        let steward = Permissions::build(&base, &catalog(), &marks(), &None, true, "sam (steward)".into());
        let verdict = guard::check("SELECT NOM, EMAIL FROM DWH.CLIENTS", &steward.policy);
        assert!(verdict.allowed, "{}", verdict.message);
        assert_eq!(verdict.checked().map(|checked| checked.subject()), Some("sam (steward)"));
        // Both share the prompt's stable part: the steward's sensitive columns are theirs alone.
        assert!(steward.visibility.shows_column(clients, "EMAIL") && steward.visibility.is_private(clients, "EMAIL"));
        assert_eq!(steward.visibility.shared(), analyst.visibility.shared());
    }

    #[test]
    fn a_grant_hides_and_refuses_every_other_table() {
        let base = GuardPolicy::new(Dialect::Oracle).with_catalog(&catalog());
        let grant: Grant = Some(vec!["dwh.*".into()]);
        let permissions = Permissions::build(&base, &catalog(), &Overrides::default(), &grant, true, String::new());
        assert!(guard::check("SELECT NOM FROM CLIENTS", &permissions.policy).allowed);
        let verdict = guard::check("SELECT MONTANT FROM RH.SALAIRES", &permissions.policy);
        assert_eq!(verdict.rule, Rule::TableNotAllowed);
        assert!(!permissions.visibility.shows_table(&catalog().tables[2]));
        assert_eq!(permissions.visible_catalog(&Arc::new(catalog())).tables.len(), 2);
        assert!(granted(&Some(vec!["CONTRATS".into()]), Some("DWH"), "contrats"));
        assert!(!granted(&Some(vec!["RH.*".into()]), Some("DWH"), "CONTRATS"));
        assert!(granted(&None, Some("RH"), "SALAIRES"));
    }
}
