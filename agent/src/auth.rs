//! Authentication and authorisation: argon2id passwords, signed session tokens, login throttling, and the role
//! each route requires, checked on the server before any handler runs.

pub mod access;
pub mod password;
pub mod proxies;
pub mod throttle;
pub mod token;

use std::time::Duration;

pub use access::{Access, CurrentUser, RequestContext};
use schemas::auth::Role;
use secrecy::ExposeSecret;

use crate::config::AuthConfig;
use crate::store::users::NewUser;
use crate::store::{AuditRecord, Store};

/// What the auth routes share.
#[derive(Debug)]
pub struct AuthState {
    /// Signs and checks tokens.
    pub keys: token::TokenKeys,
    /// Counts failed logins.
    pub throttle: throttle::LoginThrottle,
    /// Whether anyone may register an analyst account.
    pub open_registration: bool,
    /// The scraper's token for /metrics.
    pub metrics_token: Option<secrecy::SecretString>,
}

impl AuthState {
    /// Builds the auth state from the configuration and the data directory (for a development key).
    pub fn new(config: &AuthConfig, data_dir: &std::path::Path) -> anyhow::Result<Self> {
        let secret = token::resolve_secret(config, data_dir)?;
        let lifetime = Duration::from_secs(config.token_ttl_minutes.max(1) * 60);
        Ok(Self {
            keys: token::TokenKeys::new(&secret, lifetime),
            throttle: throttle::LoginThrottle::default(),
            open_registration: config.open_registration,
            metrics_token: config.metrics_token.clone(),
        })
    }
}

/// Creates the first admin (`admin`) when the store has no user: with PSTRAL_ADMIN_PASSWORD, else a random
/// password printed once to the log.
pub async fn ensure_first_admin(store: &Store, config: &AuthConfig) -> anyhow::Result<()> {
    if store.count_users().await? > 0 {
        return Ok(());
    }
    let (password, generated) = match &config.admin_password {
        Some(password) => (password.expose_secret().to_owned(), false),
        None => (random_password(), true),
    };
    if let Some(problem) = password::weakness(&password, "admin") {
        anyhow::bail!("PSTRAL_ADMIN_PASSWORD is refused: {problem}");
    }
    let user = NewUser {
        username: "admin".to_owned(),
        full_name: "Administrateur".to_owned(),
        email: None,
        role: Role::Admin,
        password_hash: password::hash(password.clone()).await?,
    };
    let audit = AuditRecord {
        action: "user.create".to_owned(),
        status: "ok".to_owned(),
        details: serde_json::json!({"username": "admin", "role": "admin", "reason": "first start"}),
        ..AuditRecord::default()
    };
    store.create_user(&user, &audit).await?;
    if generated {
        tracing::warn!(
            username = "admin",
            password = %password,
            "first start: created the admin account with this password, shown once; change it after signing in"
        );
    } else {
        tracing::info!(username = "admin", "first start: created the admin account from PSTRAL_ADMIN_PASSWORD");
    }
    Ok(())
}

/// Returns a random password of 20 characters from an unambiguous alphabet.
fn random_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}
