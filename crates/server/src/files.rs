//! Static files: the widget, the demo page, catalogues.
//!
//! Every response may be read from any origin (the widget is meant to be
//! embedded by other sites' pages), is revalidated on each use (township
//! staff replace catalogue files in place, and the loader keeps one name),
//! and carries `nosniff`; an HTML page may be framed only by its own site.
//! A file with a `.br` or `.gz` sibling is sent compressed to browsers that
//! accept it (the build writes them for the widget).
//!
//! Only what is plainly meant to be published is served: nothing outside
//! the folders (a symbolic link pointing out of its folder is not
//! followed), no hidden file or folder (`.env`, `.git/`), no SQLite
//! database, WAL or journal, or a copy of one (by name, or by content
//! whatever its name). A folder asked for without
//! its final slash is redirected to it with a relative address, which
//! cannot lead to another site.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;
use tower_http::services::ServeFile;
use tower_http::set_header::SetResponseHeaderLayer;

/// A router that serves files from `dirs`, the first folder holding a path
/// winning.
pub fn router(dirs: Vec<PathBuf>) -> Router {
    // Compared with where each file really is, once links are resolved.
    let roots: Vec<PathBuf> = dirs
        .into_iter()
        .map(|d| std::fs::canonicalize(&d).unwrap_or(d))
        .collect();
    Router::new()
        .fallback(serve)
        .with_state(Arc::new(roots))
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
        .layer(axum::middleware::map_response(frame_policy))
}

/// HTML pages may be framed by their own site only.
async fn frame_policy(mut response: Response) -> Response {
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        response.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors 'self'"),
        );
    }
    response
}

fn not_found() -> Response {
    let mut response = (StatusCode::NOT_FOUND, "not found\n").into_response();
    response
        .extensions_mut()
        .insert(crate::log::Cause("file_not_found"));
    response
}

async fn serve(State(roots): State<Arc<Vec<PathBuf>>>, request: Request) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
    }
    let Some(wanted) = Wanted::read(request.uri().path()) else {
        return not_found();
    };
    let roots = roots.clone();
    let found =
        tokio::task::spawn_blocking(move || roots.iter().find_map(|root| wanted.find_in(root)))
            .await
            .ok()
            .flatten();
    match found {
        Some(Found::File { path, br, gz }) => {
            let mut files = ServeFile::new(path);
            if br {
                files = files.precompressed_br();
            }
            if gz {
                files = files.precompressed_gzip();
            }
            let Ok(response) = files.oneshot(request).await;
            response.map(Body::new)
        }
        Some(Found::Folder(name)) => {
            let query = request
                .uri()
                .query()
                .map(|q| format!("?{q}"))
                .unwrap_or_default();
            // Relative: `sub/` from `/a/sub` is `/a/sub/`, on this host.
            let location = format!("{}/{query}", percent(&name));
            match HeaderValue::from_str(&location) {
                Ok(location) => (
                    StatusCode::TEMPORARY_REDIRECT,
                    [(header::LOCATION, location)],
                )
                    .into_response(),
                Err(_) => not_found(),
            }
        }
        None => not_found(),
    }
}

/// What a request path asks for: its segments, decoded.
struct Wanted {
    segments: Vec<String>,
    /// Whether it ended with a slash (a folder's index page).
    folder: bool,
}

enum Found {
    /// A file to send, and whether it has a brotli and a gzip sibling.
    File { path: PathBuf, br: bool, gz: bool },
    /// A folder asked for without its slash; its last segment.
    Folder(String),
}

impl Wanted {
    /// Reads a request path; `None` for one that asks for something never
    /// served (a hidden file, a climb out, a byte no file name has).
    fn read(path: &str) -> Option<Wanted> {
        let decoded = percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .ok()?;
        let mut segments = Vec::new();
        for segment in decoded.split('/') {
            if segment.is_empty() {
                continue;
            }
            if segment.starts_with('.') || segment.contains(['\\', '\0']) {
                return None;
            }
            segments.push(segment.to_owned());
        }
        Some(Wanted {
            folder: decoded.ends_with('/') || segments.is_empty(),
            segments,
        })
    }

    /// Looks for it in the folder `root` (canonical).
    fn find_in(&self, root: &Path) -> Option<Found> {
        let mut path = root.to_path_buf();
        path.extend(&self.segments);
        let real = inside(root, &path)?;
        if real.is_dir() {
            if !self.folder {
                return self.segments.last().cloned().map(Found::Folder);
            }
            return file(root, &inside(root, &real.join("index.html"))?);
        }
        file(root, &real)
    }
}

/// Where `path` really is, if that is inside `root` and hidden nowhere on
/// the way (a link may point to `.env` under another name).
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let real = std::fs::canonicalize(path).ok()?;
    let within = real.strip_prefix(root).ok()?;
    let hidden = within
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    (!hidden).then_some(real)
}

/// A file found at `real`, unless it is a database or its journal.
fn file(root: &Path, real: &Path) -> Option<Found> {
    if !real.is_file() || is_database(real) {
        return None;
    }
    let sibling = |suffix: &str| {
        let mut name = real.as_os_str().to_owned();
        name.push(suffix);
        inside(root, Path::new(&name)).is_some_and(|p| p.is_file())
    };
    Some(Found::File {
        path: real.to_path_buf(),
        br: sibling(".br"),
        gz: sibling(".gz"),
    })
}

/// Whether `path` is an SQLite database, WAL, shared-memory or journal
/// file, or a copy of one: by its name (`feedback.db`, `fb.db-wal.bak`,
/// `feedback.db.gz`, `x.sqlite3`), or by the first bytes of its content
/// (a database, a WAL or a rollback journal, whatever its name).
fn is_database(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let named = name.split('.').skip(1).any(|part| {
        let part = part.split('-').next().unwrap_or(part);
        matches!(part, "db" | "db3" | "sqlite" | "sqlite3")
    }) || ["-wal", "-shm", "-journal"]
        .iter()
        .any(|m| name.contains(m));
    if named {
        return true;
    }
    let mut start = [0u8; 16];
    let read = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut start))
        .unwrap_or(0);
    let start = &start[..read];
    start.starts_with(b"SQLite format 3\0")
        || start.starts_with(&[0x37, 0x7f, 0x06, 0x82])
        || start.starts_with(&[0x37, 0x7f, 0x06, 0x83])
        || start.starts_with(&[0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7])
}

/// A path segment for a `Location` header.
fn percent(segment: &str) -> String {
    percent_encoding::utf8_percent_encode(segment, percent_encoding::NON_ALPHANUMERIC).to_string()
}
