//! The `pstral` binary killed with SIGKILL — during a burst of store writes, and right after a re-index started —
//! then started again on the same data directory: every change is there with its audit row or not at all, and the
//! index serves again without a new build.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use schemas::admin::AuditPage;
use schemas::auth::UserInfo;

const PASSWORD: &str = "mot de passe de l'admin du test";

struct Service {
    child: Child,
    address: String,
    client: reqwest::Client,
}

impl Service {
    /// Starts `pstral serve` on `data` and waits until its index serves (at most two minutes).
    async fn start(data: &Path) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("address").port();
        let child = Command::new(env!("CARGO_BIN_EXE_pstral"))
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", std::env::var_os("HOME").unwrap_or_default())
            .envs(std::env::var_os("PSTRAL_ASSETS_DIR").map(|dir| ("PSTRAL_ASSETS_DIR", dir)))
            .env("PSTRAL_BIND", format!("127.0.0.1:{port}"))
            .env("PSTRAL_DATA_DIR", data)
            .env("PSTRAL_CONSOLE_DIR", data.join("no-console"))
            .env("PSTRAL_SECRET_KEY", "a-test-secret-key-for-the-crash-tests-0123456789")
            .env("PSTRAL_ADMIN_PASSWORD", PASSWORD)
            .env("OLLAMA_URL", "http://127.0.0.1:9")
            .env("PSTRAL_REINDEX_CRON", "")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("pstral starts");
        let service = Self { child, address: format!("http://127.0.0.1:{port}"), client: reqwest::Client::new() };
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(120) {
            if let Ok(response) = service.client.get(format!("{}/api/v1/health", service.address)).send().await
                && let Ok(report) = response.json::<schemas::HealthResponse>().await
                && report.dependency("index").is_some_and(|index| index.state == schemas::DependencyState::Ok)
            {
                return service;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("pstral did not serve its index within two minutes");
    }

    async fn token(&self) -> String {
        let body = serde_json::json!({"username": "admin", "password": PASSWORD});
        let response = self.client.post(format!("{}/api/v1/auth/login", self.address)).json(&body).send().await;
        let token: schemas::auth::TokenResponse = response.expect("login").json().await.expect("token");
        token.access_token
    }

    fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }
}

#[tokio::test]
async fn a_kill_during_store_writes_leaves_each_change_whole_with_its_audit_row() {
    let data = tempfile::TempDir::new().expect("temp dir");
    let service = Service::start(data.path()).await;
    let token = service.token().await;
    let (client, address) = (service.client.clone(), service.address.clone());
    let confirmed = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let writer = {
        let confirmed = std::sync::Arc::clone(&confirmed);
        let token = token.clone();
        tokio::spawn(async move {
            for n in 0.. {
                let name = format!("analyste{n}");
                let body = serde_json::json!({"username": name, "password": "une phrase de passe", "role": "analyst"});
                let sent = client.post(format!("{address}/api/v1/users")).bearer_auth(&token).json(&body).send().await;
                match sent {
                    Ok(response) if response.status() == 201 => confirmed.lock().expect("lock").push(name),
                    _ => break,
                }
            }
        })
    };
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    service.kill();
    let _ = writer.await;
    let confirmed = confirmed.lock().expect("lock").clone();
    assert!(confirmed.len() >= 2, "some writes were confirmed before the kill: {}", confirmed.len());

    let service = Service::start(data.path()).await;
    let token = service.token().await;
    let users: Vec<UserInfo> = service
        .client
        .get(format!("{}/api/v1/users", service.address))
        .bearer_auth(&token)
        .send()
        .await
        .expect("users")
        .json()
        .await
        .expect("user list");
    let audit: AuditPage = service
        .client
        .get(format!("{}/api/v1/audit?action=user.create&per_page=500", service.address))
        .bearer_auth(&token)
        .send()
        .await
        .expect("audit")
        .json()
        .await
        .expect("audit page");
    for name in &confirmed {
        assert!(users.iter().any(|user| &user.username == name), "{name} was confirmed, then lost");
    }
    for user in users.iter().filter(|user| user.username != "admin") {
        let needle = format!("\"username\":\"{}\"", user.username);
        assert!(
            audit.entries.iter().any(|row| row.details.contains(&needle)),
            "{} exists without its audit row",
            user.username
        );
    }
    service.kill();
}

#[tokio::test]
async fn a_kill_right_after_a_reindex_starts_restarts_on_the_previous_index() {
    let data = tempfile::TempDir::new().expect("temp dir");
    let service = Service::start(data.path()).await;
    let token = service.token().await;
    let current = std::fs::read_to_string(data.path().join("index/CURRENT")).expect("a serving build");
    let started = service
        .client
        .post(format!("{}/api/v1/index/rebuild", service.address))
        .bearer_auth(&token)
        .send()
        .await
        .expect("rebuild");
    assert_eq!(started.status(), 202);
    service.kill();
    let after_kill = std::fs::read_to_string(data.path().join("index/CURRENT")).expect("still a serving build");
    assert!(!after_kill.trim().is_empty());
    let restarted = Instant::now();
    let service = Service::start(data.path()).await;
    assert!(restarted.elapsed() < Duration::from_secs(60), "the restart serves an index without a long rebuild");
    let status: schemas::admin::IndexStatusInfo = service
        .client
        .get(format!("{}/api/v1/index/status", service.address))
        .bearer_auth(service.token().await)
        .send()
        .await
        .expect("status")
        .json()
        .await
        .expect("status body");
    assert!(status.tables > 0, "{status:?}");
    // Either the killed build had been published whole, or the previous one still serves.
    let now = std::fs::read_to_string(data.path().join("index/CURRENT")).expect("current");
    assert!(now == current || now == after_kill, "CURRENT points at a whole build");
    service.kill();
}
