//! The feedback API the widget's form talks to.
//!
//! - `POST /api/feedback`: a submission as JSON (`xxgk_core::submission`).
//!   201 with `{"code","status"}` for a new one; 200 with the same for a
//!   client key seen before; 422 with `{"errors":{field: message}}`; 400
//!   for a body that is not a JSON object in UTF-8; 413 above
//!   [`BODY_LIMIT`]; 429 with `Retry-After` past the per-address rate. A
//!   filled trap field gets a 201 like any other and nothing is stored.
//! - `GET /api/feedback/{code}`: the status and public answer, never
//!   personal data; 404 for an unknown code.
//! - `GET /api/replies`: answered submissions whose authors agreed to
//!   publication, newest first, without their codes, and the statistics.
//!
//! Only origins on the allow-list get CORS headers. Every response carries
//! `nosniff`, `no-store` and a policy that forbids running or framing it.
//! Nothing personal is logged: the log has the method, path, status and
//! time only.

use crate::store::{Public, Store};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use xxgk_core::submission::{read, Incoming, ReadError};

/// The largest request body taken, in bytes (2,000 characters of body
/// and the other fields fit many times over).
pub const BODY_LIMIT: usize = 64 * 1024;

/// How the API is set up.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Origins whose pages may call the API (`https://www.example.gov.cn`).
    pub allowed_origins: Vec<String>,
    /// Submissions each address may make in a burst…
    pub burst: u32,
    /// …and then one per this long.
    pub refill: Duration,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            allowed_origins: Vec::new(),
            burst: 10,
            refill: Duration::from_secs(6),
        }
    }
}

struct Shared {
    store: Mutex<Store>,
    settings: Settings,
    /// Per address: tokens left and when they were counted.
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

/// The API's routes over `store`.
pub fn router(store: Store, settings: Settings) -> Router {
    let shared = Arc::new(Shared {
        store: Mutex::new(store),
        settings,
        buckets: Mutex::new(HashMap::new()),
    });
    Router::new()
        .route("/api/feedback", post(submit).options(preflight))
        .route("/api/feedback/{code}", get(lookup).options(preflight))
        .route("/api/replies", get(replies).options(preflight))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            headers,
        ))
        .with_state(shared)
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

async fn submit(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Bytes,
) -> Response {
    if let Some(wait) = shared.limit(peer.ip()) {
        let mut response = error(StatusCode::TOO_MANY_REQUESTS, "提交太频繁，请稍后再试。");
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(wait.as_secs().max(1)),
        );
        return response;
    }
    let Ok(text) = std::str::from_utf8(&body) else {
        return error(StatusCode::BAD_REQUEST, "请求内容不是 UTF-8 文字。");
    };
    let submission = match read(text) {
        Ok(Incoming::Submission(submission) | Incoming::Suspected(submission)) => submission,
        Err(ReadError::NotJson(why)) => {
            return error(
                StatusCode::BAD_REQUEST,
                &format!("请求内容不是 JSON：{why}"),
            )
        }
        Err(ReadError::NotObject) => {
            return error(StatusCode::BAD_REQUEST, "请求内容应为 JSON 对象。")
        }
        Err(ReadError::Fields(errors)) => {
            let errors: serde_json::Map<String, Value> = errors
                .into_iter()
                .map(|e| (e.field.key().to_owned(), Value::String(e.message)))
                .collect();
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({ "errors": errors })),
            )
                .into_response();
        }
    };
    let result = tokio::task::spawn_blocking(move || {
        let mut store = shared.store.lock().unwrap_or_else(|p| p.into_inner());
        store.submit(&submission, crate::store::now())
    })
    .await;
    match result {
        Ok(Ok((code, created))) => {
            let status = if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            (status, Json(json!({ "code": code, "status": "received" }))).into_response()
        }
        _ => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "暂时无法保存，请稍后重试；您填写的内容仍在页面上。",
        ),
    }
}

