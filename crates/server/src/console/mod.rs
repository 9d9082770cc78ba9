//! The staff console: the pages township clerks answer, review and
//! publish from, served on a listener of its own (`serve
//! --staff-listen`) so that it can be bound to the office network only.
//!
//! Pages are made on the server (maud, escaped by default) and work
//! without JavaScript; every form posts back with the session's CSRF
//! token. Every action is one of the case actions of the store, checked
//! against the account's roles ([`roles`]) on the server, and written to
//! the audit log with who, when and from where.

// A refusal is the page to answer with, made at most once per request:
// its size does not matter.
#![allow(clippy::result_large_err)]

pub(crate) mod admin;
pub mod auth;
mod cases;
pub mod mask;
mod page;
mod register;
mod reports;
pub mod roles;
mod sites;
pub mod totp;

use crate::client::Proxies;
use crate::store::{Account, Audit, Store};
use auth::Policy;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use roles::Duty;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

/// How the console is set up.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Sessions and logins.
    pub policy: Policy,
    /// The operator's reverse proxies, whose forwarded headers name the
    /// client.
    pub proxies: Proxies,
    /// Working days, which the administrator may add to.
    pub calendar: crate::cases::Calendars,
    /// The operator's calendar files (`--calendar`), which the
    /// administrator's additions go on top of.
    pub calendar_files: Vec<std::path::PathBuf>,
    /// Working days to answer a message.
    pub reply_days: u32,
    /// Whether alerts are sent anywhere (`--alert-webhook`,
    /// `--alert-smtp`).
    pub alerts: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            policy: Policy::default(),
            proxies: Proxies::default(),
            calendar: crate::cases::Calendars::default(),
            calendar_files: Vec::new(),
            reply_days: crate::api::REPLY_DAYS,
            alerts: false,
        }
    }
}

/// The console's state: its own connection to the store.
pub(crate) struct Console {
    store: Arc<Mutex<Store>>,
    settings: Settings,
}

/// Someone logged in, making a request.
#[derive(Clone, Debug)]
pub(crate) struct Staff {
    /// Their account.
    pub account: Account,
    /// Their session's CSRF token, for the forms of the page.
    pub csrf: String,
    /// Where the request comes from.
    pub address: String,
    /// When the session began.
    pub since: i64,
    /// The sites they work for, with those under them; `None`: every
    /// site.
    pub sites: Option<Vec<String>>,
}

impl Staff {
    /// Whether they may do `duty` on a case assigned to `unit`.
    pub fn may(&self, duty: Duty, unit: &str) -> bool {
        self.account.roles.may_in(duty, &self.account.unit, unit)
    }

    /// Whether they may do `duty`, one not about a case: an account of
    /// some sites only does not administer (accounts, sites and settings
    /// are the whole receiver's).
    pub fn holds(&self, duty: Duty) -> bool {
        self.account.roles.may(duty, false) && (duty != Duty::Administer || self.sites.is_none())
    }

    /// Whether the cases of the site `site` are theirs to see.
    pub fn sees(&self, site: &str) -> bool {
        self.sites
            .as_ref()
            .is_none_or(|sites| sites.iter().any(|s| s == site))
    }

    /// Appends what they did (`action`, on the case `code`, with `detail`)
    /// to the audit log, with who and from where; a failure is logged and
    /// answered as the store's.
    pub fn audit(
        &self,
        store: &mut Store,
        action: &str,
        code: &str,
        detail: &str,
    ) -> Result<(), Response> {
        store
            .audit(
                &Audit {
                    actor: &self.account.name,
                    address: &self.address,
                    action,
                    code,
                    detail,
                },
                crate::store::now(),
            )
            .map_err(|e| failed(&e))
    }
}

