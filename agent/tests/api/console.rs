//! Static files of the console.

use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test]
async fn a_missing_console_gets_a_page_that_says_how_to_build_it() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 503);
    let body = response.text().await.expect("body");
    assert!(body.contains("make run"), "{body}");
}

#[tokio::test]
async fn a_built_console_is_served_with_index_html_for_client_routes() {
    let console = tempfile::TempDir::new().expect("temp dir");
    std::fs::write(console.path().join("index.html"), "<div id=\"main\"></div>").expect("write index");
    std::fs::write(console.path().join("console.js"), "export default 1;").expect("write js");
    let dir = console.path().to_path_buf();
    let app = spawn_app_with(move |config| config.console_dir = dir).await;
    let script = app.get("/console.js").await;
    assert_eq!(script.status(), 200);
    assert!(script.headers()["content-type"].to_str().expect("ascii").contains("javascript"));
    let route = app.get("/conversations/42").await;
    assert_eq!(route.status(), 200);
    assert!(route.text().await.expect("body").contains("id=\"main\""));
    let api = app.get("/api/v1/health").await;
    assert_eq!(api.status(), 200, "the API is not shadowed by the console");
}