async fn lookup(State(shared): State<Arc<Shared>>, Path(code): Path<String>) -> Response {
    let found = tokio::task::spawn_blocking(move || {
        let store = shared.store.lock().unwrap_or_else(|p| p.into_inner());
        store.lookup(&code)
    })
    .await;
    match found {
        Ok(Ok(Some(public))) => Json(public_json(&public, true)).into_response(),
        Ok(Ok(None)) => error(StatusCode::NOT_FOUND, "没有这个查询码，请核对后再试。"),
        _ => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "暂时无法查询，请稍后重试。",
        ),
    }
}

async fn replies(State(shared): State<Arc<Shared>>) -> Response {
    let found = tokio::task::spawn_blocking(move || {
        let store = shared.store.lock().unwrap_or_else(|p| p.into_inner());
        Ok::<_, rusqlite::Error>((store.published_replies(100)?, store.stats()?))
    })
    .await;
    match found {
        Ok(Ok((replies, stats))) => Json(json!({
            "items": replies.iter().map(|p| public_json(p, false)).collect::<Vec<_>>(),
            "stats": {
                "received": stats.received,
                "replied": stats.answered,
                "reply_rate": stats.reply_rate,
                "median_days_to_reply": stats.median_days,
            },
        }))
        .into_response(),
        _ => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "暂时无法查询，请稍后重试。",
        ),
    }
}

/// A record as the public sees it; `with_code` only for its author.
fn public_json(p: &Public, with_code: bool) -> Value {
    let mut value = json!({
        "kind": p.kind.code(),
        "status": p.status.code(),
        "status_label": p.status.label(),
        "answer": p.answer,
        "received_at": p.received_at,
        "answered_at": p.answered_at,
    });
    if with_code {
        value["code"] = json!(p.code);
    } else {
        value["subject"] = json!(p.subject);
    }
    value
}

async fn preflight() -> StatusCode {
    StatusCode::NO_CONTENT
}

impl Shared {
    /// Takes one submission from `ip`'s allowance; how long to wait if
    /// there is none left.
    fn limit(&self, ip: IpAddr) -> Option<Duration> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let burst = f64::from(self.settings.burst);
        let refill = self.settings.refill.as_secs_f64().max(1e-9);
        if buckets.len() > 100_000 {
            buckets.retain(|_, (_, at)| now.duration_since(*at).as_secs_f64() < refill * burst);
        }
        let (tokens, at) = buckets.entry(ip).or_insert((burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() / refill).min(burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            None
        } else {
            Some(Duration::from_secs_f64((1.0 - *tokens) * refill).max(Duration::from_secs(1)))
        }
    }
}

/// CORS for allowed origins, and the security headers, on every response.
async fn headers(
    State(shared): State<Arc<Shared>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let origin = request.headers().get(header::ORIGIN).cloned();
    let preflight = request.method() == Method::OPTIONS;
    let allowed = origin.as_ref().filter(|o| {
        o.to_str()
            .is_ok_and(|o| shared.settings.allowed_origins.iter().any(|a| a == o))
    });
    if preflight && allowed.is_none() {
        return error(StatusCode::FORBIDDEN, "这个网站不在允许调用的名单上。");
    }
    let mut response = next.run(request).await;
    let h: &mut HeaderMap = response.headers_mut();
    if let Some(origin) = allowed {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        for (name, value) in [
            (header::VARY, "Origin"),
            (header::ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS"),
            (header::ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type"),
            (header::ACCESS_CONTROL_MAX_AGE, "600"),
            (header::ACCESS_CONTROL_EXPOSE_HEADERS, "Retry-After"),
        ] {
            h.insert(name, HeaderValue::from_static(value));
        }
    }
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::CACHE_CONTROL, "no-store"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; frame-ancestors 'none'",
        ),
        (header::REFERRER_POLICY, "no-referrer"),
    ] {
        h.insert(name, HeaderValue::from_static(value));
    }
    response
}
