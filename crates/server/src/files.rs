//! Static files: the widget, the demo page, catalogues.
//!
//! Every response may be read from any origin (the widget is meant to be
//! embedded by other sites' pages), is revalidated on each use (township
//! staff replace catalogue files in place, and the loader keeps one name),
//! and carries `nosniff`. A file with a `.br` or `.gz` sibling is sent
//! compressed to browsers that accept it (the build writes them for the
//! widget).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::path::PathBuf;
use std::sync::Arc;
use tower::ServiceExt;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// A router that serves files from `dirs`, the first folder holding a path
/// winning.
pub fn router(dirs: Vec<PathBuf>) -> Router {
    Router::new()
        .fallback(serve)
        .with_state(Arc::new(dirs))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
}

async fn serve(State(dirs): State<Arc<Vec<PathBuf>>>, request: Request) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
    }
    let (parts, _) = request.into_parts();
    for dir in dirs.iter() {
        let mut attempt = Request::new(Body::empty());
        *attempt.method_mut() = parts.method.clone();
        *attempt.uri_mut() = parts.uri.clone();
        *attempt.headers_mut() = parts.headers.clone();
        let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
        let Ok(response) = files.oneshot(attempt).await;
        if response.status() != StatusCode::NOT_FOUND {
            return response.map(Body::new);
        }
    }
    (StatusCode::NOT_FOUND, "not found\n").into_response()
}
