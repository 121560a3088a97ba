//! Passwords: argon2id (the crate's defaults: 19 MiB, 2 passes), hashed and checked on tokio's blocking pool.

use anyhow::Context;
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// Shortest password accepted.
pub const MIN_LENGTH: usize = 10;

/// A hash to check against when the user does not exist, so a wrong user name costs as much time as a wrong
/// password (no user enumeration by timing).
const DECOY_PASSWORD: &str = "pstral-decoy-password";

/// Hashes `password` with a fresh salt; returns the PHC string (`$argon2id$v=19$…`).
pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|error| anyhow::anyhow!("failed to hash a password: {error}"))
    })
    .await
    .context("the password hasher stopped")?
}

/// Checks `password` against a stored PHC string; `None` stands for an unknown user and always fails, after the
/// same work.
pub async fn verify(stored: Option<String>, password: String) -> bool {
    tokio::task::spawn_blocking(move || {
        let decoy;
        let phc = match &stored {
            Some(phc) => phc.as_str(),
            None => {
                decoy = Argon2::default()
                    .hash_password(DECOY_PASSWORD.as_bytes())
                    .map(|hash| hash.to_string())
                    .unwrap_or_default();
                decoy.as_str()
            }
        };
        let matches = PasswordHash::new(phc)
            .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false);
        matches && stored.is_some()
    })
    .await
    .unwrap_or(false)
}

/// Says why a new password is refused, if it is.
pub fn weakness(password: &str, username: &str) -> Option<String> {
    if password.chars().count() < MIN_LENGTH {
        return Some(format!("the password must have at least {MIN_LENGTH} characters"));
    }
    if password.eq_ignore_ascii_case(username) {
        return Some("the password must differ from the user name".to_owned());
    }
    let distinct: std::collections::HashSet<char> = password.chars().collect();
    if distinct.len() < 4 {
        return Some("the password is too repetitive".to_owned());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse battery".to_owned()).await.expect("hashes");
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(verify(Some(stored.clone()), "correct horse battery".to_owned()).await);
        assert!(!verify(Some(stored), "wrong horse battery".to_owned()).await);
        assert!(!verify(None, DECOY_PASSWORD.to_owned()).await);
        assert!(!verify(Some("not a hash".to_owned()), "x".to_owned()).await);
    }

    #[test]
    fn weak_passwords_are_explained() {
        assert!(weakness("short", "bob").is_some());
        assert!(weakness("aaaaaaaaaaaa", "bob").is_some());
        assert!(weakness("alice-the-analyst", "alice-the-analyst").is_some());
        assert_eq!(weakness("une phrase de passe", "bob"), None);
    }
}
