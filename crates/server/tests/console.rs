//! The staff console's guards, request by request against its router and
//! a real store (a SQLite file, or PostgreSQL): every request that changes something is refused
//! without a session, without the session's CSRF token, from another
//! site, and without the role, and then changes nothing; with them, it
//! goes through.

mod common;

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use std::net::SocketAddr;
use tower::ServiceExt;
use xxgk_core::submission::{Kind, Submission};
use xxgk_server::console::auth::{hash_password, token_hash};
use xxgk_server::console::roles::{Duty, Roles};
use xxgk_server::console::{changes, router, Settings};
use xxgk_server::origin::Origin;
use xxgk_server::store::{Site, Store};

fn db(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("xxgk-console-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    common::store(&dir)
}

const UNIT: &str = "东亭村";

/// The accounts of the tests, each with a session whose token and CSRF
/// token are its name in ASCII.
const ACCOUNTS: [(&str, &str, &str); 4] = [
    ("admin", "管理员", ""),
    ("intake", "受理", ""),
    ("handler", "承办", UNIT),
    ("reviewer", "审核", ""),
];

fn token(name: &str) -> String {
    format!("{name:0>64}")
}

/// A database with the accounts and their sessions, a message and a
/// request assigned to the handler's unit; the codes.
fn setup(path: &str) -> (String, String) {
    let mut store = Store::open(path).unwrap();
    let now = xxgk_server::store::now();
    let hash = hash_password("a password of the tests").unwrap();
    for (name, roles, unit) in ACCOUNTS {
        store
            .add_account(name, Roles::parse(roles).unwrap(), unit, &hash, now)
            .unwrap();
        let id = store.account(name).unwrap().unwrap().id;
        store
            .open_session(&token_hash(&token(name)), id, &token(name), now)
            .unwrap();
    }
    let message = Submission {
        kind: Kind::Complaint,
        subject: "村道路灯损坏".into(),
        body: "路灯坏了三个月。".into(),
        name: "张三".into(),
        phone: "13912345678".into(),
        email: String::new(),
        address: String::new(),
        request: None,
        consent_to_publish: true,
        related_item: String::new(),
        client_key: "key-console1".into(),
    };
    let code = store
        .submit(&message, false, now)
        .unwrap()
        .code()
        .to_owned();
    store.assign(&code, UNIT, "受理", now).unwrap();
    store.reply(&code, "已修复。", "审核", now).unwrap();
    store
        .publish(&code, "路灯", "已修复。", "审核", now)
        .unwrap();
    let request = xxgk_core::submission::read_kept(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/requests-2016/a-person-disclosed.json"
        ))
        .unwrap(),
    )
    .unwrap()
    .submission()
    .clone();
    let request = store
        .submit(&request, false, now)
        .unwrap()
        .code()
        .to_owned();
    store.assign(&request, UNIT, "受理", now).unwrap();
    (code, request)
}

fn app(path: &str) -> Router {
    router(Store::open(path).unwrap(), Settings::default())
        .layer(MockConnectInfo(SocketAddr::from(([10, 0, 0, 7], 5000))))
}

/// Everything a console request could change, but the audit log (which
/// records refusals) and when sessions were last used.
fn state(path: &str) -> String {
    let mut out = String::new();
    for sql in [
        "SELECT string_agg(code || status || COALESCE(answer, '') || unit || COALESCE(CAST(published_at AS TEXT), '') || suspected || data, '|' ORDER BY code) FROM submission",
        "SELECT string_agg(id || action || on_day || detail || note || actor, '|' ORDER BY id) FROM event",
        "SELECT string_agg(name || roles || unit || password || disabled || changed_at || sites, '|' ORDER BY name) FROM staff",
        "SELECT string_agg(code || name || parent || origins || COALESCE(CAST(reply_days AS TEXT), '') || changed_at, '|' ORDER BY code) FROM site",
        "SELECT string_agg(name || value, '|' ORDER BY name) FROM setting",
        "SELECT string_agg(code || reply || COALESCE(returned, ''), '|' ORDER BY code) FROM draft",
        "SELECT string_agg(token, '|' ORDER BY token) FROM session",
    ] {
        let value = common::value(path, sql);
        out.push_str(&value.unwrap_or_default());
        out.push('\n');
    }
    out
}

/// The fields every step is sent with: enough for any of them to go
/// through when allowed.
fn fields(code: &str, csrf: Option<&str>) -> String {
    let mut pairs = vec![
        ("do", code.to_owned()),
        (
            "on",
            xxgk_core::Date::beijing(xxgk_server::store::now())
                .unwrap()
                .to_string(),
        ),
        ("days", "15".into()),
        ("text", "说明。".into()),
        ("approved_by", "主任".into()),
        ("unit", UNIT.into()),
        ("outcome", "disclosed".into()),
        ("reply", "答复正文。".into()),
        ("public_subject", "公开标题".into()),
        ("public_answer", "公开内容。".into()),
        ("type", "reconsideration".into()),
        ("result", "upheld".into()),
        ("event", "1".into()),
        ("name", "intake".into()),
        ("role", "intake".into()),
        ("years", "3".into()),
        ("current", "a password of the tests".into()),
        ("new", "another password 2".into()),
        ("again", "another password 2".into()),
    ];
    if let Some(csrf) = csrf {
        pairs.push(("csrf", csrf.to_owned()));
    }
    serde_urlencoded::to_string(pairs).unwrap()
}

