//! Users in the store: accounts, roles, sessions' validity.

use anyhow::Context;
use schemas::auth::{Role, UserInfo, UserUpdate};
use sqlx::AnyConnection;

use super::audit::AuditRecord;
use super::{Store, now_rfc3339};

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Login name.
    pub username: String,
    /// Display name.
    pub full_name: String,
    /// Contact address.
    pub email: Option<String>,
    /// Role.
    pub role: Role,
    /// argon2id PHC string.
    pub password_hash: String,
}

/// What a login needs to know about a user name.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The user.
    pub user: UserInfo,
    /// Their argon2id PHC string.
    pub password_hash: String,
}

/// What every authenticated request checks.
#[derive(Debug, Clone)]
pub struct SessionUser {
    /// The user.
    pub id: String,
    /// Login name.
    pub username: String,
    /// Current role (not the token's).
    pub role: Role,
    /// Disabled accounts are refused.
    pub disabled: bool,
    /// Tokens issued before this moment (seconds since the epoch) are refused.
    pub tokens_valid_after: i64,
    /// Whether this token was revoked (logout).
    pub revoked: bool,
}

/// Seconds since the epoch, as the store keeps session boundaries.
fn now_seconds() -> i64 {
    i64::try_from(crate::auth::token::unix_now()).unwrap_or(i64::MAX)
}

type UserRow = (String, String, String, Option<String>, String, i64, String);
type CredentialsRow = (String, String, String, Option<String>, String, i64, String, String);

const USER_COLUMNS: &str = "id, username, full_name, email, role, disabled, created_at";

fn to_user((id, username, full_name, email, role, disabled, created_at): UserRow) -> UserInfo {
    UserInfo {
        id,
        username,
        full_name,
        email,
        role: Role::parse(&role).unwrap_or(Role::Analyst),
        disabled: disabled != 0,
        created_at,
    }
}

impl Store {
    /// Returns how many users exist.
    pub async fn count_users(&self) -> anyhow::Result<i64> {
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
            .fetch_one(self.pool())
            .await
            .context("failed to count users")?;
        Ok(count)
    }

    /// Creates a user and writes `audit` in the same transaction. `Ok(None)` when the name is taken.
    pub async fn create_user(&self, user: &NewUser, audit: &AuditRecord) -> anyhow::Result<Option<UserInfo>> {
        // The unique index on LOWER(username) decides, also between two racing requests.
        let mut transaction = self.transaction().await?;
        let id = uuid::Uuid::now_v7().to_string();
        let now = now_rfc3339();
        let inserted = sqlx::query(
            "INSERT INTO users (id, username, email, full_name, password_hash, role, disabled, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $7)",
        )
        .bind(&id)
        .bind(&user.username)
        .bind(user.email.as_deref())
        .bind(&user.full_name)
        .bind(&user.password_hash)
        .bind(user.role.as_str())
        .bind(&now)
        .execute(&mut *transaction)
        .await;
        match inserted {
            // The name is taken, whatever its case, possibly by a request racing this one.
            Err(sqlx::Error::Database(database)) if database.is_unique_violation() => return Ok(None),
            other => other.context("failed to create a user")?,
        };
        let audit = AuditRecord { resource: Some(format!("user:{id}")), ..audit.clone() };
        super::audit::insert(&mut transaction, &audit).await?;
        transaction.commit().await.context("failed to commit a new user")?;
        Ok(Some(UserInfo {
            id,
            username: user.username.clone(),
            full_name: user.full_name.clone(),
            email: user.email.clone(),
            role: user.role,
            disabled: false,
            created_at: now,
        }))
    }

    /// Returns the user with this login name (case-insensitive) and their password hash.
    pub async fn credentials(&self, username: &str) -> anyhow::Result<Option<Credentials>> {
        let row: Option<CredentialsRow> = sqlx::query_as(
            "SELECT id, username, full_name, email, role, disabled, created_at, password_hash FROM users \
             WHERE LOWER(username) = LOWER($1)",
        )
        .bind(username)
        .fetch_optional(self.pool())
        .await
        .context("failed to read a user")?;
        Ok(row.map(|(id, username, full_name, email, role, disabled, created_at, password_hash)| Credentials {
            user: to_user((id, username, full_name, email, role, disabled, created_at)),
            password_hash,
        }))
    }

    /// Returns a user by id.
    pub async fn user(&self, id: &str) -> anyhow::Result<Option<UserInfo>> {
        let row: Option<UserRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1")))
                .bind(id)
                .fetch_optional(self.pool())
                .await
                .context("failed to read a user")?;
        Ok(row.map(to_user))
    }

