//! Authentication and roles: the whole route table, tokens, login throttling, accounts.

use agent::auth::Access;
use reqwest::Method;
use schemas::ErrorBody;
use schemas::auth::{Role, TokenResponse, UserInfo};

use crate::helpers::{ADMIN_PASSWORD, TEST_SECRET, USER_PASSWORD, spawn_app};

/// Replaces `{param}` segments with a plausible value.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|segment| if segment.starts_with('{') { "00000000-0000-0000-0000-000000000000" } else { segment })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn no_route_but_public_ones_answers_without_a_valid_token_or_to_a_lower_role() {
    let app = spawn_app().await;
    app.user_token("ana", Role::Analyst).await;
    app.user_token("steve", Role::Steward).await;
    let accounts = [
        (Role::Analyst, "ana", USER_PASSWORD),
        (Role::Steward, "steve", USER_PASSWORD),
        (Role::Admin, "admin", ADMIN_PASSWORD),
    ];
    let specs = agent::routes::specs();
    assert!(specs.len() >= 20, "the route table lists every API route");
    let mut public = Vec::new();
    for spec in &specs {
        let path = concrete(spec.path);
        let minimum = match spec.access {
            Access::Public => {
                public.push(spec.path);
                continue;
            }
            Access::Role(minimum) => minimum,
            Access::Scrape => Role::Admin,
        };
        for token in [None, Some("not-a-token"), Some("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")] {
            let response = app.call(spec.method.clone(), &path, token, Some(serde_json::json!({}))).await;
            assert_eq!(response.status(), 401, "{} {} with {token:?}", spec.method, spec.path);
            let body: ErrorBody = response.json().await.expect("an error body");
            assert!(body.message.contains("sign in"), "{}", body.message);
        }
        for (role, username, password) in accounts {
            // A fresh session each time: logout ends the one it is called with.
            let token = app.login(username, password).await;
            let response = app.call(spec.method.clone(), &path, Some(&token), Some(serde_json::json!({}))).await;
            let status = response.status().as_u16();
            if role < minimum {
                assert_eq!(status, 403, "{} {} as {role:?}", spec.method, spec.path);
            } else {
                assert!(status != 401 && status != 403, "{} {} as {role:?} gave {status}", spec.method, spec.path);
            }
        }
    }
    let scraped = app.call(Method::GET, "/metrics", Some("scrape-token-for-tests"), None).await;
    assert_eq!(scraped.status(), 200, "the scraper's token reads /metrics");
    let text = scraped.text().await.expect("metrics");
    assert!(
        text.contains("pstral_http_requests_total{method=\"GET\",route=\"/api/v1/auth/me\",status=\"401\"}"),
        "{text}"
    );
    assert!(text.contains("pstral_llm_queue_depth 0"));
    public.sort_unstable();
    assert_eq!(public, ["/api/v1/auth/login", "/api/v1/auth/register", "/api/v1/health", "/api/v1/openapi.json"]);
    // Static files and unknown API paths.
    assert_eq!(app.get("/").await.status(), 503, "the console page (not built in tests) needs no token");
    let unknown = app.get("/api/v1/nope").await;
    assert_eq!(unknown.status(), 404);
    assert!(unknown.json::<ErrorBody>().await.is_ok());
}

#[tokio::test]
async fn tokens_signed_with_another_key_or_expired_are_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let me: UserInfo = app.call(Method::GET, "/api/v1/auth/me", Some(&admin), None).await.json().await.expect("me");
    let forge = |secret: &str, iat: u64, exp: u64| {
        let claims = serde_json::json!({"sub": me.id, "jti": "forged", "iat": iat, "exp": exp});
        jsonwebtoken::encode(
            &jsonwebtoken::Header::default(),
            &claims,
            &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
        )
        .expect("signs")
    };
    let now = agent::auth::token::unix_now();
    let wrong_key = forge("another-secret-another-secret-another", now, now + 600);
    let expired = forge(TEST_SECRET, now - 7_200, now - 3_600);
    let valid = forge(TEST_SECRET, now, now + 600);
    for (token, expected) in [(&wrong_key, 401), (&expired, 401), (&valid, 200)] {
        let response = app.call(Method::GET, "/api/v1/auth/me", Some(token), None).await;
        assert_eq!(response.status(), expected);
    }
    let expired = app.call(Method::GET, "/api/v1/auth/me", Some(&expired), None).await;
    let body: ErrorBody = expired.json().await.expect("error body");
    assert!(body.message.contains("expired"), "{}", body.message);
}

#[tokio::test]
async fn logins_are_audited_and_throttled_after_repeated_failures() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let response = app
            .call(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(serde_json::json!({"username": "admin", "password": "wrong password"})),
            )
            .await;
        assert_eq!(response.status(), 401);
        let body: ErrorBody = response.json().await.expect("error body");
        assert_eq!(body.message, "wrong user name or password");
    }
    let throttled = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(serde_json::json!({"username": "admin", "password": ADMIN_PASSWORD})),
        )
        .await;
    assert_eq!(throttled.status(), 429, "even the right password waits");
    assert!(throttled.headers().contains_key("retry-after"));
    // Another account from the same address is not locked out.
    let unknown = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(serde_json::json!({"username": "nobody", "password": "x"})),
        )
        .await;
    assert_eq!(unknown.status(), 401, "an unknown user gets the same answer as a wrong password");
    // The audit log, read through another route with a token obtained before (the admin is throttled here):
    // every failure is a row with its address.
    let store_rows = audit_rows_direct(&app).await;
    let refused: Vec<_> =
        store_rows.iter().filter(|(action, status, _)| action == "auth.login" && status == "refused").collect();
    assert_eq!(refused.len(), 7, "{store_rows:?}");
    assert!(refused.iter().all(|(.., ip)| ip.as_deref() == Some("127.0.0.1")));
}

