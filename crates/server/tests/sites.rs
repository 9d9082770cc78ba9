//! One receiver for many sites: a submission is for the site its page
//! names (`?site=`, the widget's `data-site`) or whose origin it comes
//! from, and refused for a site that does not exist or does not list the
//! page; the public list and statistics are a site's, a county's taking
//! in its townships'; the lookup shows a site's own reply period; staff
//! of some sites see and act on their cases only, and administer nothing.

mod common;

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::time::Duration;
use tower::ServiceExt;
use xxgk_server::api::{router, Settings};
use xxgk_server::origin::Origin;
use xxgk_server::store::{Site, Store};

const COUNTY: &str = "https://www.gdx.gov.cn";
const DONGTING: &str = "https://dongting.gdx.gov.cn";
const TAOHE: &str = "https://taohe.gdx.gov.cn";
/// The receiver's own `--allow-origin`: its default site's.
const DEFAULT: &str = "https://xxgk.example.gov.cn";

fn db(name: &str) -> String {
    common::store(&common::folder(&format!("sites-{name}")))
}

fn site(code: &str, parent: &str, origins: &[&str], reply_days: Option<u32>) -> Site {
    Site {
        code: code.into(),
        name: format!("{code}人民政府"),
        parent: parent.into(),
        origins: origins.iter().map(|o| Origin::parse(o).unwrap()).collect(),
        reply_days,
        calendar: String::new(),
    }
}

/// A county (guangde) with two townships, one answering messages in 5
/// working days, and a site elsewhere listing the county's origin too.
fn with_sites(path: &str) {
    let mut store = Store::open(path).unwrap();
    for s in [
        site("guangde", "", &[COUNTY], None),
        site("dongting", "guangde", &[DONGTING, COUNTY], Some(5)),
        site("taohe", "guangde", &[TAOHE], None),
        site("elsewhere", "", &["https://elsewhere.gov.cn"], None),
    ] {
        store.put_site(&s, false, 1).unwrap();
    }
}

fn app(path: &str) -> Router {
    let settings = Settings {
        allowed_origins: vec![Origin::parse(DEFAULT).unwrap()],
        replies_fresh: Duration::ZERO,
        ..Settings::default()
    };
    router(Store::open(path).unwrap(), settings)
        .unwrap()
        .layer(MockConnectInfo(SocketAddr::from(([10, 0, 0, 7], 5000))))
}

