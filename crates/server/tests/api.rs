//! The feedback API: each endpoint and status code, idempotency, the trap
//! field, the rate limits behind and without proxies, cross-site writes,
//! CORS and the security headers.

mod common;

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::time::Duration;
use tower::ServiceExt;
use xxgk_server::api::{router, Settings, BODY_LIMIT};
use xxgk_server::client::Proxies;
use xxgk_server::limit::Rate;
use xxgk_server::origin::Origin;
use xxgk_server::store::Store;

const ORIGIN: &str = "https://www.gdx.gov.cn";

/// A fresh store: a database file in a folder of its own, or a new
/// PostgreSQL database.
fn db(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("xxgk-api-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    common::store(&dir)
}

/// The socket peer of every request in these tests.
const PEER: [u8; 4] = [10, 0, 0, 7];

fn app(path: &str, settings: Settings) -> Router {
    router(Store::open(path).unwrap(), settings)
        .unwrap()
        .layer(MockConnectInfo(SocketAddr::from((PEER, 5000))))
}

fn settings() -> Settings {
    Settings {
        allowed_origins: vec![Origin::parse(ORIGIN).unwrap()],
        ..Settings::default()
    }
}

async fn call(
    app: &Router,
    method: Method,
    path: &str,
    body: impl Into<Body>,
    origin: Option<&str>,
) -> (StatusCode, HeaderMap, Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(origin) = origin {
        request = request.header(header::ORIGIN, origin);
    }
    let response = app
        .clone()
        .oneshot(request.body(body.into()).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (parts.status, parts.headers, value)
}

fn complaint(key: &str, consent: bool) -> Value {
    json!({
        "kind": "complaint",
        "subject": "村道路灯损坏无人修",
        "body": "东亭村村口到小学的路灯坏了三个月，晚上孩子放学很危险。",
        "name": "张三",
        "phone": "13912345678",
        "address": "东亭村1号",
        "consent_to_publish": consent,
        "client_key": key,
        "website": "",
    })
}

async fn post(app: &Router, body: &Value) -> (StatusCode, HeaderMap, Value) {
    call(
        app,
        Method::POST,
        "/api/feedback",
        body.to_string(),
        Some(ORIGIN),
    )
    .await
}

#[tokio::test]
async fn a_submission_is_stored_and_looked_up_by_its_code() {
    let path = db("store");
    let app = app(&path, settings());
    let (status, headers, body) = post(&app, &complaint("key-00000001", false)).await;
    assert_eq!(status, StatusCode::CREATED);
    let code = body["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 12);
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], ORIGIN);

    let (status, _, seen) = call(
        &app,
        Method::GET,
        &format!("/api/feedback/{code}"),
        "",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(seen["progress"]["status"], "received");
    assert_eq!(seen["progress"]["label"], "待审核");
    // Nothing personal is ever given back.
    let text = seen.to_string();
    for personal in ["张三", "13912345678", "东亭村1号"] {
        assert!(!text.contains(personal), "{personal} in {text}");
    }
    // The row is in the store.
    let records = Store::open(&path).unwrap().records().unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].submission.as_ref().unwrap().name, "张三");

    let (status, _, _) = call(&app, Method::GET, "/api/feedback/ZZZZZZZZZZZZ", "", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_same_client_key_returns_the_original_record() {
    let path = db("idempotent");
    let app = app(&path, settings());
    let (first, _, a) = post(&app, &complaint("key-retry001", false)).await;
    let (again, _, b) = post(&app, &complaint("key-retry001", false)).await;
    assert_eq!((first, again), (StatusCode::CREATED, StatusCode::OK));
    assert_eq!(a["code"], b["code"]);
    assert_eq!(Store::open(&path).unwrap().records().unwrap().len(), 1);
}

#[tokio::test]
async fn a_filled_trap_field_is_acknowledged_and_kept_as_suspected() {
    let path = db("trap");
    let app = app(&path, settings());
    let mut bot = complaint("key-bot00001", true);
    bot["leave_blank"] = json!("http://spam.example");
    let (status, _, body) = post(&app, &bot).await;
    assert_eq!(status, StatusCode::CREATED);
    let code = body["code"].as_str().unwrap();
    // Kept for staff, with the code its sender was given, and findable by
    // it: a citizen whose browser filled the field loses nothing.
    let records = Store::open(&path).unwrap().records().unwrap();
    assert_eq!(records.len(), 1);
    assert!(records[0].suspected);
    assert_eq!(records[0].public.code, code);
    let (status, _, _) = call(
        &app,
        Method::GET,
        &format!("/api/feedback/{code}"),
        "",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // Not counted in public until staff restore it.
    let (_, _, list) = call(&app, Method::GET, "/api/replies", "", None).await;
    assert_eq!(list["stats"]["years"][0]["messages"]["received"], 0);
}

#[tokio::test]
async fn bad_bodies_get_a_4xx_that_says_why() {
    let app = app(&db("bad"), settings());
    let mut short = complaint("key-bad00001", false);
    short["subject"] = json!("路灯");
    short["phone"] = json!("123");
    let (status, _, body) = post(&app, &short).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"]["subject"], "标题至少 4 个字，现在 2 个字。");
    assert!(body["errors"]["phone"].as_str().unwrap().contains("手机号"));
    for (body, expected) in [
        (Body::from("not json"), StatusCode::BAD_REQUEST),
        (Body::from("[1]"), StatusCode::BAD_REQUEST),
        (
            Body::from(vec![0x7b, 0xff, 0xfe, 0x7d]),
            StatusCode::BAD_REQUEST,
        ),
        (Body::from("{}"), StatusCode::UNPROCESSABLE_ENTITY),
        (
            Body::from(r#"{"kind":1}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Body::from(vec![b' '; BODY_LIMIT + 1]),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
    ] {
        let (status, _, _) = call(&app, Method::POST, "/api/feedback", body, Some(ORIGIN)).await;
        assert_eq!(status, expected);
    }
    // A byte-order mark in front is not an error.
    let marked = format!("\u{FEFF}{}", complaint("key-bom00001", false));
    let (status, _, _) = call(&app, Method::POST, "/api/feedback", marked, Some(ORIGIN)).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _, _) = call(&app, Method::PUT, "/api/feedback", "{}", Some(ORIGIN)).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn replies_are_public_only_with_consent_and_carry_statistics() {
    let path = db("replies");
    let app = app(
        &path,
        Settings {
            replies_fresh: Duration::ZERO,
            ..settings()
        },
    );
    // Nothing received: this year, with nothing, and no rate (a rate of
    // nothing is not 100%).
    let (_, _, empty) = call(&app, Method::GET, "/api/replies", "", None).await;
    let this_year = &empty["stats"]["years"][0];
    assert_eq!(this_year["messages"]["received"], 0);
    assert_eq!(this_year["requests"]["received"], 0);
    assert_eq!(this_year["messages"]["median_working_days"], Value::Null);
    assert!(!empty.to_string().contains("rate"), "{empty}");
    let (_, _, open) = post(&app, &complaint("key-open0001", true)).await;
    let (_, _, private) = post(&app, &complaint("key-private1", false)).await;
    let (_, _, _waiting) = post(&app, &complaint("key-waiting1", true)).await;
    {
        let mut store = Store::open(&path).unwrap();
        let now = xxgk_server::store::now();
        assert!(store
            .reply(open["code"].as_str().unwrap(), "已修复。", "测试", now)
            .unwrap());
        assert!(store
            .reply(private["code"].as_str().unwrap(), "已联系。", "测试", now)
            .unwrap());
    }
    // Replied, but nothing published until a reviewer approves it.
    let (_, _, body) = call(&app, Method::GET, "/api/replies", "", None).await;
    assert_eq!(body["items"].as_array().unwrap().len(), 0);
    Store::open(&path)
        .unwrap()
        .publish(
            open["code"].as_str().unwrap(),
            "村道路灯已修复",
            "经核实，路灯已于本周修复。",
            "审核",
            xxgk_server::store::now(),
        )
        .unwrap();
    let (status, _, body) = call(&app, Method::GET, "/api/replies", "", None).await;
    assert_eq!(status, StatusCode::OK);
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    // The approved public text, not the private answer or the citizen's
    // own subject.
    assert_eq!(items[0]["answer"], "经核实，路灯已于本周修复。");
    assert_eq!(items[0]["subject"], "村道路灯已修复");
    assert!(!body.to_string().contains("已修复。"), "{body}");
    assert!(items[0].get("code").is_none(), "codes are never published");
    let messages = &body["stats"]["years"][0]["messages"];
    assert_eq!(messages["received"], 3);
    assert_eq!(messages["answered"], 2);
    assert_eq!(
        body["stats"]["years"][0]["by_kind"]["complaint"]["received"],
        3
    );
    assert_eq!(body["stats"]["years"][0]["requests"]["received"], 0);
    let (_, _, seen) = call(
        &app,
        Method::GET,
        &format!("/api/feedback/{}", private["code"].as_str().unwrap()),
        "",
        None,
    )
    .await;
    assert_eq!(seen["answer"], "已联系。");
}

#[tokio::test]
async fn too_many_submissions_from_one_address_get_429_with_retry_after() {
    let app = app(
        &db("limit"),
        Settings {
            submissions: Rate {
                burst: 3,
                every: Duration::from_secs(60),
            },
            ..settings()
        },
    );
    for n in 0..3 {
        let (status, _, _) = post(&app, &complaint(&format!("key-limit00{n}"), false)).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, headers, body) = post(&app, &complaint("key-limit009", false)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
    assert!(body["error"].as_str().unwrap().contains("稍后"));
}

#[tokio::test]
async fn only_allowed_origins_get_cors_and_every_response_is_locked_down() {
    let app = app(&db("cors"), settings());
    let preflight = |origin: &'static str| {
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/api/feedback")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .body(Body::empty())
            .unwrap()
    };
    let allowed = app.clone().oneshot(preflight(ORIGIN)).await.unwrap();
    assert_eq!(allowed.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        allowed.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        ORIGIN
    );
    assert!(allowed.headers()[header::ACCESS_CONTROL_ALLOW_HEADERS]
        .to_str()
        .unwrap()
        .contains("Content-Type"));
    let refused = app
        .clone()
        .oneshot(preflight("https://evil.example"))
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(refused
        .headers()
        .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .is_none());
    let (_, headers, _) = call(
        &app,
        Method::GET,
        "/api/replies",
        "",
        Some("https://evil.example"),
    )
    .await;
    assert!(headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::CACHE_CONTROL, "no-store"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; frame-ancestors 'none'",
        ),
    ] {
        assert_eq!(headers[&name], value);
    }
}

/// A submission from `client` as a reverse proxy at [`PEER`] forwards it.
async fn post_via_proxy(app: &Router, body: &Value, forwarded: &str) -> StatusCode {
    let request = Request::post("/api/feedback")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-forwarded-for", forwarded)
        .body(Body::from(body.to_string()))
        .unwrap();
    app.clone().oneshot(request).await.unwrap().status()
}

fn limited(proxies: &[&str]) -> Settings {
    Settings {
        proxies: Proxies::parse(proxies).unwrap(),
        submissions: Rate {
            burst: 2,
            every: Duration::from_secs(600),
        },
        ..settings()
    }
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_citizen_has_a_bucket_of_their_own() {
    let app = app(&db("proxied"), limited(&["10.0.0.0/24"]));
    for n in 0..2 {
        let body = complaint(&format!("key-junk000{n}"), false);
        assert_eq!(
            post_via_proxy(&app, &body, "198.51.100.1").await,
            StatusCode::CREATED
        );
    }
    let body = complaint("key-junk0009", false);
    assert_eq!(
        post_via_proxy(&app, &body, "198.51.100.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // The next citizen through the same proxy is not locked out, and the
    // first cannot get out by writing another address in front.
    let other = complaint("key-citizen1", false);
    assert_eq!(
        post_via_proxy(&app, &other, "198.51.100.2").await,
        StatusCode::CREATED
    );
    let spoofed = complaint("key-spoofed1", false);
    assert_eq!(
        post_via_proxy(&app, &spoofed, "203.0.113.50, 198.51.100.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // IPv6: one /64 is one client.
    for n in 0..2 {
        let body = complaint(&format!("key-six0000{n}"), false);
        let ip = format!("2001:db8:1:2::{n}");
        assert_eq!(post_via_proxy(&app, &body, &ip).await, StatusCode::CREATED);
    }
    let body = complaint("key-six00009", false);
    assert_eq!(
        post_via_proxy(&app, &body, "2001:db8:1:2:ffff::9").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn forwarded_headers_from_an_untrusted_peer_change_nothing() {
    // The peer is not a trusted proxy: every request is the peer's, whatever
    // address it writes in.
    let app = app(&db("spoof"), limited(&["192.168.0.1"]));
    for n in 0..2 {
        let body = complaint(&format!("key-spoof00{n}"), false);
        let forwarded = format!("198.51.100.{n}");
        assert_eq!(
            post_via_proxy(&app, &body, &forwarded).await,
            StatusCode::CREATED
        );
    }
    let body = complaint("key-spoof009", false);
    assert_eq!(
        post_via_proxy(&app, &body, "198.51.100.99").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn cross_site_posts_are_refused_and_not_stored() {
    let path = db("cross-site");
    let app = app(&path, settings());
    let body = complaint("key-cross001", false).to_string();
    // What a page on another site can send without a preflight: a form, or
    // text/plain; and JSON, which a browser would preflight first.
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/json",
    ] {
        let request = Request::post("/api/feedback")
            .header(header::CONTENT_TYPE, content_type)
            .header(header::ORIGIN, "https://evil.example")
            .body(Body::from(body.clone()))
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{content_type}");
        assert!(response
            .headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .is_none());
    }
    for origin in [
        "null",
        "https://www.gdx.gov.cn.evil.example",
        "http://www.gdx.gov.cn",
    ] {
        let (status, _, _) = call(
            &app,
            Method::POST,
            "/api/feedback",
            body.clone(),
            Some(origin),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{origin}");
    }
    assert!(Store::open(&path).unwrap().records().unwrap().is_empty());
}

#[tokio::test]
async fn a_body_that_is_not_json_gets_415_and_costs_no_token() {
    let path = db("content-type");
    let app = app(
        &path,
        Settings {
            submissions: Rate {
                burst: 1,
                every: Duration::from_secs(600),
            },
            ..settings()
        },
    );
    let body = complaint("key-type0001", false).to_string();
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let mut request = Request::post("/api/feedback").header(header::ORIGIN, ORIGIN);
        if let Some(t) = content_type {
            request = request.header(header::CONTENT_TYPE, t);
        }
        let response = app
            .clone()
            .oneshot(request.body(Body::from(body.clone())).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    // Refusals before the submission is read (wrong type, wrong site, too
    // large) cost nothing: the one token is still there.
    let (status, _, _) = call(
        &app,
        Method::POST,
        "/api/feedback",
        body.clone(),
        Some("https://evil.example"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = call(
        &app,
        Method::POST,
        "/api/feedback",
        vec![b' '; BODY_LIMIT + 1],
        Some(ORIGIN),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, _, _) = call(&app, Method::POST, "/api/feedback", body, Some(ORIGIN)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(Store::open(&path).unwrap().records().unwrap().len(), 1);
}

#[tokio::test]
async fn an_allowed_origin_matches_however_it_was_written_and_the_own_address_does() {
    let app = app(
        &db("origins"),
        Settings {
            allowed_origins: vec![Origin::parse("HTTPS://WWW.GDX.GOV.CN/").unwrap()],
            ..Settings::default()
        },
    );
    let (status, headers, _) = post(&app, &complaint("key-origin01", false)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], ORIGIN);
    // A page the receiver serves itself (the demo, `serve --static`).
    let from = |host: &'static str, origin: &'static str, key: &'static str| {
        let request = Request::post("/api/feedback")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::HOST, host)
            .header(header::ORIGIN, origin)
            .body(Body::from(complaint(key, false).to_string()))
            .unwrap();
        let app = app.clone();
        async move { app.oneshot(request).await.unwrap().status() }
    };
    let own = from("127.0.0.1:8091", "http://127.0.0.1:8091", "key-origin02");
    assert_eq!(own.await, StatusCode::CREATED);
    let other_port = from("127.0.0.1:8091", "http://127.0.0.1:9999", "key-origin03");
    assert_eq!(other_port.await, StatusCode::FORBIDDEN);
    // A host name pointed at the receiver by its owner (DNS rebinding) is
    // not the receiver's own.
    let rebound = from("evil.example", "http://evil.example", "key-origin04");
    assert_eq!(rebound.await, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn reads_are_rate_limited_too() {
    let app = app(
        &db("reads"),
        Settings {
            reads: Rate {
                burst: 3,
                every: Duration::from_secs(600),
            },
            ..settings()
        },
    );
    for path in ["/api/replies", "/api/feedback/ZZZZZZZZZZZZ", "/api/replies"] {
        let (status, _, _) = call(&app, Method::GET, path, "", None).await;
        assert_ne!(status, StatusCode::TOO_MANY_REQUESTS);
    }
    let (status, headers, _) =
        call(&app, Method::GET, "/api/feedback/ZZZZZZZZZZZZ", "", None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(headers.contains_key(header::RETRY_AFTER));
    // Submissions have an allowance of their own.
    let (status, _, _) = post(&app, &complaint("key-reads001", false)).await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn the_public_list_follows_writes_by_staff_in_another_process() {
    let path = db("fresh");
    let app = app(
        &path,
        Settings {
            replies_fresh: Duration::ZERO,
            ..settings()
        },
    );
    let (_, _, sent) = post(&app, &complaint("key-fresh001", true)).await;
    let (_, _, before) = call(&app, Method::GET, "/api/replies", "", None).await;
    assert_eq!(before["items"].as_array().unwrap().len(), 0);
    // Staff reply from the command line: another connection.
    let mut staff = Store::open(&path).unwrap();
    staff
        .reply(
            sent["code"].as_str().unwrap(),
            "已修复。",
            "测试",
            xxgk_server::store::now(),
        )
        .unwrap();
    staff
        .publish(
            sent["code"].as_str().unwrap(),
            "路灯",
            "公开：已修复。",
            "测试",
            xxgk_server::store::now(),
        )
        .unwrap();
    let (_, _, after) = call(&app, Method::GET, "/api/replies", "", None).await;
    assert_eq!(after["items"][0]["answer"], "公开：已修复。");
    assert_eq!(after["stats"]["years"][0]["messages"]["answered"], 1);
}
