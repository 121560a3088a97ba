//! The `pstral` binary as a real process: killed with SIGKILL — during a burst of store writes, and right after a
//! re-index started — then started again on the same data directory (every change is there with its audit row or
//! not at all, and the index serves again without a new build); and with its index directory on a disk that fills up.

use std::io::Write;
use std::path::{Path, PathBuf};
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
        let mut command = Command::new(env!("CARGO_BIN_EXE_pstral"));
        command.arg("serve");
        Self::spawn(command, data).await
    }

    /// Starts `pstral serve` on `data` with `data/index` on a disk of its own of `size` (a tmpfs mounted in a
    /// private mount namespace by `unshare`, so the test needs no privilege on the host's mounts).
    async fn start_on_small_disk(data: &Path, size: &str) -> Self {
        let index = data.join("index");
        std::fs::create_dir_all(&index).expect("index dir");
        let mut command = Command::new("unshare");
        command.args([
            "--map-root-user",
            "--mount",
            "sh",
            "-c",
            r#"mount -t tmpfs -o "size=$1" tmpfs "$2" && exec "$3" serve"#,
        ]);
        command.arg("sh").arg(size).arg(&index).arg(env!("CARGO_BIN_EXE_pstral"));
        Self::spawn(command, data).await
    }

    /// The service's own view of `path` (inside its mount namespace).
    fn view(&self, path: &Path) -> PathBuf {
        Path::new(&format!("/proc/{}/root", self.child.id())).join(path.strip_prefix("/").expect("absolute path"))
    }

    async fn spawn(mut command: Command, data: &Path) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("address").port();
        let child = command
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
            .expect("pstral starts (and `unshare` for the small disk)");
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

    async fn index_status(&self, token: &str) -> schemas::admin::IndexStatusInfo {
        let response = self.client.get(format!("{}/api/v1/index/status", self.address)).bearer_auth(token).send();
        response.await.expect("status").json().await.expect("status body")
    }

    /// Starts a re-index and waits until it ends — a new build serves or a new error is recorded — (at most a
    /// minute); returns the status then.
    async fn reindex(&self, token: &str) -> schemas::admin::IndexStatusInfo {
        let before = self.index_status(token).await;
        let started = self.client.post(format!("{}/api/v1/index/rebuild", self.address)).bearer_auth(token).send();
        assert_eq!(started.await.expect("rebuild").status(), 202);
        let waiting = Instant::now();
        while waiting.elapsed() < Duration::from_secs(60) {
            tokio::time::sleep(Duration::from_millis(200)).await;
            let status = self.index_status(token).await;
            if !status.building && (status.built_at != before.built_at || status.last_error != before.last_error) {
                return status;
            }
        }
        panic!("the re-index did not end within a minute");
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

/// Fills the disk holding `dir` with one file, until the disk refuses more.
fn fill(file: &Path) {
    let mut filler = std::fs::File::create(file).expect("filler");
    let block = vec![0x5a_u8; 256 * 1024];
    loop {
        match filler.write_all(&block).and_then(|()| filler.sync_all()) {
            Ok(()) => {}
            Err(error) if error.raw_os_error() == Some(28) => return,
            Err(error) => panic!("filling the disk: {error}"),
        }
    }
}

#[tokio::test]
async fn a_full_disk_fails_the_reindex_clearly_keeps_the_index_serving_and_recovers_once_space_is_freed() {
    let data = tempfile::TempDir::new().expect("temp dir");
    let service = Service::start_on_small_disk(data.path(), "48m").await;
    let token = service.token().await;
    let index = service.view(&data.path().join("index"));
    assert!(!data.path().join("index/CURRENT").exists(), "the index lives on the small disk, not the host's");
    let serving = std::fs::read_to_string(index.join("CURRENT")).expect("a serving build");
    let builds = || std::fs::read_dir(index.join("builds")).expect("builds").count();
    assert_eq!(builds(), 1);

    fill(&index.join("filler"));
    let status = service.reindex(&token).await;
    let error = status.last_error.clone().unwrap_or_default();
    assert!(error.contains("no space left") && error.contains("free space"), "a clear error: {status:?}");
    assert!(status.tables > 0, "the previous index still serves: {status:?}");
    assert_eq!(std::fs::read_to_string(index.join("CURRENT")).expect("current"), serving);
    assert_eq!(builds(), 1, "the partial build was removed");
    let leftovers: Vec<_> = std::fs::read_dir(&index)
        .expect("index dir")
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no half-written file holds space: {leftovers:?}");
    let health: schemas::HealthResponse = service
        .client
        .get(format!("{}/api/v1/health", service.address))
        .send()
        .await
        .expect("health")
        .json()
        .await
        .expect("report");
    let index_health = health.dependency("index").expect("index in health");
    assert_eq!(index_health.state, schemas::DependencyState::Ok, "{index_health:?}");
    assert!(
        index_health.message.as_deref().is_some_and(|message| message.contains("no space left")),
        "{index_health:?}"
    );

    std::fs::remove_file(index.join("filler")).expect("space freed");
    let status = service.reindex(&token).await;
    assert_eq!(status.last_error, None, "the next re-index succeeds without a restart: {status:?}");
    assert_ne!(std::fs::read_to_string(index.join("CURRENT")).expect("current"), serving, "a new build serves");
    service.kill();
}
