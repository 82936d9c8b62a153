//! HTTP plumbing: the router, CORS, static files, and an accept loop that can drop a
//! connection without answering (a fault real networks produce and axum cannot express).

use std::io;
use std::path::{Component, Path};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tower_service::Service;

use crate::control;
use crate::pipeline;
use crate::reply::DropConnection;
use crate::state::Sim;

pub fn router(sim: Arc<Sim>) -> Router {
    control::routes()
        .fallback(fallback)
        .layer(middleware::from_fn(cors))
        .with_state(sim)
}

/// Static files (with `--www`) first, then Graph; nothing under `/__sim` reaches Graph.
async fn fallback(State(sim): State<Arc<Sim>>, req: Request) -> Response {
    let path = req.uri().path();
    if path == "/__sim" || path.starts_with("/__sim/") {
        return control::error(StatusCode::NOT_FOUND, format!("no control endpoint {path}"));
    }
    if let (Some(root), &Method::GET | &Method::HEAD) = (&sim.www, req.method()) {
        if let Some(file) = static_file(root, path).await {
            return file;
        }
    }
    pipeline::handle(State(sim), req).await
}

/// Graph answers every origin, and browsers may read the usage and trace headers.
const CORS: [(HeaderName, &str); 2] = [
    (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
    (
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        "x-app-usage, x-business-use-case-usage, x-fb-trace-id, facebook-api-version, www-authenticate",
    ),
];

const PREFLIGHT: [(HeaderName, &str); 3] = [
    (
        header::ACCESS_CONTROL_ALLOW_METHODS,
        "GET, POST, DELETE, OPTIONS",
    ),
    (
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        "Authorization, Content-Type",
    ),
    (header::ACCESS_CONTROL_MAX_AGE, "600"),
];

async fn cors(req: Request, next: Next) -> Response {
    let preflight = req.method() == Method::OPTIONS;
    let mut r = if preflight {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(req).await
    };
    let extra: &[_] = if preflight { &PREFLIGHT } else { &[] };
    for (name, value) in CORS.iter().chain(extra) {
        r.headers_mut()
            .insert(name.clone(), HeaderValue::from_static(value));
    }
    r
}

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "txt" | "ts" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The file under `root` for a URL path (`index.html` for folders), refusing anything that
/// could step outside `root`.
async fn static_file(root: &Path, url_path: &str) -> Option<Response> {
    let rel = Path::new(url_path.trim_start_matches('/'));
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) || url_path.contains('\\') {
        return None;
    }
    let mut file = root.join(rel);
    if tokio::fs::metadata(&file).await.ok()?.is_dir() {
        file.push("index.html");
    }
    let bytes = tokio::fs::read(&file).await.ok()?;
    let mut r = Response::new(Body::from(bytes));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&file)),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Some(r)
}

/// Serves connections until the future is dropped; dropping it also ends every connection.
pub async fn run(sim: Arc<Sim>, listener: TcpListener) -> io::Result<()> {
    // Webhook delivery and live traffic live exactly as long as the server.
    let _tasks = crate::webhooks::start(sim.clone());
    let app = router(sim);
    let mut connections = JoinSet::new();
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Usually out of file descriptors: wait for some to free up.
                eprintln!("graph-sim: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        connections.spawn(async move {
            let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
                let mut app = app.clone();
                async move {
                    let response = match app.call(req).await {
                        Ok(r) => r,
                        Err(never) => match never {},
                    };
                    if response.extensions().get::<DropConnection>().is_some() {
                        // An error from the service makes hyper close without answering.
                        return Err(io::Error::new(
                            io::ErrorKind::ConnectionAborted,
                            "fault: drop",
                        ));
                    }
                    Ok(response)
                }
            });
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
        while connections.try_join_next().is_some() {}
    }
}
