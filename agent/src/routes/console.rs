//! Static files of the web console, without authentication. Unknown paths get `index.html` (client-side routes).
//!
//! When the console has not been built, a small page says how to build it instead of a bare 404.

use std::path::Path;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use axum::routing::{MethodRouter, get};
use tower_http::services::{ServeDir, ServeFile};

/// Returns the service serving `console_dir`, or an explanatory page when it holds no `index.html`.
pub fn service(console_dir: &Path) -> MethodRouter {
    let index = console_dir.join("index.html");
    if index.is_file() {
        let files = ServeDir::new(console_dir).precompressed_gzip().fallback(ServeFile::new(index));
        axum::routing::get_service(files)
    } else {
        tracing::warn!(dir = %console_dir.display(), "the console is not built: `make run` builds it");
        get(console_missing)
    }
}

async fn console_missing() -> impl IntoResponse {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Html(
            "<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\"><title>Pstral</title>\
             <body style=\"font-family:sans-serif;max-width:40em;margin:3em auto\">\
             <h1>Pstral</h1><p>La console web n'est pas construite. Lancez <code>make run</code> \
             depuis la racine du dépôt, ou indiquez son dossier avec <code>PSTRAL_CONSOLE_DIR</code>.</p>\
             <p lang=\"en\">The web console is not built: run <code>make run</code> from the repository root, \
             or point <code>PSTRAL_CONSOLE_DIR</code> at it. The API answers at \
             <a href=\"/api/v1/health\">/api/v1/health</a>.</p></body></html>",
        ),
    )
}