/// Reads (action, status, ip) of every audit row straight from the store of a test app.
async fn audit_rows_direct(app: &crate::helpers::TestApp) -> Vec<(String, String, Option<String>)> {
    let store = agent::store::Store::connect(&secrecy::SecretString::from(app.store_url.clone())).await.expect("store");
    sqlx::query_as("SELECT action, status, ip_address FROM audit_logs ORDER BY occurred_at")
        .fetch_all(store.pool())
        .await
        .expect("rows")
}

#[tokio::test]
async fn logout_and_password_change_end_sessions() {
    let app = spawn_app().await;
    let token = app.user_token("carla", Role::Analyst).await;
    let second = app.login("carla", USER_PASSWORD).await;
    assert_eq!(app.call(Method::POST, "/api/v1/auth/logout", Some(&token), None).await.status(), 204);
    assert_eq!(app.call(Method::GET, "/api/v1/auth/me", Some(&token), None).await.status(), 401, "revoked");
    assert_eq!(app.call(Method::GET, "/api/v1/auth/me", Some(&second), None).await.status(), 200, "other session");
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let wrong = app
        .call(
            Method::POST,
            "/api/v1/auth/password",
            Some(&second),
            Some(serde_json::json!({"current_password": "nope", "new_password": "un autre mot de passe"})),
        )
        .await;
    assert_eq!(wrong.status(), 401);
    let changed = app
        .call(
            Method::POST,
            "/api/v1/auth/password",
            Some(&second),
            Some(serde_json::json!({"current_password": USER_PASSWORD, "new_password": "un autre mot de passe"})),
        )
        .await;
    assert_eq!(changed.status(), 200);
    let fresh: TokenResponse = changed.json().await.expect("a new token");
    assert_eq!(app.call(Method::GET, "/api/v1/auth/me", Some(&second), None).await.status(), 401, "old session ends");
    assert_eq!(app.call(Method::GET, "/api/v1/auth/me", Some(&fresh.access_token), None).await.status(), 200);
    app.login("carla", "un autre mot de passe").await;
}

#[tokio::test]
async fn accounts_are_created_by_admins_and_disabled_accounts_stop_working() {
    let app = spawn_app().await;
    let closed = app
        .call(
            Method::POST,
            "/api/v1/auth/register",
            None,
            Some(serde_json::json!({"username": "eve", "password": USER_PASSWORD})),
        )
        .await;
    assert_eq!(closed.status(), 403, "registration is closed by default");
    let analyst = app.user_token("dan", Role::Analyst).await;
    let admin = app.admin_token().await;
    let weak = app
        .call(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(serde_json::json!({"username": "weak", "password": "123"})),
        )
        .await;
    assert_eq!(weak.status(), 422);
    let taken = app
        .call(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(serde_json::json!({"username": "DAN", "password": USER_PASSWORD})),
        )
        .await;
    assert_eq!(taken.status(), 409);
    let users: Vec<UserInfo> =
        app.call(Method::GET, "/api/v1/users", Some(&admin), None).await.json().await.expect("users");
    let dan = users.iter().find(|user| user.username == "dan").expect("dan");
    let disabled = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{}", dan.id),
            Some(&admin),
            Some(serde_json::json!({"disabled": true})),
        )
        .await;
    assert_eq!(disabled.status(), 200);
    assert_eq!(app.call(Method::GET, "/api/v1/auth/me", Some(&analyst), None).await.status(), 401);
    let login = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(serde_json::json!({"username": "dan", "password": USER_PASSWORD})),
        )
        .await;
    assert_eq!(login.status(), 401);
    let me: UserInfo = app.call(Method::GET, "/api/v1/auth/me", Some(&admin), None).await.json().await.expect("me");
    let demote = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{}", me.id),
            Some(&admin),
            Some(serde_json::json!({"role": "analyst"})),
        )
        .await;
    assert_eq!(demote.status(), 422, "an admin cannot demote themselves");
    let creations = app.audit_rows("user.create").await;
    assert_eq!(creations.len(), 2, "the first admin and dan: {creations:?}");
    let updates = app.audit_rows("user.update").await;
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0].resource.as_deref(), Some(format!("user:{}", dan.id).as_str()));
}

#[tokio::test]
async fn malformed_and_oversized_bodies_get_clear_errors() {
    let app = spawn_app().await;
    let malformed = app
        .client
        .post(format!("{}/api/v1/auth/login", app.address))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("sent");
    assert_eq!(malformed.status(), 422);
    let body: ErrorBody = malformed.json().await.expect("error body");
    assert!(body.message.starts_with("malformed request"), "{}", body.message);
    let token = app.admin_token().await;
    let huge = "x".repeat(agent::routes::MAX_BODY_BYTES + 10);
    let oversized =
        app.call(Method::POST, "/api/v1/chat", Some(&token), Some(serde_json::json!({"question": huge}))).await;
    assert_eq!(oversized.status(), 413);
    let headers = app.get("/api/v1/health").await;
    assert_eq!(headers.headers()["x-content-type-options"], "nosniff");
    assert!(headers.headers().contains_key("x-request-id"));
}
