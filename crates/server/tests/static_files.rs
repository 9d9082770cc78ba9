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

#[cfg(unix)]
#[tokio::test]
async fn links_out_of_the_folder_are_not_followed() {
    let (first, second) = folders("links");
    let outside = first.parent().unwrap().join("outside.txt");
    std::fs::write(&outside, b"outside").unwrap();
    std::os::unix::fs::symlink(&outside, first.join("out.txt")).unwrap();
    std::os::unix::fs::symlink("/etc", first.join("etc")).unwrap();
    // A link that stays inside is fine.
    std::os::unix::fs::symlink(first.join("a.txt"), first.join("alias.txt")).unwrap();
    let dirs = [first, second];
    for path in ["/out.txt", "/etc/passwd", "/etc/hostname"] {
        let (status, _, body) = get(&dirs, path, &[]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
    }
    assert_eq!(get(&dirs, "/alias.txt", &[]).await.2, "from first");
}

#[tokio::test]
async fn hidden_files_and_databases_are_never_served() {
    let (first, second) = folders("private");
    write(&first, ".env", b"SECRET=1");
    std::fs::create_dir_all(first.join(".git")).unwrap();
    write(&first.join(".git"), "config", b"[core]");
    // Databases by name, and one by its content whatever its name.
    for name in [
        "fb.db",
        "fb.db-wal",
        "fb.db-shm",
        "x.sqlite",
        "x.sqlite3",
        "x-journal",
    ] {
        write(&first, name, b"rows");
    }
    write(&first, "notes.txt.bak", b"SQLite format 3\0 and rows");
    // Copies: renamed, compressed, and a WAL and a journal by content.
    for name in [
        "fb.db-wal.bak",
        "feedback.db.gz",
        "feedback.sqlite.1",
        "fb.db-journal.old",
    ] {
        write(&first, name, b"rows");
    }
    write(&first, "wal-copy", &[0x37, 0x7f, 0x06, 0x82, 0, 0, 0, 1]);
    write(
        &first,
        "journal-copy",
        &[0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7, 0],
    );
    // What is plainly not a database is still served.
    write(&first, "dbmanual.txt", b"manual");
    write(&first, "catalogue.v2.json", b"{}");
    #[cfg(unix)]
    std::os::unix::fs::symlink(first.join(".env"), first.join("env.txt")).unwrap();
    let dirs = [first, second];
    for path in [
        "/.env",
        "/%2eenv",
        "/.git/config",
        "/sub/../.env",
        "/fb.db",
        "/fb.db-wal",
        "/fb.db-shm",
        "/x.sqlite",
        "/x.sqlite3",
        "/x-journal",
        "/notes.txt.bak",
        "/env.txt",
        "/fb.db-wal.bak",
        "/feedback.db.gz",
        "/feedback.sqlite.1",
        "/fb.db-journal.old",
        "/wal-copy",
        "/journal-copy",
    ] {
        let (status, _, body) = get(&dirs, path, &[]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
    }
    assert_eq!(get(&dirs, "/dbmanual.txt", &[]).await.2, "manual");
    assert_eq!(get(&dirs, "/catalogue.v2.json", &[]).await.2, "{}");
}

#[tokio::test]
async fn a_folder_without_its_slash_is_redirected_on_this_site_only() {
    let (first, second) = folders("redirect");
    std::fs::create_dir_all(first.join("sub")).unwrap();
    write(&first.join("sub"), "index.html", b"<p>sub</p>");
    let dirs = [first, second];
    for (path, location) in [
        ("/sub", "sub/"),
        ("//sub", "sub/"),
        ("///sub?x=1", "sub/?x=1"),
        ("/sub//", ""),
    ] {
        let (status, headers, body) = get(&dirs, path, &[]).await;
        if location.is_empty() {
            assert_eq!(status, StatusCode::OK, "{path}");
            assert_eq!(body, "<p>sub</p>");
            continue;
        }
        assert_eq!(status, StatusCode::TEMPORARY_REDIRECT, "{path}");
        let to = headers[header::LOCATION].to_str().unwrap();
        assert_eq!(to, location, "{path}");
        assert!(!to.starts_with("//") && !to.contains(':'), "{to}");
    }
}

#[tokio::test]
async fn html_pages_may_be_framed_by_their_own_site_only() {
    let (first, second) = folders("frames");
    write(&first, "index.html", b"<!doctype html><p>demo</p>");
    let dirs = [first, second];
    let (status, headers, _) = get(&dirs, "/", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CONTENT_SECURITY_POLICY],
        "frame-ancestors 'self'"
    );
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let (_, headers, _) = get(&dirs, "/a.txt", &[]).await;
    assert!(!headers.contains_key(header::CONTENT_SECURITY_POLICY));
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
}