async fn post(
    app: &Router,
    path: &str,
    body: String,
    session: Option<&str>,
    site: &str,
) -> StatusCode {
    post_page(app, path, body, session, site).await.0
}

/// Posts a form, from the same site unless `site` says otherwise, with the
/// session of the account `session`; the status and the page answered.
async fn post_page(
    app: &Router,
    path: &str,
    body: String,
    session: Option<&str>,
    site: &str,
) -> (StatusCode, String) {
    let mut request = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::HOST, "10.0.0.2:8081")
        .header("sec-fetch-site", site)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(name) = session {
        request = request.header(header::COOKIE, format!("__Host-xxgk-staff={}", token(name)));
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let page = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(page.to_vec()).unwrap())
}

/// An account lacking `duty` on a case assigned to the handler's unit.
fn lacking(duty: Duty) -> &'static str {
    ACCOUNTS
        .iter()
        .find(|(_, roles, unit)| !Roles::parse(roles).unwrap().may(duty, *unit == UNIT))
        .map(|(name, _, _)| *name)
        .expect("an account without the duty")
}

/// An account holding `duty` on a case assigned to the handler's unit.
fn holding(duty: Option<Duty>) -> &'static str {
    ACCOUNTS
        .iter()
        .find(|(_, roles, unit)| {
            duty.is_none_or(|d| Roles::parse(roles).unwrap().may(d, *unit == UNIT))
        })
        .map(|(name, _, _)| *name)
        .expect("an account with the duty")
}

#[tokio::test]
async fn every_change_is_refused_without_a_session_a_csrf_token_the_same_site_or_the_role() {
    for (route, code, duty) in changes() {
        for case in ["message", "request"] {
            if route != "/cases/{code}" && case == "request" {
                continue;
            }
            let path = db(&format!("guard-{code}-{case}"));
            let (message, request) = setup(&path);
            let target = if case == "message" {
                &message
            } else {
                &request
            };
            let uri = route.replace("{code}", target);
            let app = app(&path);
            let before = state(&path);
            let allowed = holding(duty);
            let what = format!("{route} do={code} on the {case}");

            let status = post(
                &app,
                &uri,
                fields(code, Some(&token(allowed))),
                None,
                "same-origin",
            )
            .await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "no session: {what}");
            let status = post(&app, &uri, fields(code, None), Some(allowed), "same-origin").await;
            assert_eq!(status, StatusCode::FORBIDDEN, "no CSRF token: {what}");
            let stranger = if allowed == "admin" {
                "intake"
            } else {
                "admin"
            };
            let status = post(
                &app,
                &uri,
                fields(code, Some(&token(stranger))),
                Some(allowed),
                "same-origin",
            )
            .await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "another session's token: {what}"
            );
            let status = post(
                &app,
                &uri,
                fields(code, Some(&token(allowed))),
                Some(allowed),
                "cross-site",
            )
            .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "from another site: {what}");
            if let Some(duty) = duty {
                let other = lacking(duty);
                let status = post(
                    &app,
                    &uri,
                    fields(code, Some(&token(other))),
                    Some(other),
                    "same-origin",
                )
                .await;
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{other} without the role: {what}"
                );
            }
            assert_eq!(state(&path), before, "nothing changed: {what}");

            // With them, the request is taken: done, or refused for the
            // case's state with what to fix, never for want of rights.
            let status = post(
                &app,
                &uri,
                fields(code, Some(&token(allowed))),
                Some(allowed),
                "same-origin",
            )
            .await;
            assert!(
                status == StatusCode::SEE_OTHER
                    || status == StatusCode::OK
                    || status == StatusCode::UNPROCESSABLE_ENTITY,
                "{allowed} with the role: {what}: {status}"
            );
        }
    }
}

#[tokio::test]
async fn a_step_taken_with_the_role_changes_the_case_and_is_audited() {
    let path = db("taken");
    let (message, _) = setup(&path);
    let app = app(&path);
    let status = post(
        &app,
        &format!("/cases/{message}"),
        fields("unpublish", Some(&token("reviewer"))),
        Some("reviewer"),
        "same-origin",
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.published_replies(10).unwrap(), []);
    let log = store.audit_log(&Default::default()).unwrap();
    assert_eq!(
        (
            log[0].actor.as_str(),
            log[0].action.as_str(),
            log[0].code.as_str(),
            log[0].detail.as_str()
        ),
        ("reviewer", "act", message.as_str(), "撤下公开")
    );
    assert_eq!(log[0].address, "10.0.0.7");
}

