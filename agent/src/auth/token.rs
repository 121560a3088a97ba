//! Session tokens: HS256 JWTs carrying the user id, a unique id (for logout) and the issue and expiry times.
//!
//! Only HS256 is accepted when decoding (`alg: none` and every other algorithm are refused by the validation).
//! The role is not trusted from the token: every request reads the user's current role from the store.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::config::{AuthConfig, Environment};

/// Shortest secret key accepted, in bytes.
pub const MIN_SECRET_BYTES: usize = 32;

/// Keys known from examples and defaults: never accepted in production.
const KNOWN_WEAK_SECRETS: &[&str] =
    &["change-me", "changeme", "change-me-in-production", "your-secret-key-change-in-production", "secret", "pstral"];

/// What a token says.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id.
    pub sub: String,
    /// The token's unique id, recorded at logout.
    pub jti: String,
    /// Issued at, seconds since the epoch.
    pub iat: u64,
    /// Expires at, seconds since the epoch.
    pub exp: u64,
}

/// Signs and checks tokens.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    lifetime: Duration,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("TokenKeys").field("lifetime", &self.lifetime).finish_non_exhaustive()
    }
}

impl TokenKeys {
    /// Builds the keys from `secret`, with tokens valid for `lifetime`.
    pub fn new(secret: &SecretString, lifetime: Duration) -> Self {
        let bytes = secret.expose_secret().as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "sub", "iat"]);
        Self {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
            validation,
            lifetime,
        }
    }

    /// Returns how long a new token lives.
    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// Issues a token for `user_id`.
    pub fn issue(&self, user_id: &str) -> anyhow::Result<(String, Claims)> {
        let now = unix_now();
        let claims = Claims {
            sub: user_id.to_owned(),
            jti: uuid::Uuid::now_v7().to_string(),
            iat: now,
            exp: now + self.lifetime.as_secs(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .context("failed to sign a session token")?;
        Ok((token, claims))
    }

    /// Checks a token's signature, algorithm and expiry; returns its claims.
    pub fn verify(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).map(|data| data.claims)
    }
}

/// Returns seconds since the epoch.
pub fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|elapsed| elapsed.as_secs()).unwrap_or_default()
}

/// Returns the secret key to sign with. Production needs a configured key of at least 32 bytes that is not a
/// known example; development without a key generates one into `data_dir/secret.key` (mode 600) once.
pub fn resolve_secret(config: &AuthConfig, data_dir: &Path) -> anyhow::Result<SecretString> {
    if let Some(secret) = config.resolved_secret_key() {
        if let Some(problem) = weakness(secret.expose_secret()) {
            if config.environment == Environment::Production {
                anyhow::bail!(
                    "PSTRAL_SECRET_KEY is {problem}: set a random key of 32 characters or more (openssl rand -hex 32)"
                );
            }
            tracing::warn!("PSTRAL_SECRET_KEY is {problem}; production (PSTRAL_ENV=production) would refuse to start");
        }
        return Ok(secret);
    }
    if config.environment == Environment::Production {
        anyhow::bail!(
            "PSTRAL_SECRET_KEY is missing: production needs a random key of 32 characters or more (openssl rand -hex 32)"
        );
    }
    let path = data_dir.join("secret.key");
    if let Ok(existing) = std::fs::read_to_string(&path)
        && weakness(existing.trim()).is_none()
    {
        return Ok(SecretString::from(existing.trim().to_owned()));
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    write_private(&path, &secret)?;
    tracing::warn!(path = %path.display(), "no PSTRAL_SECRET_KEY: generated one for development");
    Ok(SecretString::from(secret))
}

/// Says why a secret is weak, if it is.
fn weakness(secret: &str) -> Option<&'static str> {
    if KNOWN_WEAK_SECRETS.iter().any(|known| secret.eq_ignore_ascii_case(known)) {
        return Some("a known example value");
    }
    if secret.len() < MIN_SECRET_BYTES {
        return Some("shorter than 32 characters");
    }
    let distinct: std::collections::HashSet<char> = secret.chars().collect();
    if distinct.len() < 8 {
        return Some("too repetitive");
    }
    None
}

fn write_private(path: &Path, content: &str) -> anyhow::Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options.open(path).with_context(|| format!("failed to write {}", path.display()))?;
    file.write_all(content.as_bytes()).with_context(|| format!("failed to write {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(&SecretString::from("0123456789abcdef0123456789abcdef-test".to_owned()), Duration::from_secs(60))
    }

    #[test]
    fn a_token_round_trips() {
        let keys = keys();
        let (token, claims) = keys.issue("user-1").expect("signs");
        let decoded = keys.verify(&token).expect("valid");
        assert_eq!(decoded.sub, "user-1");
        assert_eq!(decoded.jti, claims.jti);
    }

    #[test]
    fn tokens_signed_otherwise_are_refused() {
        let other = TokenKeys::new(
            &SecretString::from("another-key-another-key-another-key".to_owned()),
            Duration::from_secs(60),
        );
        let (token, _) = other.issue("user-1").expect("signs");
        assert!(keys().verify(&token).is_err());
        // `alg: none`, unsigned.
        let header = base64url(r#"{"alg":"none","typ":"JWT"}"#);
        let body =
            base64url(&format!(r#"{{"sub":"user-1","jti":"x","iat":{0},"exp":{1}}}"#, unix_now(), unix_now() + 60));
        assert!(keys().verify(&format!("{header}.{body}.")).is_err());
        assert!(keys().verify("not a token").is_err());
    }

    #[test]
    fn expired_tokens_are_refused() {
        let keys = keys();
        let claims = Claims { sub: "user-1".into(), jti: "j".into(), iat: 1, exp: 2 };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &keys.encoding).expect("signs");
        assert!(keys.verify(&token).is_err());
    }

    #[test]
    fn weak_secrets_are_named() {
        assert_eq!(weakness("changeme"), Some("a known example value"));
        assert_eq!(weakness("short"), Some("shorter than 32 characters"));
        assert_eq!(weakness(&"a".repeat(40)), Some("too repetitive"));
        assert_eq!(weakness("0f3a9c1e5b7d2468ace13579bdf02468aa"), None);
    }

    #[test]
    fn production_refuses_a_missing_or_weak_key() {
        let directory = tempfile::TempDir::new().expect("temp dir");
        let mut config = AuthConfig {
            secret_key: None,
            seed_secret_key: None,
            environment: Environment::Production,
            token_ttl_minutes: 60,
            admin_password: None,
            open_registration: false,
            metrics_token: None,
            trusted_proxies: Vec::new(),
        };
        assert!(resolve_secret(&config, directory.path()).is_err());
        config.secret_key = Some(SecretString::from("changeme".to_owned()));
        assert!(resolve_secret(&config, directory.path()).is_err());
        config.environment = Environment::Development;
        config.secret_key = None;
        let generated = resolve_secret(&config, directory.path()).expect("generated");
        let again = resolve_secret(&config, directory.path()).expect("read back");
        assert_eq!(generated.expose_secret(), again.expose_secret());
    }

    fn base64url(text: &str) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let bytes = text.as_bytes();
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let value = chunk.iter().enumerate().fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
            let symbols = chunk.len() + 1;
            for position in 0..symbols {
                out.push(ALPHABET[((value >> (18 - 6 * position)) & 63) as usize] as char);
            }
        }
        out
    }
}
