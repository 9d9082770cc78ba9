//! The static file service: layered folders, the headers an embedded widget
//! needs, and what it refuses.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use std::path::{Path, PathBuf};
use tower::ServiceExt;

/// Two folders: `first` has a.txt and shared.txt, `second` has b.txt and
/// its own shared.txt; `first` also has a precompressed c.js.
fn folders(name: &str) -> (PathBuf, PathBuf) {
    let root = std::env::temp_dir().join(format!("xxgk-static-{name}-{}", std::process::id()));
    let (first, second) = (root.join("first"), root.join("second"));
    for dir in [&first, &second] {
        std::fs::create_dir_all(dir).unwrap();
    }
    write(&first, "a.txt", b"from first");
    write(&first, "shared.txt", b"first wins");
    write(&second, "b.txt", b"from second");
    write(&second, "shared.txt", b"second loses");
    write(&first, "c.js", b"plain");
    write(&first, "c.js.br", b"brotli bytes");
    (first, second)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

async fn get(
    dirs: &[PathBuf],
    path: &str,
    headers: &[(header::HeaderName, &str)],
) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    let response = xxgk_server::files::router(dirs.to_vec())
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    (
        parts.status,
        parts.headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

#[tokio::test]
async fn the_first_folder_holding_a_file_wins() {
    let (first, second) = folders("layers");
    let dirs = [first, second];
    assert_eq!(get(&dirs, "/a.txt", &[]).await.2, "from first");
    assert_eq!(get(&dirs, "/b.txt", &[]).await.2, "from second");
    assert_eq!(get(&dirs, "/shared.txt", &[]).await.2, "first wins");
    assert_eq!(get(&dirs, "/none.txt", &[]).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_file_can_be_embedded_from_another_origin_and_is_revalidated() {
    let (first, second) = folders("headers");
    let (status, headers, _) = get(&[first, second], "/a.txt", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
}

#[tokio::test]
async fn a_precompressed_sibling_is_sent_to_browsers_that_accept_it() {
    let (first, second) = folders("compressed");
    let dirs = [first, second];
    let (_, headers, body) = get(&dirs, "/c.js", &[(header::ACCEPT_ENCODING, "gzip, br")]).await;
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    assert_eq!(body, "brotli bytes");
    let (_, headers, body) = get(&dirs, "/c.js", &[]).await;
    assert!(!headers.contains_key(header::CONTENT_ENCODING));
    assert_eq!(body, "plain");
}

#[tokio::test]
async fn only_reading_is_allowed() {
    let (first, second) = folders("methods");
    let request = Request::builder()
        .method(Method::POST)
        .uri("/a.txt")
        .body(Body::empty())
        .unwrap();
    let response = xxgk_server::files::router(vec![first, second])
        .oneshot(request)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()[header::ALLOW], "GET, HEAD");
}

#[tokio::test]
async fn paths_cannot_climb_out_of_the_folders() {
    let (first, second) = folders("climb");
    std::fs::write(first.parent().unwrap().join("secret.txt"), b"secret").unwrap();
    let (status, _, body) = get(&[first, second], "/../secret.txt", &[]).await;
    assert_ne!(body, "secret");
    assert_eq!(status, StatusCode::NOT_FOUND);
}