#[tokio::test]
async fn an_arrangement_the_administrator_adds_counts_at_once_and_a_wrong_one_changes_nothing() {
    let path = db("calendar");
    setup(&path);
    let settings = Settings::default();
    let calendars = settings.calendar.clone();
    let app = router(Store::open(&path).unwrap(), settings)
        .layer(MockConnectInfo(SocketAddr::from(([10, 0, 0, 7], 5000))));
    let form = |text: &str| {
        serde_urlencoded::to_string([
            ("do", "calendar"),
            ("calendar", text),
            ("csrf", &token("admin")),
        ])
        .unwrap()
    };
    assert!(!calendars.current().years().any(|y| y == 2099));
    // A wrong line, a year already in use, a year that looks incomplete:
    // nothing is kept, nothing changes.
    for wrong in [
        "year 2099\n2099-13-01 off 元旦",
        "2026-12-25 off 圣诞",
        "year 2099\n2099-01-01 off 元旦",
    ] {
        let status = post(&app, "/settings", form(wrong), Some("admin"), "same-origin").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{wrong}");
    }
    assert!(!calendars.current().years().any(|y| y == 2099));
    assert_eq!(
        Store::open(&path).unwrap().setting("calendar").unwrap(),
        None
    );
    // Eleven weekdays off: a year like the others.
    let text = "year 2099\n2099-02-02..2099-02-16 off 春节";
    let saved = post(&app, "/settings", form(text), Some("admin"), "same-origin").await;
    assert_eq!(saved, StatusCode::OK);
    assert!(calendars.current().years().any(|y| y == 2099));
    let store = Store::open(&path).unwrap();
    assert_eq!(store.setting("calendar").unwrap().as_deref(), Some(text));
    let log = store.audit_log(&Default::default()).unwrap();
    assert_eq!(
        (log[0].actor.as_str(), log[0].action.as_str()),
        ("admin", "setting")
    );
}