/// Every request of the console that changes something: its path (a
/// case's as `/cases/{code}`), the value of its `do` field, and the duty
/// it needs beyond a session (`None`: any account, for itself).
pub fn changes() -> Vec<(&'static str, &'static str, Option<Duty>)> {
    let mut all: Vec<_> = cases::steps()
        .map(|(code, duty)| ("/cases/{code}", code, Some(duty)))
        .collect();
    for code in ["add", "disable", "enable", "roles", "sites", "reset"] {
        all.push(("/staff", code, Some(Duty::Administer)));
    }
    for code in ["add", "set"] {
        all.push(("/sites", code, Some(Duty::Administer)));
    }
    for code in ["retention", "purge", "calendar"] {
        all.push(("/settings", code, Some(Duty::Administer)));
    }
    all.push(("/register", "", Some(Duty::Register)));
    all.push(("/account", "", None));
    all.push(("/logout", "", None));
    all
}

/// The console's routes over `store` (a connection of its own).
pub fn router(store: Store, settings: Settings) -> Router {
    let console = Arc::new(Console {
        store: Arc::new(Mutex::new(store)),
        settings,
    });
    Router::new()
        .route("/console.css", get(page::stylesheet))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/login", get(admin::login_page).post(admin::login))
        .route("/logout", post(admin::logout))
        .route("/", get(cases::list))
        .route("/cases/{code}", get(cases::show).post(cases::act))
        .route("/register", get(register::form).post(register::record))
        .route("/export.csv", get(reports::export))
        .route("/stats", get(reports::statistics))
        .route("/report", get(reports::report))
        .route("/audit", get(admin::audit_page))
        .route("/audit.csv", get(admin::audit_csv))
        .route("/staff", get(admin::accounts).post(admin::change_account))
        .route("/sites", get(sites::sites).post(sites::change_site))
        .route(
            "/settings",
            get(admin::settings).post(admin::change_settings),
        )
        .route(
            "/account",
            get(admin::own_account).post(admin::change_own_password),
        )
        .fallback(not_found)
        .layer(axum::extract::DefaultBodyLimit::max(FORM_MOST))
        .layer(axum::middleware::from_fn(headers))
        .with_state(console)
}

/// Every page may not be framed, cached or shown from another origin's
/// page, runs no script, and names itself to no other site (addresses
/// name cases).
async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            ),
        );
    }
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

async fn not_found(
    State(console): State<Arc<Console>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request_headers: HeaderMap,
) -> Response {
    let staff = console.signed(&request_headers, peer).await.ok();
    page::message(
        StatusCode::NOT_FOUND,
        staff.as_ref(),
        "没有这个页面",
        "地址不对，或页面已不存在。",
    )
}

/// A failure of the store, as staff are told.
fn unavailable() -> Response {
    page::message(
        StatusCode::SERVICE_UNAVAILABLE,
        None,
        "暂时无法打开",
        "数据库暂时不能使用，请稍后再试；一直这样请告诉管理员（服务器日志里有原因）。",
    )
}