    /// Returns every user, by name.
    pub async fn users(&self) -> anyhow::Result<Vec<UserInfo>> {
        let rows: Vec<UserRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users ORDER BY username")))
                .fetch_all(self.pool())
                .await
                .context("failed to list users")?;
        Ok(rows.into_iter().map(to_user).collect())
    }

    /// Reads what an authenticated request checks: the user's state and whether the token `jti` was revoked.
    pub async fn session_user(&self, id: &str, jti: &str) -> anyhow::Result<Option<SessionUser>> {
        let row: Option<(String, String, String, i64, i64, i64)> = sqlx::query_as(
            "SELECT id, username, role, disabled, tokens_valid_after, \
                    (SELECT COUNT(*) FROM revoked_tokens WHERE jti = $2) \
             FROM users WHERE id = $1",
        )
        .bind(id)
        .bind(jti)
        .fetch_optional(self.pool())
        .await
        .context("failed to check a session")?;
        Ok(row.map(|(id, username, role, disabled, tokens_valid_after, revoked)| SessionUser {
            id,
            username,
            role: Role::parse(&role).unwrap_or(Role::Analyst),
            disabled: disabled != 0,
            tokens_valid_after,
            revoked: revoked > 0,
        }))
    }

    /// Revokes one token until it expires (logout), with its audit row; forgets revocations already expired.
    pub async fn revoke_token(&self, jti: &str, expires_at: u64, audit: &AuditRecord) -> anyhow::Result<()> {
        let mut transaction = self.transaction().await?;
        let now = now_seconds();
        sqlx::query("DELETE FROM revoked_tokens WHERE expires_at < $1")
            .bind(now)
            .execute(&mut *transaction)
            .await
            .context("failed to clean revoked tokens")?;
        sqlx::query("INSERT INTO revoked_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING")
            .bind(jti)
            .bind(i64::try_from(expires_at).unwrap_or(i64::MAX))
            .execute(&mut *transaction)
            .await
            .context("failed to revoke a token")?;
        super::audit::insert(&mut transaction, audit).await?;
        transaction.commit().await.context("failed to commit a logout")?;
        Ok(())
    }

    /// Replaces a user's password and ends their other sessions, with the audit row.
    pub async fn set_password(&self, id: &str, password_hash: &str, audit: &AuditRecord) -> anyhow::Result<()> {
        let mut transaction = self.transaction().await?;
        sqlx::query("UPDATE users SET password_hash = $1, tokens_valid_after = $2, updated_at = $3 WHERE id = $4")
            .bind(password_hash)
            .bind(now_seconds())
            .bind(now_rfc3339())
            .bind(id)
            .execute(&mut *transaction)
            .await
            .context("failed to change a password")?;
        super::audit::insert(&mut transaction, audit).await?;
        transaction.commit().await.context("failed to commit a password change")?;
        Ok(())
    }

    /// Applies an admin's change to a user, with the audit row; disabling ends their sessions. `Ok(None)` when the
    /// user does not exist.
    pub async fn update_user(
        &self,
        id: &str,
        update: &UserUpdate,
        audit: &AuditRecord,
    ) -> anyhow::Result<Option<UserInfo>> {
        let mut transaction = self.transaction().await?;
        let exists: Option<(String,)> = sqlx::query_as("SELECT id FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *transaction)
            .await
            .context("failed to read a user")?;
        if exists.is_none() {
            return Ok(None);
        }
        apply_update(&mut transaction, id, update).await?;
        super::audit::insert(&mut transaction, audit).await?;
        transaction.commit().await.context("failed to commit a user change")?;
        self.user(id).await
    }
}

async fn apply_update(connection: &mut AnyConnection, id: &str, update: &UserUpdate) -> anyhow::Result<()> {
    let now = now_rfc3339();
    if let Some(role) = update.role {
        sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
            .bind(role.as_str())
            .bind(&now)
            .bind(id)
            .execute(&mut *connection)
            .await
            .context("failed to change a role")?;
    }
    if let Some(full_name) = &update.full_name {
        sqlx::query("UPDATE users SET full_name = $1, updated_at = $2 WHERE id = $3")
            .bind(full_name)
            .bind(&now)
            .bind(id)
            .execute(&mut *connection)
            .await
            .context("failed to rename a user")?;
    }
    if let Some(disabled) = update.disabled {
        sqlx::query("UPDATE users SET disabled = $1, tokens_valid_after = $2, updated_at = $3 WHERE id = $4")
            .bind(i64::from(disabled))
            .bind(now_seconds())
            .bind(&now)
            .bind(id)
            .execute(&mut *connection)
            .await
            .context("failed to disable a user")?;
    }
    Ok(())
}