/// Posts the login form with its own cookie token; the status and the
/// page's alert text.
async fn log_in(
    app: &Router,
    name: &str,
    password: &str,
    code: &str,
) -> (StatusCode, String, bool) {
    let form = serde_urlencoded::to_string([
        ("login", "l".repeat(64).as_str()),
        ("name", name),
        ("password", password),
        ("code", code),
    ])
    .unwrap();
    let request = Request::builder()
        .method("POST")
        .uri("/login")
        .header(header::HOST, "10.0.0.2:8081")
        .header("sec-fetch-site", "same-origin")
        .header(
            header::COOKIE,
            format!("__Host-xxgk-login={}", "l".repeat(64)),
        )
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let session = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|c| {
            c.to_str().unwrap().starts_with("__Host-xxgk-staff=")
                && !c.to_str().unwrap().contains("Max-Age=0")
        });
    let body = String::from_utf8(
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    let alert = body
        .split("role=\"alert\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_default()
        .to_owned();
    (status, alert, session)
}

#[tokio::test]
async fn a_second_factor_is_asked_for_and_failed_logins_are_throttled_without_naming_accounts() {
    let path = db("login");
    setup(&path);
    let secret = xxgk_server::console::totp::new_secret();
    Store::open(&path)
        .unwrap()
        .set_totp("reviewer", Some(&secret), 0)
        .unwrap();
    let app = app(&path);
    let password = "a password of the tests";

    let (status, _, session) = log_in(&app, "intake", password, "").await;
    assert_eq!((status, session), (StatusCode::SEE_OTHER, true));
    // With a second factor, the password alone is not enough.
    let (status, without, session) = log_in(&app, "reviewer", password, "").await;
    assert_eq!((status, session), (StatusCode::UNAUTHORIZED, false));
    let code = xxgk_server::console::totp::code_at(&secret, xxgk_server::store::now()).unwrap();
    let (status, _, session) = log_in(&app, "reviewer", password, &code).await;
    assert_eq!((status, session), (StatusCode::SEE_OTHER, true));
    // A code is taken once: one seen over a shoulder is no use.
    let (status, _, session) = log_in(&app, "reviewer", password, &code).await;
    assert_eq!((status, session), (StatusCode::UNAUTHORIZED, false));

    // A wrong password and an unknown name are told alike.
    let (_, wrong, _) = log_in(&app, "handler", "wrong password", "").await;
    let (_, unknown, _) = log_in(&app, "nobody", "wrong password", "").await;
    assert_eq!(wrong, unknown);
    assert_eq!(wrong, without);
    assert!(wrong.contains("账号或密码不对"), "{wrong}");
    // Five failures for a name: the right password is refused too, for a while.
    for _ in 0..4 {
        log_in(&app, "handler", "wrong password", "").await;
    }
    let (status, throttled, session) = log_in(&app, "handler", password, "").await;
    assert_eq!((status, session), (StatusCode::TOO_MANY_REQUESTS, false));
    assert!(throttled.contains("分钟后再试"), "{throttled}");
    // The same for a name without an account.
    for _ in 0..4 {
        log_in(&app, "nobody", "wrong password", "").await;
    }
    let (status, _, _) = log_in(&app, "nobody", "wrong password", "").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // Another account from the same address still logs in (20 from an
    // address are allowed).
    let (status, _, _) = log_in(&app, "admin", password, "").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

fn form(pairs: &[(&str, &str)], csrf: &str) -> String {
    let mut pairs: Vec<(&str, &str)> = pairs.to_vec();
    pairs.push(("csrf", csrf));
    serde_urlencoded::to_string(pairs).unwrap()
}

async fn get(app: &Router, path: &str, session: &str) -> (StatusCode, String) {
    let request = Request::builder()
        .uri(path)
        .header(header::HOST, "10.0.0.2:8081")
        .header(
            header::COOKIE,
            format!("__Host-xxgk-staff={}", token(session)),
        )
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn an_answer_is_not_sent_for_a_suspected_case_nor_when_its_publication_would_be_refused() {
    let path = db("answer-guards");
    setup(&path);
    let (open, spam) = {
        let mut store = Store::open(&path).unwrap();
        let open = setup_code(&mut store, "key-guard001", false);
        (open, setup_code(&mut store, "key-guard002", true))
    };
    let app = app(&path);
    let reviewer = token("reviewer");
    // Marked as spam: refused until restored.
    let status = post(
        &app,
        &format!("/cases/{spam}"),
        form(
            &[
                ("do", "answer"),
                ("outcome", "reject"),
                ("reply", "不予受理。"),
            ],
            &reviewer,
        ),
        Some("reviewer"),
        "same-origin",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Publication asked for with an empty public text: nothing is sent.
    let status = post(
        &app,
        &format!("/cases/{open}"),
        form(
            &[
                ("do", "answer"),
                ("outcome", "reply"),
                ("reply", "已修复。"),
                ("publish", "1"),
                ("public_subject", "路灯"),
                ("public_answer", ""),
            ],
            &reviewer,
        ),
        Some("reviewer"),
        "same-origin",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let store = Store::open(&path).unwrap();
    for code in [&spam, &open] {
        assert_eq!(
            store.lookup(code).unwrap().unwrap().status,
            xxgk_server::store::Status::Received,
            "{code}"
        );
    }
    assert!(store
        .audit_log(&Default::default())
        .unwrap()
        .iter()
        .all(|r| r.action != "act"));
}

/// A consented complaint (suspected or not) kept in `store`; its code.
fn setup_code(store: &mut Store, key: &str, suspected: bool) -> String {
    site_code(store, "", key, suspected)
}

/// A consented complaint (suspected or not) kept in `store` for the site
/// `site`; its code.
fn site_code(store: &mut Store, site: &str, key: &str, suspected: bool) -> String {
    let message = Submission {
        kind: Kind::Complaint,
        subject: "路灯".into(),
        body: "路灯坏了三个月。".into(),
        name: "张三".into(),
        phone: "13912345678".into(),
        email: String::new(),
        address: String::new(),
        request: None,
        consent_to_publish: true,
        related_item: String::new(),
        client_key: key.into(),
    };
    store
        .submit_for(site, &message, suspected, xxgk_server::store::now())
        .unwrap()
        .code()
        .to_owned()
}

#[tokio::test]
async fn a_record_that_no_longer_reads_is_shown_as_stored_and_its_showing_logged() {
    let path = db("unreadable");
    setup(&path);
    let code = setup_code(&mut Store::open(&path).unwrap(), "key-unread01", false);
    common::sql(
        &path,
        &format!("UPDATE submission SET data = '{{\"kind\":\"complaint\",\"body\":42,\"phone\":\"13700001111\"}}' WHERE code = '{code}'"),
    );
    let app = app(&path);
    let (status, page) = get(&app, &format!("/cases/{code}"), "intake").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("13700001111"), "shown as stored");
    let log = Store::open(&path)
        .unwrap()
        .audit_log(&Default::default())
        .unwrap();
    assert_eq!(
        (log[0].action.as_str(), log[0].code.as_str()),
        ("view_personal", code.as_str())
    );
}

#[tokio::test]
async fn a_case_is_assigned_only_where_a_handler_will_see_it() {
    let path = db("assign");
    setup(&path);
    let code = setup_code(&mut Store::open(&path).unwrap(), "key-assign99", false);
    let app = app(&path);
    let status = post(
        &app,
        &format!("/cases/{code}"),
        form(&[("do", "assign"), ("unit", "东亭")], &token("intake")),
        Some("intake"),
        "same-origin",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        Store::open(&path)
            .unwrap()
            .sheet(&code)
            .unwrap()
            .unwrap()
            .unit,
        ""
    );
    let status = post(
        &app,
        &format!("/cases/{code}"),
        form(&[("do", "assign"), ("unit", UNIT)], &token("intake")),
        Some("intake"),
        "same-origin",
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        Store::open(&path)
            .unwrap()
            .sheet(&code)
            .unwrap()
            .unwrap()
            .unit,
        UNIT
    );
}

#[tokio::test]
async fn a_form_sent_after_its_session_ended_shows_what_was_typed() {
    let path = db("expired");
    setup(&path);
    let app = app(&path);
    let body = form(
        &[
            ("do", "draft"),
            ("reply", "写了半小时的答复<b>正文</b>"),
            ("current", "a password of the tests"),
        ],
        &token("handler"),
    );
    let (status, page) = post_page(&app, "/cases/ABCDEFGHJKMN", body, None, "same-origin").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        page.contains("写了半小时的答复&lt;b&gt;正文&lt;/b&gt;"),
        "kept, as text"
    );
    assert!(!page.contains("a password of the tests"));
}

#[tokio::test]
async fn guessing_the_password_from_a_session_left_open_ends_it() {
    let path = db("guess");
    setup(&path);
    let app = app(&path);
    let wrong = form(
        &[
            ("current", "not it at all"),
            ("new", "another password 2"),
            ("again", "another password 2"),
        ],
        &token("intake"),
    );
    for _ in 0..4 {
        let status = post(
            &app,
            "/account",
            wrong.clone(),
            Some("intake"),
            "same-origin",
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let status = post(&app, "/account", wrong, Some("intake"), "same-origin").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = get(&app, "/", "intake").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "logged out");
    let store = Store::open(&path).unwrap();
    assert!(store
        .session(&token_hash(&token("intake")))
        .unwrap()
        .is_none());
    assert!(
        store
            .session(&token_hash(&token("reviewer")))
            .unwrap()
            .is_some(),
        "others stay"
    );
}

#[tokio::test]
async fn a_lockout_ends_a_window_after_the_last_wrong_password_however_often_it_is_knocked_on() {
    let path = db("lockout");
    setup(&path);
    // Times are kept in whole seconds: the window is long enough that the
    // knocking below falls well inside it, however slow the machine.
    let window = std::time::Duration::from_secs(4);
    let settings = Settings {
        policy: xxgk_server::console::auth::Policy {
            window,
            ..Default::default()
        },
        ..Settings::default()
    };
    let app = router(Store::open(&path).unwrap(), settings)
        .layer(MockConnectInfo(SocketAddr::from(([10, 0, 0, 7], 5000))));
    for _ in 0..5 {
        log_in(&app, "handler", "wrong password", "").await;
    }
    let last_failure = std::time::Instant::now();
    let (status, _, _) = log_in(&app, "handler", "a password of the tests", "").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // Knocking on through the window does not extend it.
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    for _ in 0..5 {
        let (status, _, _) = log_in(&app, "handler", "a password of the tests", "").await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    }
    // A window after the last failure (and the second it was rounded to).
    let open = window + std::time::Duration::from_millis(1100);
    tokio::time::sleep(open.saturating_sub(last_failure.elapsed())).await;
    let (status, _, session) = log_in(&app, "handler", "a password of the tests", "").await;
    assert_eq!((status, session), (StatusCode::SEE_OTHER, true));
}

#[tokio::test]
async fn a_form_from_a_page_opened_before_the_last_login_does_nothing_and_shows_what_was_typed() {
    let path = db("stale");
    let (message, _) = setup(&path);
    let app = app(&path);
    // The handler's form carries another session's token (a tab left open).
    let body = form(
        &[("do", "draft"), ("reply", "这段答复不能丢")],
        &"0".repeat(64),
    );
    let (status, page) = post_page(
        &app,
        &format!("/cases/{message}"),
        body,
        Some("handler"),
        "same-origin",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("这段答复不能丢"));
    assert_eq!(
        Store::open(&path)
            .unwrap()
            .sheet(&message)
            .unwrap()
            .unwrap()
            .draft,
        None
    );
}

#[tokio::test]
async fn a_case_is_found_by_its_whole_identity_number_only_by_those_who_may_see_it() {
    let path = db("search");
    let (_, request) = setup(&path);
    let app = app(&path);
    for (who, finds) in [("reviewer", true), ("intake", true), ("admin", false)] {
        let (status, page) = get(&app, "/?q=110105-19491231002x", who).await;
        if who == "admin" {
            // An administrator has no case list at all.
            assert_eq!(status, StatusCode::SEE_OTHER);
            continue;
        }
        assert_eq!(page.contains(&request), finds, "{who}");
    }
    // Part of a number finds nothing.
    let (_, page) = get(&app, "/?q=19491231", "reviewer").await;
    assert!(!page.contains(&request));
}

/// The sites of the tests: a county with a township in it, and a
/// township of its own.
fn with_sites(path: &str) {
    let mut store = Store::open(path).unwrap();
    for (code, name, parent) in [
        ("guangde", "广德县人民政府", ""),
        ("dongting", "东亭乡人民政府", "guangde"),
        ("taohe", "桃河乡人民政府", ""),
    ] {
        let site = Site {
            code: code.into(),
            name: name.into(),
            parent: parent.into(),
            origins: vec![Origin::parse(&format!("https://{code}.gdx.gov.cn")).unwrap()],
            reply_days: None,
            calendar: String::new(),
        };
        store
            .put_site(&site, false, xxgk_server::store::now())
            .unwrap();
    }
}

/// Adds the account `name` with `roles`, working for `sites`, with a
/// session as the other accounts of the tests have.
fn scoped(path: &str, name: &str, roles: &str, sites: &[&str]) {
    let mut store = Store::open(path).unwrap();
    let now = xxgk_server::store::now();
    let hash = hash_password("a password of the tests").unwrap();
    store
        .add_account(name, Roles::parse(roles).unwrap(), "", &hash, now)
        .unwrap();
    let sites: Vec<String> = sites.iter().map(|s| s.to_string()).collect();
    assert!(store.set_sites(name, &sites, now).unwrap());
    let id = store.account(name).unwrap().unwrap().id;
    store
        .open_session(&token_hash(&token(name)), id, &token(name), now)
        .unwrap();
}

/// The newest rows of the audit log, as (actor, action, code, detail).
fn audited(path: &str, rows: usize) -> Vec<(String, String, String, String)> {
    Store::open(path)
        .unwrap()
        .audit_log(&Default::default())
        .unwrap()
        .into_iter()
        .take(rows)
        .map(|r| (r.actor, r.action, r.code, r.detail))
        .collect()
}

#[tokio::test]
async fn an_administrator_adds_and_changes_sites_and_what_would_break_them_is_refused_as_typed() {
    let path = db("sites");
    setup(&path);
    let app = app(&path);
    let send = |pairs: &[(&str, &str)]| {
        post_page(
            &app,
            "/sites",
            form(pairs, &token("admin")),
            Some("admin"),
            "same-origin",
        )
    };
    let (status, page) = send(&[
        ("do", "add"),
        ("code", "guangde"),
        ("name", "广德县人民政府"),
        ("parent", ""),
        ("origins", "https://www.gdx.gov.cn\r\n"),
        ("reply_days", ""),
    ])
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("已新建站点 guangde（广德县人民政府）"),
        "{page}"
    );
    let (status, page) = send(&[
        ("do", "add"),
        ("code", "dongting"),
        ("name", " 东亭乡人民政府 "),
        ("parent", "guangde"),
        (
            "origins",
            "HTTPS://Dongting.gdx.gov.cn:443/\r\n\r\nhttp://10.0.0.9:8080\r\nhttps://dongting.gdx.gov.cn",
        ),
        ("reply_days", "10"),
    ])
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let dongting = Store::open(&path).unwrap().site("dongting").unwrap();
    let mut expected = Site {
        code: "dongting".into(),
        name: "东亭乡人民政府".into(),
        parent: "guangde".into(),
        origins: vec![
            Origin::parse("https://dongting.gdx.gov.cn").unwrap(),
            Origin::parse("http://10.0.0.9:8080").unwrap(),
        ],
        reply_days: Some(10),
        calendar: String::new(),
    };
    assert_eq!(dongting.as_ref(), Some(&expected));
    let describe = xxgk_server::sites::audited;
    assert_eq!(
        audited(&path, 1),
        [(
            "admin".into(),
            "site_add".into(),
            String::new(),
            describe(&expected)
        )]
    );

    // Changed: its name, origins and reply period (the receiver's again),
    // and a local day off of its own.
    let (status, page) = send(&[
        ("do", "set"),
        ("code", "dongting"),
        ("name", "东亭镇人民政府"),
        ("parent", "guangde"),
        ("origins", "https://dongting.gdx.gov.cn"),
        ("reply_days", ""),
        ("calendar", "2027-04-09 off 三月三\r\n"),
    ])
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    expected.name = "东亭镇人民政府".into();
    expected.origins.truncate(1);
    expected.reply_days = None;
    expected.calendar = "2027-04-09 off 三月三".into();
    assert_eq!(
        Store::open(&path).unwrap().site("dongting").unwrap(),
        Some(expected.clone())
    );
    assert_eq!(
        audited(&path, 1),
        [(
            "admin".into(),
            "site_set".into(),
            String::new(),
            describe(&expected)
        )]
    );
    assert!(describe(&expected).ends_with("own holidays: 2027-04-09 off 三月三"));
    // The page lists them: the county by its name, the receiver's period.
    let (status, page) = get(&app, "/sites", "admin").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("<td>广德县人民政府（guangde）</td>"),
        "{page}"
    );
    assert!(page.contains(&format!(
        "按接收服务设置（{} 个工作日）",
        xxgk_server::api::REPLY_DAYS
    )));
    assert!(page.contains("<div>https://www.gdx.gov.cn</div>"), "{page}");
    assert!(page.contains("<td>1 行</td>"), "{page}");
    assert!(page.contains(">2027-04-09 off 三月三</textarea>"), "{page}");

    // Refused, in words, with what was typed in the form again: a bad
    // code, a parent that is not a site, a loop, a bad origin, a code
    // taken, a reply period out of bounds.
    let before = state(&path);
    let rows = audited(&path, 100).len();
    for (pairs, said, kept) in [
        (
            vec![("do", "add"), ("code", "Bad_Code"), ("name", "坏代码乡")],
            "站点代码“Bad_Code”不能用",
            r#"value="Bad_Code""#,
        ),
        (
            vec![
                ("do", "add"),
                ("code", "lucun"),
                ("name", "芦村乡"),
                ("parent", "nowhere"),
            ],
            "上级站点 nowhere 不存在",
            r#"<option value="nowhere" selected>nowhere（没有这个站点）</option>"#,
        ),
        (
            vec![
                ("do", "set"),
                ("code", "guangde"),
                ("name", "广德县"),
                ("parent", "dongting"),
                ("origins", "https://www.gdx.gov.cn"),
            ],
            "guangde 不能属于 dongting",
            r#"value="广德县""#,
        ),
        (
            vec![
                ("do", "add"),
                ("code", "taohe"),
                ("name", "桃河乡"),
                ("origins", "https://taohe.gdx.gov.cn\ntaohe.gdx.gov.cn"),
            ],
            "“taohe.gdx.gov.cn”不是来源地址",
            "https://taohe.gdx.gov.cn\ntaohe.gdx.gov.cn</textarea>",
        ),
        (
            vec![("do", "add"), ("code", "guangde"), ("name", "又一个广德")],
            "已有代码为 guangde 的站点",
            r#"value="又一个广德""#,
        ),
        (
            vec![
                ("do", "set"),
                ("code", "dongting"),
                ("name", "东亭镇"),
                ("reply_days", "61"),
            ],
            "答复期限应为 1 到 60 个工作日",
            r#"value="61""#,
        ),
        (
            vec![
                ("do", "set"),
                ("code", "dongting"),
                ("name", "东亭镇"),
                ("calendar", "2027-04-09 off 三月三\n2027-04-10 放假"),
            ],
            "本站点的节假日安排有误（第 2 行：“2027-04-10 放假”：日期后面应写 off",
            ">2027-04-09 off 三月三\n2027-04-10 放假</textarea>",
        ),
    ] {
        let (status, page) = send(&pairs).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{pairs:?}");
        assert!(page.contains(said), "{pairs:?}: {page}");
        assert!(page.contains(kept), "{pairs:?} kept: {page}");
    }
    assert_eq!(state(&path), before, "nothing changed");
    assert_eq!(audited(&path, 100).len(), rows, "nothing logged");
}

#[tokio::test]
async fn an_administrator_of_some_sites_is_refused_the_sites_and_accounts_pages() {
    let path = db("sites-scoped-admin");
    setup(&path);
    with_sites(&path);
    scoped(&path, "county", "管理员", &["guangde"]);
    let app = app(&path);
    let before = state(&path);
    for page in ["/sites", "/staff"] {
        let (status, _) = get(&app, page, "county").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{page}");
    }
    for (page, pairs) in [
        (
            "/sites",
            vec![("do", "add"), ("code", "lucun"), ("name", "芦村乡")],
        ),
        (
            "/staff",
            vec![("do", "sites"), ("name", "county"), ("sites", "")],
        ),
    ] {
        let status = post(
            &app,
            page,
            form(&pairs, &token("county")),
            Some("county"),
            "same-origin",
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{page}");
    }
    assert_eq!(state(&path), before, "nothing changed");
    let log = audited(&path, 4);
    assert!(
        log.iter()
            .all(|(actor, action, _, _)| actor == "county" && action == "refused"),
        "{log:?}"
    );
    // Nor is it offered them.
    let (_, page) = get(&app, "/stats", "county").await;
    assert!(!page.contains(r#"href="/sites""#) && !page.contains(r#"href="/staff""#));
    let (_, page) = get(&app, "/stats", "admin").await;
    assert!(page.contains(r#"<a href="/sites">站点</a>"#), "{page}");
}

#[tokio::test]
async fn an_administrator_sets_the_sites_an_account_works_for_and_its_sessions_end() {
    let path = db("account-sites");
    setup(&path);
    with_sites(&path);
    let app = app(&path);
    let send = |pairs: &[(&str, &str)]| {
        post_page(
            &app,
            "/staff",
            form(pairs, &token("admin")),
            Some("admin"),
            "same-origin",
        )
    };
    let sites_of = |name: &str| {
        Store::open(&path)
            .unwrap()
            .account(name)
            .unwrap()
            .unwrap()
            .sites
    };
    let signed_in = |name: &str| {
        Store::open(&path)
            .unwrap()
            .session(&token_hash(&token(name)))
            .unwrap()
            .is_some()
    };
    // A code that is not a site's: refused, as typed, and nothing ends.
    let (status, page) = send(&[
        ("do", "sites"),
        ("name", "intake"),
        ("sites", "dongting, nowhere"),
    ])
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("没有代码为 nowhere 的站点"), "{page}");
    assert!(page.contains(r#"value="dongting, nowhere""#), "{page}");
    assert!(sites_of("intake").is_empty() && signed_in("intake"));

    let (status, page) = send(&[
        ("do", "sites"),
        ("name", "intake"),
        ("sites", "dongting，taohe,dongting"),
    ])
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(sites_of("intake"), ["dongting", "taohe"]);
    assert!(!signed_in("intake"), "its sessions end");
    assert_eq!(
        audited(&path, 1),
        [(
            "admin".into(),
            "staff_sites".into(),
            String::new(),
            "intake：dongting,taohe".into()
        )]
    );
    let (_, page) = get(&app, "/staff", "admin").await;
    assert!(
        page.contains("东亭乡人民政府（dongting）、桃河乡人民政府（taohe）"),
        "{page}"
    );
    assert!(page.contains("<div>全部站点</div>"), "{page}");

    // A new account with its sites.
    let (status, page) = send(&[
        ("do", "add"),
        ("name", "乡里"),
        ("role", "intake"),
        ("sites", "taohe"),
    ])
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(sites_of("乡里"), ["taohe"]);
    // In one step, audited with its sites.
    assert_eq!(
        audited(&path, 2),
        [
            (
                "admin".into(),
                "staff_add".into(),
                String::new(),
                "乡里：受理；站点 taohe".into()
            ),
            (
                "admin".into(),
                "staff_sites".into(),
                String::new(),
                "intake：dongting,taohe".into()
            )
        ]
    );
    // A new account with a code that is not a site's: not made, as typed.
    let (status, page) = send(&[
        ("do", "add"),
        ("name", "村里"),
        ("role", "intake"),
        ("sites", "nowhere"),
    ])
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"value="村里""#) && page.contains(r#"value="nowhere""#));
    assert!(Store::open(&path)
        .unwrap()
        .account("村里")
        .unwrap()
        .is_none());

    // The last administrator of every site keeps every site.
    let (status, page) = send(&[("do", "sites"), ("name", "admin"), ("sites", "guangde")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("最后一个"), "{page}");
    assert!(sites_of("admin").is_empty());

    // Every site again.
    let (status, _) = send(&[("do", "sites"), ("name", "intake"), ("sites", "")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(sites_of("intake").is_empty());
}

#[tokio::test]
async fn an_account_of_some_sites_lists_opens_and_counts_only_their_cases() {
    let path = db("scoped-cases");
    let (default_message, _) = setup(&path);
    with_sites(&path);
    let [county, township, other] = {
        let mut store = Store::open(&path).unwrap();
        ["guangde", "dongting", "taohe"]
            .map(|site| site_code(&mut store, site, &format!("key-{site:0>8}"), false))
    };
    scoped(&path, "county", "受理,审核", &["guangde"]);
    let app = app(&path);

    // Its list: the county's cases and its township's, no other.
    let (status, page) = get(&app, "/", "county").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&county) && page.contains(&township), "{page}");
    assert!(!page.contains(&other) && !page.contains(&default_message));
    let (_, page) = get(&app, "/", "intake").await;
    assert!([&county, &township, &other, &default_message]
        .iter()
        .all(|code| page.contains(code.as_str())));

    // Another site's case is not shown, nor acted on, and the attempts
    // are logged.
    let (status, _) = get(&app, &format!("/cases/{township}"), "county").await;
    assert_eq!(status, StatusCode::OK);
    let (status, page) = get(&app, &format!("/cases/{other}"), "county").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!page.contains("13912345678"));
    assert_eq!(
        audited(&path, 1),
        [(
            "county".into(),
            "refused".into(),
            other.clone(),
            "查看这个案件".into()
        )]
    );
    let status = post(
        &app,
        &format!("/cases/{other}"),
        form(&[("do", "assign"), ("unit", UNIT)], &token("county")),
        Some("county"),
        "same-origin",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.sheet(&other).unwrap().unwrap().unit, "");
    assert_eq!(audited(&path, 1)[0].1, "refused");

    // Its figures count its sites' messages only, whichever site it asks
    // for.
    let messages = |page: &str| {
        page.split("<td>全部留言</td><td>")
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .map(str::to_owned)
    };
    let (_, page) = get(&app, "/stats", "county").await;
    assert_eq!(messages(&page).as_deref(), Some("2"), "{page}");
    let (_, page) = get(&app, "/stats?site=dongting", "county").await;
    assert_eq!(messages(&page).as_deref(), Some("1"), "{page}");
    let (_, page) = get(&app, "/stats?site=taohe", "county").await;
    assert_eq!(messages(&page).as_deref(), Some("2"), "{page}");
    let (_, page) = get(&app, "/stats", "intake").await;
    assert_eq!(messages(&page).as_deref(), Some("4"), "{page}");
}