impl Console {
    /// Runs `work` with the store on a blocking thread; a failure of the
    /// store is answered with [`unavailable`] and logged.
    async fn with<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Store) -> Result<T, Response> + Send + 'static,
    ) -> Result<T, Response> {
        let store = self.store.clone();
        match tokio::task::spawn_blocking(move || {
            let mut store = store.lock().unwrap_or_else(|e| e.into_inner());
            work(&mut store)
        })
        .await
        {
            Ok(result) => result,
            Err(_) => Err(unavailable()),
        }
    }

    /// The client's address, as the trusted proxies name it.
    fn address(&self, peer: SocketAddr, headers: &HeaderMap) -> String {
        self.settings.proxies.client(peer.ip(), headers).to_string()
    }

    /// Who is logged in, if the session is still good; a redirect to the
    /// login page if not.
    async fn signed(&self, headers: &HeaderMap, peer: SocketAddr) -> Result<Staff, Response> {
        let address = self.address(peer, headers);
        let Some(token) = auth::cookie(headers, auth::SESSION_COOKIE) else {
            return Err(to_login(false));
        };
        let hash = auth::token_hash(token);
        let policy = self.settings.policy;
        self.with(move |store| {
            let now = crate::store::now();
            let session = store.session(&hash).map_err(|e| failed(&e))?;
            let Some(session) = session else {
                return Err(to_login(false));
            };
            let idle = now - session.seen_at > policy.idle.as_secs() as i64;
            let old = now - session.created_at > policy.lifetime.as_secs() as i64;
            if idle || old || session.account.disabled {
                store.close_session(&hash).map_err(|e| failed(&e))?;
                return Err(to_login(true));
            }
            store.touch_session(&hash, now).map_err(|e| failed(&e))?;
            let sites =
                crate::accounts::scope(store, &session.account.sites).map_err(|e| failed(&e))?;
            Ok(Staff {
                sites,
                account: session.account,
                csrf: session.csrf,
                address,
                since: session.created_at,
            })
        })
        .await
    }

    /// Who is logged in, for a request that changes something: refused
    /// if it comes from another site or its form lacks the session's
    /// CSRF token.
    async fn acting(
        &self,
        headers: &HeaderMap,
        peer: SocketAddr,
        form: &Form,
    ) -> Result<Staff, Response> {
        if auth::cross_site(headers) {
            return Err(forged());
        }
        let staff = match self.signed(headers, peer).await {
            Ok(staff) => staff,
            Err(_) => return Err(page::expired(form)),
        };
        // From this site but without this session's token: a page opened
        // before the last login (another tab). Nothing is done, and what
        // was typed is shown, to send again.
        if !auth::same_token(form.get("csrf"), &staff.csrf) {
            return Err(page::stale(form));
        }
        Ok(staff)
    }

    /// Appends what `staff` did to the audit log; the answer to give if it
    /// could not be written (then what was asked is not given).
    async fn log(
        &self,
        staff: &Staff,
        action: &'static str,
        code: &str,
        detail: &str,
    ) -> Result<(), Response> {
        let (staff, code, detail) = (staff.clone(), code.to_owned(), detail.to_owned());
        self.with(move |store| staff.audit(store, action, &code, &detail))
            .await
    }

    /// Refuses `staff`, and logs the attempt, unless their roles hold
    /// `duty` (one not about a case).
    async fn require(&self, staff: &Staff, duty: Duty, what: &str) -> Result<(), Response> {
        if staff.holds(duty) {
            Ok(())
        } else {
            Err(self.refuse(staff, duty, "", what).await)
        }
    }

    /// Refuses `staff` what `duty` asks, and logs the attempt.
    async fn refuse(&self, staff: &Staff, duty: Duty, code: &str, what: &str) -> Response {
        let _ = self.log(staff, "refused", code, what).await;
        page::message(
            StatusCode::FORBIDDEN,
            Some(staff),
            "没有这个权限",
            &format!(
                "{what}需要{}角色。这次尝试已记录；如确需办理，请找管理员。",
                duty.roles()
            ),
        )
    }
}

/// Ends idle and old sessions every few minutes, and once a day purges
/// the personal data of cases past the retention period (the 设置 page),
/// with a connection of its own to the database at `db`.
pub async fn upkeep(db: crate::store::Location, policy: Policy) {
    let mut timer = tokio::time::interval(std::time::Duration::from_secs(300));
    let mut purged_on = None;
    loop {
        timer.tick().await;
        let db = db.clone();
        let today = xxgk_core::Date::beijing(crate::store::now());
        let purge = purged_on != today;
        let done = tokio::task::spawn_blocking(move || -> crate::store::Result<()> {
            let mut store = Store::open(&db)?;
            let now = crate::store::now();
            store.sweep_sessions(
                now - policy.idle.as_secs() as i64,
                now - policy.lifetime.as_secs() as i64,
            )?;
            if purge {
                let done = admin::purge_logged(&mut store, "系统（保存期限）", "服务器", false)?;
                tracing::info!(result = done, "retention");
            }
            Ok(())
        })
        .await;
        match done {
            Ok(Ok(())) if purge => purged_on = today,
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::error!(error = %e, "console upkeep failed"),
            Err(_) => tracing::error!("console upkeep failed"),
        }
    }
}

