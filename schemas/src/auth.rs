//! Sessions and users: `/api/v1/auth/*` and `/api/v1/users*`.

use serde::{Deserialize, Serialize};

/// What a user may do. Each role includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Asks questions, runs SQL, keeps their own conversations.
    Analyst,
    /// + curates descriptions, sensitive columns, verified pairs; re-indexes.
    Steward,
    /// + users, audit log, settings.
    Admin,
}

impl Role {
    /// Every role, lowest first.
    pub const ALL: [Role; 3] = [Role::Analyst, Role::Steward, Role::Admin];

    /// The role's name on the wire and in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Analyst => "analyst",
            Self::Steward => "steward",
            Self::Admin => "admin",
        }
    }

    /// Parses a role's name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == name)
    }
}

/// Body of `POST /api/v1/auth/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct LoginRequest {
    /// The user name.
    pub username: String,
    /// The password.
    pub password: String,
}

/// A signed session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct TokenResponse {
    /// The bearer token (a JWT) for the `Authorization` header.
    pub access_token: String,
    /// Always `bearer`.
    pub token_type: String,
    /// Seconds until the token expires.
    pub expires_in: u64,
    /// Who the token is for.
    pub user: UserInfo,
}

/// A user, as shown to them and to admins (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct UserInfo {
    /// Stable id.
    pub id: String,
    /// Login name.
    pub username: String,
    /// Display name.
    #[serde(default)]
    pub full_name: String,
    /// Contact address.
    #[serde(default)]
    pub email: Option<String>,
    /// What they may do.
    pub role: Role,
    /// A disabled user cannot log in and their tokens stop working.
    #[serde(default)]
    pub disabled: bool,
    /// RFC 3339.
    pub created_at: String,
}

/// Body of `POST /api/v1/auth/register` and `POST /api/v1/users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct RegisterRequest {
    /// Login name: 3 to 64 letters, digits, `.`, `_`, `-`.
    pub username: String,
    /// At least 10 characters.
    pub password: String,
    /// Display name.
    #[serde(default)]
    pub full_name: String,
    /// Contact address.
    #[serde(default)]
    pub email: Option<String>,
    /// Role given by an admin; open registration always gives `analyst`.
    #[serde(default)]
    pub role: Option<Role>,
}

/// Body of `POST /api/v1/auth/password`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PasswordChange {
    /// The current password.
    pub current_password: String,
    /// The new one (at least 10 characters).
    pub new_password: String,
}

/// Body of `PATCH /api/v1/users/{id}`: what an admin changes; absent fields stay.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct UserUpdate {
    /// New role.
    #[serde(default)]
    pub role: Option<Role>,
    /// Disable or enable.
    #[serde(default)]
    pub disabled: Option<bool>,
    /// New display name.
    #[serde(default)]
    pub full_name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_and_named() {
        assert!(Role::Analyst < Role::Steward && Role::Steward < Role::Admin);
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(serde_json::to_string(&role).expect("serialises"), format!("\"{}\"", role.as_str()));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