async fn call(
    app: &Router,
    method: Method,
    path: &str,
    body: String,
    origin: Option<&str>,
) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(origin) = origin {
        request = request.header(header::ORIGIN, origin);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// A complaint whose author consents to publication.
fn complaint(key: &str) -> String {
    json!({
        "kind": "complaint",
        "subject": "村道路灯损坏无人修",
        "body": "村口到小学的路灯坏了三个月，晚上孩子放学很危险。",
        "name": "张三",
        "phone": "13912345678",
        "consent_to_publish": true,
        "client_key": key,
        "website": "",
    })
    .to_string()
}

/// Posts a complaint with `key` to `path` from `origin`; the status and
/// the code.
async fn submit(app: &Router, path: &str, origin: Option<&str>, key: &str) -> (StatusCode, Value) {
    call(app, Method::POST, path, complaint(key), origin).await
}

fn site_of(path: &str, code: &Value) -> String {
    let store = Store::open(path).unwrap();
    store
        .site_of(code.as_str().expect("a code"))
        .unwrap()
        .expect("stored")
}

#[tokio::test]
async fn a_submission_is_for_the_site_its_page_names_or_comes_from() {
    let path = db("route");
    with_sites(&path);
    let app = app(&path);

    // Named by the page, from an origin the site lists.
    let (status, body) = submit(
        &app,
        "/api/feedback?site=dongting",
        Some(DONGTING),
        "k-00000001",
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(site_of(&path, &body["code"]), "dongting");
    // Named by no page: the one site that lists the origin.
    let (status, body) = submit(&app, "/api/feedback", Some(TAOHE), "k-00000002").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(site_of(&path, &body["code"]), "taohe");
    // From the receiver's own --allow-origin, or from no page at all (a
    // program): the default site.
    let (status, body) = submit(&app, "/api/feedback", Some(DEFAULT), "k-00000003").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(site_of(&path, &body["code"]), "");
    let (status, body) = submit(&app, "/api/feedback", None, "k-00000004").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(site_of(&path, &body["code"]), "");

    // Refused, nothing stored: a site that does not exist; a page its
    // site does not list; an origin two sites list, the page naming
    // neither; an origin no site lists.
    let before = Store::open(&path).unwrap().records().unwrap().len();
    for (uri, origin, cause) in [
        ("/api/feedback?site=nowhere", Some(DONGTING), "站点代码"),
        ("/api/feedback?site=taohe", Some(DONGTING), "该站点允许"),
        ("/api/feedback?site=taohe", Some(DEFAULT), "该站点允许"),
        ("/api/feedback", Some(COUNTY), "data-site"),
        ("/api/feedback", Some("https://evil.example.com"), "名单"),
    ] {
        let (status, body) = submit(&app, uri, origin, "k-refused1").await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "{uri} from {origin:?}: {body}"
        );
        let said = body["error"].as_str().unwrap_or_default();
        assert!(said.contains(cause), "{uri} from {origin:?}: {said}");
    }
    assert_eq!(Store::open(&path).unwrap().records().unwrap().len(), before);
    // The county's origin, naming the county or the township.
    let (status, body) = submit(
        &app,
        "/api/feedback?site=guangde",
        Some(COUNTY),
        "k-00000005",
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(site_of(&path, &body["code"]), "guangde");
    let (status, body) = submit(
        &app,
        "/api/feedback?site=dongting",
        Some(COUNTY),
        "k-00000006",
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(site_of(&path, &body["code"]), "dongting");
}

#[tokio::test]
async fn a_site_added_while_the_receiver_runs_is_served_at_once() {
    let path = db("added");
    let app = app(&path);
    let origin = "https://lucun.gdx.gov.cn";
    let (status, _) = submit(&app, "/api/feedback?site=lucun", Some(origin), "k-00000010").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Added by another process (the command line) after the receiver
    // read the sites; asked again after the least wait between readings.
    Store::open(&path)
        .unwrap()
        .put_site(&site("lucun", "", &[origin], None), false, 1)
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (status, body) = submit(&app, "/api/feedback?site=lucun", Some(origin), "k-00000010").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(site_of(&path, &body["code"]), "lucun");
}

#[tokio::test]
async fn the_public_list_and_figures_are_a_sites_and_a_county_sums_its_townships() {
    let path = db("replies");
    with_sites(&path);
    let app = app(&path);
    let mut codes = Vec::new();
    for (n, (uri, origin)) in [
        ("/api/feedback?site=dongting", DONGTING),
        ("/api/feedback?site=dongting", DONGTING),
        ("/api/feedback?site=taohe", TAOHE),
        ("/api/feedback?site=elsewhere", "https://elsewhere.gov.cn"),
    ]
    .into_iter()
    .enumerate()
    {
        let (status, body) = submit(&app, uri, Some(origin), &format!("k-reply{n:04}")).await;
        assert_eq!(status, StatusCode::CREATED);
        codes.push(body["code"].as_str().unwrap().to_owned());
    }
    {
        let mut store = Store::open(&path).unwrap();
        let now = xxgk_server::store::now();
        for code in [&codes[0], &codes[2], &codes[3]] {
            store.reply(code, "已修复。", "测试", now).unwrap();
            store
                .publish(
                    code,
                    &format!("路灯已修复 {code}"),
                    "经核实已修复。",
                    "审核",
                    now,
                )
                .unwrap();
        }
    }
    let received = |body: &Value| body["stats"]["years"][0]["messages"]["received"].clone();
    let listed = |body: &Value| body["items"].as_array().unwrap().len();
    for (uri, origin, messages, items) in [
        ("/api/replies?site=dongting", None, 2, 1),
        ("/api/replies?site=taohe", None, 1, 1),
        // A county: its own and its townships'.
        ("/api/replies?site=guangde", None, 3, 2),
        ("/api/replies?site=elsewhere", None, 1, 1),
        // Every site's.
        ("/api/replies", None, 4, 3),
        // The page's site, by its origin.
        ("/api/replies", Some(TAOHE), 1, 1),
    ] {
        let (status, body) = call(&app, Method::GET, uri, String::new(), origin).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert_eq!(
            received(&body),
            json!(messages),
            "{uri} from {origin:?}: {body}"
        );
        assert_eq!(listed(&body), items, "{uri} from {origin:?}");
    }
    let (status, _) = call(
        &app,
        Method::GET,
        "/api/replies?site=nowhere",
        String::new(),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_lookup_shows_the_reply_period_of_the_submissions_site() {
    let path = db("period");
    with_sites(&path);
    let app = app(&path);
    let mut reply_by = Vec::new();
    for (uri, origin, key) in [
        ("/api/feedback?site=dongting", DONGTING, "k-period01"),
        ("/api/feedback?site=taohe", TAOHE, "k-period02"),
    ] {
        let (_, body) = submit(&app, uri, Some(origin), key).await;
        reply_by.push(reply_by_of(&app, body["code"].as_str().unwrap()).await);
    }
    // Sent the same day: dongting's 5 working days end before the
    // receiver's 15 that taohe keeps.
    assert!(reply_by[0] < reply_by[1], "{reply_by:?}");
    // The public figures say the same periods, the site code as a web
    // team may type it.
    for (uri, days) in [
        ("/api/replies?site=dongting", 5),
        ("/api/replies?site=%20Dongting", 5),
        ("/api/replies?site=taohe", 15),
        ("/api/replies", 15),
    ] {
        let (status, body) = call(&app, Method::GET, uri, String::new(), None).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert_eq!(body["stats"]["reply_days"], json!(days), "{uri}");
    }
    let (status, body) = submit(
        &app,
        "/api/feedback?site=DongTing",
        Some(DONGTING),
        "k-period03",
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(site_of(&path, &body["code"]), "dongting");
}

/// The reply-by day the lookup of the message `code` shows.
async fn reply_by_of(app: &Router, code: &str) -> String {
    shown_reply_by(app, code)
        .await
        .as_str()
        .expect("a reply-by day")
        .to_owned()
}

/// The reply-by day the lookup of the message `code` shows, or `null`.
async fn shown_reply_by(app: &Router, code: &str) -> Value {
    let (status, seen) = call(
        app,
        Method::GET,
        &format!("/api/feedback/{code}"),
        String::new(),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    seen["progress"]["reply_by"].clone()
}

/// Runs xxgk-server with `args` on `db`; its status, stdout and stderr.
fn server(db: &str, args: &[&str]) -> (bool, String, String) {
    common::run(&[args, &["--db", db]].concat())
}

#[test]
fn sites_are_managed_at_the_command_line_and_staff_of_a_county_see_its_townships_only() {
    let path = db("cli");
    let ok = |args: &[&str]| {
        let (ok, out, err) = server(&path, args);
        assert!(ok, "{args:?}: {err}");
        out
    };
    ok(&["staff", "add", "平台", "--role", "admin,intake,reviewer"]);
    let admin = ["--as", "平台"];
    let with = |extra: &[&str]| -> Vec<String> {
        extra
            .iter()
            .chain(admin.iter())
            .map(|s| s.to_string())
            .collect()
    };
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        server(&path, &args)
    };
    let (added, out, err) = run(with(&[
        "site",
        "add",
        "guangde",
        "--name",
        "广德县人民政府",
        "--allow-origin",
        COUNTY,
    ]));
    assert!(added, "{err}");
    assert!(out.contains("added guangde"), "{out}");
    let (added, _, err) = run(with(&[
        "site",
        "add",
        "dongting",
        "--name",
        "东亭乡人民政府",
        "--parent",
        "guangde",
        "--allow-origin",
        "HTTPS://Dongting.gdx.gov.cn:443/",
        "--reply-days",
        "10",
    ]));
    assert!(added, "{err}");
    let (added, _, err) = run(with(&[
        "site",
        "add",
        "taohe",
        "--name",
        "桃河乡",
        "--allow-origin",
        TAOHE,
    ]));
    assert!(added, "{err}");
    // Refused, with what to do: a taken code, a bad code, a bad origin,
    // a parent that is not a site, a loop.
    for (args, said) in [
        (vec!["site", "add", "guangde", "--name", "x"], "already"),
        (
            vec!["site", "add", "Bad_Code", "--name", "x"],
            "not a site code",
        ),
        (
            vec![
                "site",
                "add",
                "x",
                "--name",
                "x",
                "--allow-origin",
                "dongting.gdx.gov.cn",
            ],
            "https://",
        ),
        (
            vec!["site", "add", "x", "--name", "x", "--parent", "nowhere"],
            "not a site",
        ),
        (
            vec!["site", "set", "guangde", "--parent", "dongting"],
            "cannot belong",
        ),
        (vec!["site", "set", "nowhere", "--name", "x"], "no site"),
    ] {
        let (done, _, err) = run(with(&args));
        assert!(!done, "{args:?} was done");
        assert!(err.contains(said), "{args:?}: {err}");
    }
    let (set, _, err) = run(with(&[
        "site",
        "set",
        "taohe",
        "--parent",
        "guangde",
        "--reply-days",
        "receiver",
    ]));
    assert!(set, "{err}");
    let listed = ok(&["site", "list", "--as", "平台"]);
    assert!(listed.contains("dongting  东亭乡人民政府  parent: guangde  origins: https://dongting.gdx.gov.cn  reply days: 10"), "{listed}");
    assert!(
        listed.contains("taohe  桃河乡  parent: guangde"),
        "{listed}"
    );

    // A submission to each township and one to the default site.
    let mut store = Store::open(&path).unwrap();
    let mut codes = Vec::new();
    for (n, site) in ["dongting", "taohe", ""].into_iter().enumerate() {
        let submission: xxgk_core::submission::Submission =
            xxgk_core::submission::read(&complaint(&format!("k-cli{n:05}")))
                .unwrap()
                .submission()
                .clone();
        let code = store
            .submit_for(site, &submission, false, xxgk_server::store::now())
            .unwrap();
        codes.push(code.code().to_owned());
    }
    drop(store);
    // A county's intake clerk: its townships' cases, not the default
    // site's; no administering.
    let (added, _, err) = run(with(&[
        "staff",
        "add",
        "县里",
        "--role",
        "intake,reviewer,admin",
        "--site",
        "guangde",
    ]));
    assert!(added, "{err}");
    let (added, _, err) = run(with(&[
        "staff", "add", "乡里", "--role", "intake", "--site", "dongting",
    ]));
    assert!(added, "{err}");
    let (refused, _, err) = run(with(&[
        "staff", "add", "x", "--role", "intake", "--site", "nowhere",
    ]));
    assert!(!refused && err.contains("nowhere"), "{err}");
    let (_, county, _) = server(&path, &["list", "--as", "县里"]);
    let (_, township, _) = server(&path, &["list", "--as", "乡里"]);
    let (_, platform, _) = server(&path, &["list", "--as", "平台"]);
    let has = |listed: &str, n: usize| listed.contains(&codes[n]);
    assert!(
        has(&county, 0) && has(&county, 1) && !has(&county, 2),
        "{county}"
    );
    assert!(
        has(&township, 0) && !has(&township, 1) && !has(&township, 2),
        "{township}"
    );
    assert!(
        has(&platform, 0) && has(&platform, 1) && has(&platform, 2),
        "{platform}"
    );
    // A paper request a township's clerk records is its site's; one the
    // county's records must name which of its sites it went to.
    let paper = common::folder("sites-paper").join("request.json");
    let request = json!({
        "kind": "disclosure_request",
        "subject": "申请公开2024年村道硬化工程预算",
        "body": "本人到乡政府当面提交申请。",
        "name": "张三",
        "phone": "13800138000",
        "client_key": "k-paper-0001",
        "request": {
            "id_type": "resident_card",
            "id_number": "11010519491231002X",
            "description": "2024年村道硬化工程的预算和验收报告",
            "format": "paper",
            "delivery": "collect",
        },
    });
    std::fs::write(&paper, request.to_string()).unwrap();
    let paper = paper.to_str().unwrap();
    let (done, _, err) = server(&path, &["case", "record", paper, "--as", "县里"]);
    assert!(!done && err.contains("--site"), "{err}");
    let (done, _, err) = server(
        &path,
        &["case", "record", paper, "--site", "taohe", "--as", "乡里"],
    );
    assert!(!done && err.contains("不负责"), "{err}");
    let (done, out, err) = server(&path, &["case", "record", paper, "--as", "乡里"]);
    assert!(done, "{err}");
    let recorded = out.split('：').next().unwrap().to_owned();
    assert_eq!(site_of(&path, &json!(recorded)), "dongting");
    let (_, township, _) = server(&path, &["list", "--as", "乡里"]);
    assert!(township.contains(&recorded), "{township}");
    // Acting on another site's case is refused, and logged.
    let (done, _, err) = server(&path, &["restore", &codes[1], "--as", "乡里"]);
    assert!(!done && err.contains("不属于"), "{err}");
    // A county's administrator administers nothing of the receiver.
    let (done, _, err) = server(&path, &["site", "add", "y", "--name", "y", "--as", "县里"]);
    assert!(!done && err.contains("只负责部分站点"), "{err}");
    let (done, _, err) = server(&path, &["staff", "disable", "平台", "--as", "县里"]);
    assert!(!done && err.contains("只负责部分站点"), "{err}");
    let audit = Store::open(&path)
        .unwrap()
        .audit_log(&Default::default())
        .unwrap();
    let actions: Vec<&str> = audit.iter().map(|r| r.action.as_str()).collect();
    for action in ["site_add", "site_set", "staff_add", "refused"] {
        assert!(actions.contains(&action), "{action} not in {actions:?}");
    }
    // An account made with its sites is logged with them, in one row.
    assert!(
        audit
            .iter()
            .any(|r| r.action == "staff_add" && r.detail.ends_with("；站点 guangde")),
        "{audit:?}"
    );
}

/// A database with an administrator of every site (平台), the sites of
/// [`with_sites`], and a disclosure request to taohe holding an identity
/// number; its code.
fn with_request(path: &str) -> String {
    let (ok, _, err) = common::run(&[
        "staff",
        "add",
        "平台",
        "--role",
        "admin,intake,reviewer",
        "--db",
        path,
    ]);
    assert!(ok, "{err}");
    with_sites(path);
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
    let mut store = Store::open(path).unwrap();
    store
        .submit_for("taohe", &request, false, xxgk_server::store::now())
        .unwrap()
        .code()
        .to_owned()
}

#[test]
fn an_export_at_the_command_line_holds_the_accounts_sites_only() {
    let path = db("export");
    let code = with_request(&path);
    let (added, _, err) = server(
        &path,
        &[
            "staff",
            "add",
            "乡里",
            "--role",
            "intake,reviewer",
            "--site",
            "dongting",
            "--as",
            "平台",
        ],
    );
    assert!(added, "{err}");
    let (done, all, err) = server(&path, &["export", "--as", "平台"]);
    assert!(done, "{err}");
    assert!(all.contains(&code), "{all}");
    let (done, mine, err) = server(&path, &["export", "--as", "乡里"]);
    assert!(done, "{err}");
    assert!(
        !mine.contains(&code),
        "another site's case exported: {mine}"
    );
}

#[test]
fn the_last_administrator_of_every_site_is_kept() {
    let path = db("last-admin");
    with_request(&path);
    // An administrator of a county only does not administer: it does
    // not count as another administrator.
    let (added, _, err) = server(
        &path,
        &[
            "staff", "add", "县管", "--role", "admin", "--site", "guangde", "--as", "平台",
        ],
    );
    assert!(added, "{err}");
    let (done, _, err) = server(
        &path,
        &[
            "staff", "sites", "平台", "--site", "guangde", "--as", "平台",
        ],
    );
    assert!(!done && err.contains("最后一个"), "{err}");
    let (done, _, err) = server(&path, &["staff", "disable", "平台", "--as", "平台"]);
    assert!(!done && err.contains("最后一个"), "{err}");
    let (done, _, err) = server(
        &path,
        &["staff", "roles", "平台", "--role", "intake", "--as", "平台"],
    );
    assert!(!done, "{err}");
    // The platform can still administer.
    let (done, _, err) = server(
        &path,
        &["staff", "add", "新人", "--role", "intake", "--as", "平台"],
    );
    assert!(done, "{err}");
}

#[tokio::test]
async fn a_page_on_an_origin_of_the_default_site_and_of_one_site_sends_to_that_site() {
    let path = db("default-shared");
    {
        let mut store = Store::open(&path).unwrap();
        store
            .put_site(&site("guangde", "", &[DEFAULT], None), false, 1)
            .unwrap();
    }
    let app = app(&path);
    let (status, body) = submit(&app, "/api/feedback", Some(DEFAULT), "k-shared01").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(site_of(&path, &body["code"]), "guangde");
}

#[tokio::test]
async fn a_countys_list_takes_in_a_township_moved_under_it() {
    let path = db("moved");
    with_sites(&path);
    {
        let mut store = Store::open(&path).unwrap();
        store
            .put_site(
                &site("lucun", "", &["https://lucun.gdx.gov.cn"], None),
                false,
                1,
            )
            .unwrap();
    }
    let app = app(&path);
    let (status, body) = submit(
        &app,
        "/api/feedback?site=lucun",
        Some("https://lucun.gdx.gov.cn"),
        "k-moved001",
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let received = |body: &Value| body["stats"]["years"][0]["messages"]["received"].clone();
    let county = || {
        call(
            &app,
            Method::GET,
            "/api/replies?site=guangde",
            String::new(),
            None,
        )
    };
    let (_, before) = county().await;
    assert_eq!(received(&before), json!(0), "{before}");
    // lucun joins the county, from the command line.
    Store::open(&path)
        .unwrap()
        .put_site(
            &site("lucun", "guangde", &["https://lucun.gdx.gov.cn"], None),
            true,
            2,
        )
        .unwrap();
    // Asked before the receiver reads the sites again, and after.
    county().await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    call(
        &app,
        Method::GET,
        "/api/replies?site=nowhere",
        String::new(),
        None,
    )
    .await;
    let (_, after) = county().await;
    assert_eq!(received(&after), json!(1), "{after}");
}

/// A console session of a new account `name` (ASCII) with `roles` and
/// `sites` (none: every site): its cookie.
fn console_session(path: &str, name: &str, roles: &str, sites: &[&str]) -> String {
    use xxgk_server::console::auth::{hash_password, token_hash};
    let mut store = Store::open(path).unwrap();
    let now = xxgk_server::store::now();
    let hash = hash_password("a password of the tests").unwrap();
    let roles = xxgk_server::console::roles::Roles::parse(roles).unwrap();
    store.add_account(name, roles, "", &hash, now).unwrap();
    let sites: Vec<String> = sites.iter().map(|s| s.to_string()).collect();
    store.set_sites(name, &sites, now).unwrap();
    let id = store.account(name).unwrap().unwrap().id;
    let token = format!("{name:0>64}");
    store
        .open_session(&token_hash(&token), id, &token, now)
        .unwrap();
    format!("__Host-xxgk-staff={token}")
}

async fn console_get(app: &Router, path: &str, cookie: &str) -> (StatusCode, String) {
    let request = Request::builder()
        .uri(path)
        .header(header::HOST, "10.0.0.2:8081")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn the_console_judges_a_message_by_its_sites_reply_period() {
    let path = db("console-period");
    with_sites(&path);
    let cookie = console_session(&path, "intake", "受理", &[]);
    // Sent 12 days ago: past dongting's 5 working days, within the
    // receiver's 15.
    let sent = xxgk_server::store::now() - 12 * 86_400;
    let submission: xxgk_core::submission::Submission =
        xxgk_core::submission::read(&complaint("k-late0001"))
            .unwrap()
            .submission()
            .clone();
    let code = Store::open(&path)
        .unwrap()
        .submit_for("dongting", &submission, false, sent)
        .unwrap()
        .code()
        .to_owned();
    let app = xxgk_server::console::router(
        Store::open(&path).unwrap(),
        xxgk_server::console::Settings::default(),
    )
    .layer(MockConnectInfo(SocketAddr::from(([10, 0, 0, 7], 5000))));
    let (status, page) = console_get(&app, "/?due=overdue", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&code), "not listed as overdue: {page}");
}

/// Seconds since 1970 at 10:00 in Beijing on `day`.
fn at(day: &str) -> i64 {
    i64::from(xxgk_core::Date::parse(day).unwrap().days()) * 86_400 + 2 * 3600
}

#[test]
fn a_sites_own_holidays_count_in_its_deadlines_and_in_its_townships() {
    use xxgk_core::calendar::Calendar;
    use xxgk_core::Date;
    let dir = common::folder("sites-holidays");
    let path = common::store(&dir);
    let file = |name: &str, text: &str| {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        file.to_str().unwrap().to_owned()
    };
    // A county's two local days off, and one more of a township's own.
    let county_days = "# 县里的节日\n2026-03-03..2026-03-04 off 县庆\n";
    let township_days = "\u{FEFF}2026-03-06 off 乡里的节日\n";
    let county_file = file("county.txt", county_days);
    let township_file = file("township.txt", township_days);
    let bad_file = file("bad.txt", "2026-03-09 holiday\n");
    let ok = |args: &[&str]| {
        let (ok, out, err) = server(&path, &[args, &["--as", "平台"]].concat());
        assert!(ok, "{args:?}: {err}");
        out
    };
    let (done, _, err) = server(&path, &["staff", "add", "平台", "--role", "admin,intake"]);
    assert!(done, "{err}");
    ok(&[
        "site",
        "add",
        "guangde",
        "--name",
        "广德县",
        "--allow-origin",
        COUNTY,
        "--calendar",
        &county_file,
    ]);
    ok(&[
        "site",
        "add",
        "dongting",
        "--name",
        "东亭乡",
        "--parent",
        "guangde",
        "--allow-origin",
        DONGTING,
        "--calendar",
        &township_file,
    ]);
    // The audit log keeps the days themselves.
    let log = Store::open(&path)
        .unwrap()
        .audit_log(&Default::default())
        .unwrap();
    assert_eq!(log[0].action, "site_add");
    assert!(
        log[0]
            .detail
            .ends_with("own holidays: 2026-03-06 off 乡里的节日"),
        "{}",
        log[0].detail
    );
    let listed = ok(&[
        "site",
        "add",
        "elsewhere",
        "--name",
        "别处",
        "--allow-origin",
        TAOHE,
    ]);
    assert!(listed.contains("own holiday lines: 0"), "{listed}");
    // A line that does not read is refused with its number, and the site
    // keeps what it had.
    let (done, _, err) = server(
        &path,
        &[
            "site",
            "set",
            "dongting",
            "--calendar",
            &bad_file,
            "--as",
            "平台",
        ],
    );
    assert!(!done && err.contains("第 1 行"), "{err}");
    let listed = ok(&["site", "list"]);
    assert!(
        listed.contains("dongting  东亭乡  parent: guangde")
            && listed
                .lines()
                .any(|l| l.starts_with("dongting") && l.ends_with("own holiday lines: 1")),
        "{listed}"
    );

    // What each site's deadlines should be, counted by hand.
    let sent = Date::parse("2026-03-02").unwrap();
    let builtin = Calendar::builtin();
    let mut county = Calendar::builtin();
    county.add(county_days).unwrap();
    let mut township = county.clone();
    township.add(township_days).unwrap();
    let by = |calendar: &Calendar, days| calendar.add_working_days(sent, days).unwrap().to_string();
    assert_ne!(by(&township, 15), by(&county, 15));
    assert_ne!(by(&county, 15), by(&builtin, 15));

    // A message's reply-by day in the lookup: each site's working days.
    let mut codes = Vec::new();
    {
        let mut store = Store::open(&path).unwrap();
        for site in ["dongting", "guangde", "elsewhere"] {
            let submission = xxgk_core::submission::read(&complaint(&format!("k-holiday-{site}")))
                .unwrap()
                .submission()
                .clone();
            let code = store
                .submit_for(site, &submission, false, at("2026-03-02"))
                .unwrap()
                .code()
                .to_owned();
            codes.push(code);
        }
    }
    let reply_by = |app: Router, code: String| async move { reply_by_of(&app, &code).await };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let seen: Vec<String> = codes
        .iter()
        .map(|code| runtime.block_on(reply_by(app(&path), code.clone())))
        .collect();
    assert_eq!(
        seen,
        [by(&township, 15), by(&county, 15), by(&builtin, 15)],
        "dongting, guangde, elsewhere"
    );

    // A paper request's statutory clock: at the command line, when it is
    // recorded, shown and listed, and on the console's case page.
    let paper = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/requests-2016/a-person-disclosed.json"
    );
    let record = |site: &str| {
        ok(&[
            "case",
            "record",
            paper,
            "--on",
            "2026-03-02",
            "--site",
            site,
        ])
    };
    let recorded = record("dongting");
    let due = by(&township, 20);
    assert!(recorded.contains(&format!("答复期限 {due}")), "{recorded}");
    let code = recorded.split('：').next().unwrap().to_owned();
    let shown: Value = serde_json::from_str(&ok(&["case", "show", &code, "--json"])).unwrap();
    assert_eq!(shown["due"], json!(due));
    let listed = ok(&["case", "list"]);
    assert!(listed.contains(&format!("答复期限 {due}")), "{listed}");
    let messages = ok(&["case", "list", "--kind", "message"]);
    for (code, day) in codes.iter().zip(&seen) {
        assert!(
            messages
                .lines()
                .any(|l| l.starts_with(code.as_str()) && l.contains(&format!("答复期限 {day}"))),
            "{code} {day}: {messages}"
        );
    }
    // Answered on the county's last day: in time for the county's
    // message, late for the one of the site that keeps the national days.
    {
        let mut store = Store::open(&path).unwrap();
        for code in &codes[1..] {
            assert!(store
                .reply(code, "已处理。", "平台", at(&by(&county, 15)))
                .unwrap());
        }
    }
    for (site, on_time) in [("guangde", 1), ("elsewhere", 0)] {
        let (status, body) = runtime.block_on(call(
            &app(&path),
            Method::GET,
            &format!("/api/replies?site={site}"),
            String::new(),
            None,
        ));
        assert_eq!(status, StatusCode::OK);
        let messages = &body["stats"]["years"][0]["messages"];
        assert_eq!(
            (&messages["answered"], &messages["on_time"]),
            (&json!(1), &json!(on_time)),
            "{site}: {body}"
        );
    }
    let recorded = record("elsewhere");
    assert!(
        recorded.contains(&format!("答复期限 {}", by(&builtin, 20))),
        "{recorded}"
    );
    let cookie = console_session(&path, "intake", "受理", &[]);
    let console = xxgk_server::console::router(
        Store::open(&path).unwrap(),
        xxgk_server::console::Settings::default(),
    )
    .layer(MockConnectInfo(SocketAddr::from(([10, 0, 0, 7], 5000))));
    let (status, page) =
        runtime.block_on(console_get(&console, &format!("/cases/{code}"), &cookie));
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&due), "{due}: {page}");

    // Days gone by stay as they were: the deadlines above were counted in
    // them.
    let (done, _, err) = server(
        &path,
        &["site", "set", "dongting", "--no-calendar", "--as", "平台"],
    );
    assert!(
        !done && err.contains("站点 dongting 的 2026-03-06，它在今天"),
        "{err}"
    );
    let again = runtime.block_on(reply_by(app(&path), codes[0].clone()));
    assert_eq!(again, by(&township, 15));
}

#[tokio::test]
async fn an_arrangement_saved_on_one_receiver_is_in_force_on_another_within_seconds() {
    let path = db("shared-calendar");
    // A message sent in late December: its reply period runs into a year
    // the shipped arrangements lack, so no reply-by day can be shown.
    let submission = xxgk_core::submission::read(&complaint("k-newyear1"))
        .unwrap()
        .submission()
        .clone();
    let code = Store::open(&path)
        .unwrap()
        .submit(&submission, false, at("2026-12-21"))
        .unwrap()
        .code()
        .to_owned();
    let settings = Settings {
        allowed_origins: vec![Origin::parse(DEFAULT).unwrap()],
        calendar: xxgk_server::cases::Calendars::following(Vec::new(), "").unwrap(),
        ..Settings::default()
    };
    let app = router(Store::open(&path).unwrap(), settings)
        .unwrap()
        .layer(MockConnectInfo(SocketAddr::from(([10, 0, 0, 7], 5000))));
    let lookup = || shown_reply_by(&app, &code);
    assert_eq!(lookup().await, Value::Null);
    // Another receiver's console saves next year's arrangement.
    let next_year = "year 2027\n2027-01-01 off 元旦\n2027-02-05..2027-02-11 off 春节";
    Store::open(&path)
        .unwrap()
        .set_setting(xxgk_server::cases::CALENDAR_SETTING, next_year)
        .unwrap();
    let mut expected = xxgk_core::calendar::Calendar::builtin();
    expected.add(next_year).unwrap();
    let due = expected
        .add_working_days(xxgk_core::Date::parse("2026-12-21").unwrap(), 15)
        .unwrap()
        .to_string();
    let started = std::time::Instant::now();
    loop {
        let seen = lookup().await;
        if seen != Value::Null {
            assert_eq!(seen, json!(due));
            break;
        }
        assert!(
            started.elapsed() < xxgk_server::api::SITES_FRESH + Duration::from_secs(5),
            "not in force after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