/// A form's fields, in the order sent.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(transparent)]
pub(crate) struct Form(Vec<(String, String)>);

impl Form {
    /// The field `name` (its last value if sent twice), or empty.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of the field `name` (check boxes of one name).
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> {
        self.0
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A change refused: why, and the form as it was sent, to be shown
/// filled in again.
pub(crate) struct Refused {
    /// Why, in words for staff.
    pub why: String,
    /// The form.
    pub form: Form,
}

impl Refused {
    /// The form, if it is the one doing `what` (its `do`) on the row
    /// whose field `key` is `value`; a new one's (`add`) whatever it names.
    pub fn form_of(&self, what: &str, key: &str, value: &str) -> Option<&Form> {
        let form = &self.form;
        (form.get("do") == what && (what == "add" || form.get(key).trim() == value)).then_some(form)
    }
}

/// The client's socket address, from the connection (or the tests' mock
/// of it).
async fn peer(parts: &mut axum::http::request::Parts) -> SocketAddr {
    use axum::extract::FromRequestParts;
    ConnectInfo::<SocketAddr>::from_request_parts(parts, &())
        .await
        .map_or_else(|_| SocketAddr::from(([0, 0, 0, 0], 0)), |c| c.0)
}

/// Someone logged in, for a page that only reads: the login page
/// otherwise.
pub(crate) struct Signed(pub Staff);

impl axum::extract::FromRequestParts<Arc<Console>> for Signed {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        console: &Arc<Console>,
    ) -> Result<Signed, Response> {
        let peer = peer(parts).await;
        console.signed(&parts.headers, peer).await.map(Signed)
    }
}

/// Someone logged in, with the form they sent to change something:
/// refused if it comes from another site or lacks the session's CSRF
/// token.
pub(crate) struct Acting(pub Staff, pub Form);

impl axum::extract::FromRequest<Arc<Console>> for Acting {
    type Rejection = Response;

    async fn from_request(request: Request, console: &Arc<Console>) -> Result<Acting, Response> {
        let form = read_form(request, console).await?;
        Ok(Acting(form.0, form.1))
    }
}

/// The form of `request` and who sent it.
async fn read_form(request: Request, console: &Console) -> Result<(Staff, Form), Response> {
    let (mut parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, FORM_MOST).await.map_err(|_| {
        page::message(
            StatusCode::PAYLOAD_TOO_LARGE,
            None,
            "内容太长",
            "这次提交的内容太长，没有收到。长的文件请作为附件另行送达。",
        )
    })?;
    let form: Form = serde_urlencoded::from_bytes(&bytes).map_err(|_| {
        page::message(
            StatusCode::BAD_REQUEST,
            None,
            "表单没有完整收到",
            "请回到上一页重新提交。",
        )
    })?;
    let peer = peer(&mut parts).await;
    let staff = console.acting(&parts.headers, peer, &form).await?;
    Ok((staff, form))
}

/// The most bytes a form may have.
const FORM_MOST: usize = 256 * 1024;

/// A store failure logged, as staff are told.
fn failed(error: &crate::store::Error) -> Response {
    tracing::error!(error = %error, "the console cannot use the database");
    unavailable()
}

fn forged() -> Response {
    page::message(
        StatusCode::FORBIDDEN,
        None,
        "请求被拒绝",
        "这个请求不是从工作台自己的页面发出的（可能来自别的网站），没有执行。请在工作台页面上重新操作。",
    )
}

fn to_login(expired: bool) -> Response {
    Redirect::to(if expired {
        "/login?expired=1"
    } else {
        "/login"
    })
    .into_response()
}
